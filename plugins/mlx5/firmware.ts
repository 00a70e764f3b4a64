/**
 * `accelctl fw` on mlx5: the component-update flow of the kernel's mlx5 fw.c +
 * mlxfw_fsm.c (what `devlink dev flash` runs), done from userspace over
 * ACCESS_REG:
 *
 *   MCQS scan → boot_img component index;  MCQI caps → max size, MCDA chunk
 *   MCC query (handle) → LOCK_UPDATE_HANDLE → LOCKED
 *   UPDATE_COMPONENT(size) → DOWNLOAD;  MCDA chunks (offset, size, data)
 *   VERIFY_COMPONENT → LOCKED (error_code: mlxfw_fsm_state_err)
 *   ACTIVATE → LOCKED (the image is marked to boot: MCQS ACTIVE_PENDING_RESET)
 *   RELEASE_UPDATE_HANDLE → IDLE
 *
 * The firmware writes the new image to the flash bank that does not run; it
 * runs after a firmware reset (activate() = MFRL, see reset.ts) or a reboot.
 * Versions come from MCQI VERSION (read_pending_component 0 = running,
 * 1 = stored), as mlx5_fw_version_query() reads them for `devlink dev info`.
 */
import { AccelError, type CommandContext, type FirmwareImageInfo, type FirmwareSupport, type FirmwareVersions, type FlashProgress } from 'accelctl/sdk';
import { readRegister, writeRegister } from './access';
import { decodeAdapter } from './decode';
import { IMAGE_FORMAT, formatFwVersion, parseImage } from './image';
import { MBOX_HEADER_SIZE, MgirReg, QUERY_ADAPTER_OUT_SIZE } from './prm';
import {
  COMPONENT_BOOT_IMG,
  FSM,
  FSM_ERR_MESSAGES,
  FSM_NAMES,
  MCC_INSTR,
  MCQI_INFO,
  MccReg,
  McdaReg,
  McqiCap,
  McqiReg,
  McqiVersion,
  McqsReg,
  REG,
  UPDATE_STATE,
} from './prm-mgmt';
import { MLX5_DEVICE_NAMES } from './registers';
import { encodeQueryAdapter, encodeRegisterRead } from './requests';
import { firmwareReset } from './reset';

/** mlxfw: 200 ms between FSM polls, 30 s in all. */
const POLL_MS = 200;
const POLL_ROUNDS = 150;
/** An update handle idle this long (MCC time_elapsed_since_last_cmd, seconds) belongs to a dead process. */
const STALE_HANDLE_S = 2;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------- register helpers

export async function queryMcqs(ctx: CommandContext, index: number): Promise<ReturnType<typeof McqsReg.decode>> {
  return McqsReg.decode(await readRegister(ctx, REG.MCQS, McqsReg.encode({ component_index: index }), 'MCQS'));
}

/** mlx5_get_boot_img_component_index(): scan MCQS until boot_img or the last index. */
export async function bootImgIndex(ctx: CommandContext): Promise<number> {
  const cached = ctx.cache.get('mlx5.boot_img_index');
  if (typeof cached === 'number') return cached;
  for (let index = 0; index < 64; index++) {
    const r = await queryMcqs(ctx, index);
    if (r.identifier === COMPONENT_BOOT_IMG) {
      ctx.cache.set('mlx5.boot_img_index', index);
      return index;
    }
    if (r.last_index_flag) break;
  }
  throw new AccelError('ACCELCTL_E_UNSUPPORTED', `${ctx.device.name}: MCQS lists no boot_img component`, { hint: 'the running firmware does not support component update' });
}

async function queryMcqi(ctx: CommandContext, index: number, infoType: number, pending: boolean, size: number): Promise<Uint8Array> {
  const req = new Uint8Array(McqiReg.size + size);
  McqiReg.write(req, { component_index: index, read_pending_component: pending ? 1 : 0, info_type: infoType, data_size: size });
  return (await readRegister(ctx, REG.MCQI, req, 'MCQI')).subarray(McqiReg.size);
}

export async function componentVersion(ctx: CommandContext, index: number, pending: boolean): Promise<string> {
  const data = await queryMcqi(ctx, index, MCQI_INFO.VERSION, pending, McqiVersion.size);
  const v = McqiVersion.decode(data);
  return formatFwVersion(v.version);
}

async function queryMcc(ctx: CommandContext, handle: number): Promise<ReturnType<typeof MccReg.decode>> {
  return MccReg.decode(await readRegister(ctx, REG.MCC, MccReg.encode({ update_handle: handle }), 'MCC'));
}

async function mcc(ctx: CommandContext, instruction: number, handle: number, componentIndex = 0, componentSize = 0): Promise<void> {
  await writeRegister(ctx, REG.MCC, MccReg.encode({ instruction, update_handle: handle, component_index: componentIndex, component_size: componentSize }), 'MCC');
}

/** mlxfw_fsm_state_wait(): poll MCC until `want`, failing on a firmware error code. */
async function waitState(ctx: CommandContext, handle: number, want: number, step: string): Promise<void> {
  for (let round = 0; round < POLL_ROUNDS; round++) {
    const r = await queryMcc(ctx, handle);
    if (r.error_code !== 0) {
      throw new AccelError('ACCELCTL_E_DEVICE_STATUS', `${ctx.device.name}: firmware flash failed at ${step}: ${FSM_ERR_MESSAGES[r.error_code] ?? `error ${r.error_code}`}`, {
        details: { fsm_error: r.error_code, fsm_state: FSM_NAMES[r.control_state] ?? r.control_state },
        hint: r.error_code === 2 ? 'the image is corrupt' : r.error_code === 3 ? 'the image is not for this device' : undefined,
      });
    }
    if (r.control_state === want) return;
    await sleep(POLL_MS);
  }
  throw new AccelError('ACCELCTL_E_TIMEOUT', `${ctx.device.name}: firmware update state did not reach ${FSM_NAMES[want]} (${step})`);
}

/**
 * mlx5_fsm_lock(): the FSM must be idle. A handle left by a process that died
 * mid-flash is cancelled and released once the firmware reports it idle for
 * STALE_HANDLE_S seconds; a live one (another flash running) is waited for.
 */
async function lock(ctx: CommandContext): Promise<number> {
  for (let round = 0; round < 20; round++) {
    const r = await queryMcc(ctx, 0);
    if (r.control_state === FSM.IDLE) {
      await mcc(ctx, MCC_INSTR.LOCK_UPDATE_HANDLE, r.update_handle);
      await waitState(ctx, r.update_handle, FSM.LOCKED, 'lock');
      return r.update_handle;
    }
    if (r.time_elapsed_since_last_cmd >= STALE_HANDLE_S) {
      await mcc(ctx, MCC_INSTR.CANCEL, r.update_handle).catch(() => undefined);
      await mcc(ctx, MCC_INSTR.RELEASE_UPDATE_HANDLE, r.update_handle).catch(() => undefined);
      continue;
    }
    await sleep(500);
  }
  throw new AccelError('ACCELCTL_E_DEVICE_STATUS', `${ctx.device.name}: another firmware update holds the update handle`, { hint: 'wait for it to finish, then retry' });
}

/** MCDA data: the kernel sends htonl(*(u32 *)&data[j]), i.e. each dword byte-reversed on a little-endian host. */
export function swapDwords(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i + 3 < bytes.length; i += 4) {
    out[i] = bytes[i + 3] ?? 0;
    out[i + 1] = bytes[i + 2] ?? 0;
    out[i + 2] = bytes[i + 1] ?? 0;
    out[i + 3] = bytes[i] ?? 0;
  }
  return out;
}

// ---------------------------------------------------------------- capability

async function show(ctx: CommandContext): Promise<FirmwareVersions> {
  const adapter = decodeAdapter(await ctx.rpc(encodeQueryAdapter(), { outLen: QUERY_ADAPTER_OUT_SIZE }));
  const mgirReply = await ctx.rpc(encodeRegisterRead(0x9020, new Uint8Array(MgirReg.size)), { outLen: MBOX_HEADER_SIZE + MgirReg.size });
  const mgir = MgirReg.decode(mgirReply, MBOX_HEADER_SIZE);
  const index = await bootImgIndex(ctx);
  const running = await componentVersion(ctx, index, false);
  const state = (await queryMcqs(ctx, index)).component_update_state;
  const pending = state === UPDATE_STATE.ACTIVE_PENDING_RESET;
  const stored = pending ? await componentVersion(ctx, index, true) : running;
  return {
    fixed: {
      'board.id': adapter.psid,
      psid: adapter.psid,
      asic: `${MLX5_DEVICE_NAMES[mgir.device_id] ?? 'unknown'} (0x${mgir.device_id.toString(16)})`,
      'asic.rev': `0x${mgir.device_hw_revision.toString(16)}`,
    },
    running: { 'fw.version': running },
    stored: { 'fw.version': stored },
    pendingActivation: pending,
  };
}

function inspectImage(image: Uint8Array): FirmwareImageInfo {
  const parsed = parseImage(image);
  return { format: IMAGE_FORMAT, version: parsed.versionString, target: parsed.psid, components: parsed.components.map((c) => c.name), size: parsed.size };
}

async function checkTarget(ctx: CommandContext, info: FirmwareImageInfo): Promise<void> {
  const psid = decodeAdapter(await ctx.rpc(encodeQueryAdapter(), { outLen: QUERY_ADAPTER_OUT_SIZE })).psid;
  if (psid !== info.target) {
    // mlxfw_firmware_flash(): "Firmware file doesn't match device" (no component set for the PSID).
    throw new AccelError('ACCELCTL_E_BAD_IMAGE', `image is for PSID ${info.target}, ${ctx.device.name} is ${psid}`, { hint: 'use the image built for this board (PSID)' });
  }
}

async function flash(ctx: CommandContext, image: Uint8Array, options: { component?: string; progress: (p: FlashProgress) => void }) {
  const parsed = parseImage(image);
  const wanted = options.component === undefined || options.component === 'fw' ? 'boot_img' : options.component;
  const component = parsed.components.find((c) => c.name === wanted);
  if (!component) throw new AccelError('ACCELCTL_E_BAD_IMAGE', `image has no '${wanted}' component (it has: ${parsed.components.map((c) => c.name).join(', ')})`);
  if (component.identifier !== COMPONENT_BOOT_IMG) {
    throw new AccelError('ACCELCTL_E_UNSUPPORTED', `flashing the ${wanted} component is not supported by accelctl`, { hint: "flash 'boot_img' (the firmware)" });
  }
  const data = image.subarray(component.offset, component.offset + component.size);
  options.progress({ phase: 'prepare', done: 0, total: data.length });

  const index = await bootImgIndex(ctx);
  const caps = McqiCap.decode(await queryMcqi(ctx, index, MCQI_INFO.CAPABILITIES, false, McqiCap.size));
  if (data.length > caps.max_component_size) {
    throw new AccelError('ACCELCTL_E_BAD_IMAGE', `boot_img is ${data.length} bytes, the device takes at most ${caps.max_component_size}`);
  }
  const align = 2 ** caps.log_mcda_word_size;
  const chunk = Math.max(align, caps.mcda_max_write_size - (caps.mcda_max_write_size % align));

  const handle = await lock(ctx);
  try {
    await mcc(ctx, MCC_INSTR.UPDATE_COMPONENT, handle, index, data.length);
    await waitState(ctx, handle, FSM.DOWNLOAD, 'update component');
    for (let offset = 0; offset < data.length; offset += chunk) {
      const block = data.subarray(offset, Math.min(data.length, offset + chunk));
      const req = new Uint8Array(McdaReg.size + block.length);
      McdaReg.write(req, { update_handle: handle, offset, size: block.length });
      req.set(swapDwords(block), McdaReg.size);
      await writeRegister(ctx, REG.MCDA, req, 'MCDA');
      options.progress({ phase: 'write', done: offset + block.length, total: data.length });
    }
    options.progress({ phase: 'verify', done: 0, total: data.length });
    await mcc(ctx, MCC_INSTR.VERIFY_COMPONENT, handle, index);
    await waitState(ctx, handle, FSM.LOCKED, 'verify');
    await mcc(ctx, MCC_INSTR.ACTIVATE, handle);
    await waitState(ctx, handle, FSM.LOCKED, 'activate');
    await mcc(ctx, MCC_INSTR.RELEASE_UPDATE_HANDLE, handle);
  } catch (error) {
    // mlxfw: cancel and release on any failure; best effort (after a power loss the handle is gone).
    await mcc(ctx, MCC_INSTR.CANCEL, handle).catch(() => undefined);
    await mcc(ctx, MCC_INSTR.RELEASE_UPDATE_HANDLE, handle).catch(() => undefined);
    throw error;
  }
  // Read back what the device now holds for the next boot.
  const state = (await queryMcqs(ctx, index)).component_update_state;
  const stored = state === UPDATE_STATE.ACTIVE_PENDING_RESET ? await componentVersion(ctx, index, true) : undefined;
  const verified = stored === parsed.versionString;
  options.progress({ phase: 'done', done: data.length, total: data.length });
  return {
    verified,
    activation: `firmware ${parsed.versionString} is stored and activated for the next boot; run 'accelctl fw activate ${ctx.device.name}' (MFRL firmware reset) or 'accelctl reset ${ctx.device.name}', or reboot`,
  };
}

async function activate(ctx: CommandContext): Promise<void> {
  const index = await bootImgIndex(ctx);
  const state = (await queryMcqs(ctx, index)).component_update_state;
  if (state !== UPDATE_STATE.ACTIVE_PENDING_RESET) {
    throw new AccelError('ACCELCTL_E_USAGE', `${ctx.device.name}: no firmware image is waiting for activation`, { hint: "flash one first with 'accelctl fw flash'" });
  }
  await firmwareReset(ctx, 'fw');
}

export const firmware: FirmwareSupport = {
  show,
  inspectImage,
  checkTarget,
  flash,
  activate,
  flashClass: 'configure',
  rpcs: { show: ['QUERY_ADAPTER', 'ACCESS_REG_READ'], flash: ['ACCESS_REG_READ', 'ACCESS_REG_WRITE'], activate: ['ACCESS_REG_READ', 'ACCESS_REG_WRITE'] },
};
