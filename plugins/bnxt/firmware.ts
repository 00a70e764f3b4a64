/**
 * `accelctl fw` for bnxt.
 *
 * What bnxt_fwctl allows (drivers/fwctl/bnxt/main.c):
 *  - show: HWRM_VER_GET (running) and HWRM_NVM_GET_DEV_INFO (stored versions,
 *    what devlink info reports as "stored"), HWRM_FW_HEALTH_CHECK (SECOND_RT:
 *    which runtime image booted); all DEBUG_READ_ONLY inspect, no DMA.
 *  - flash: HWRM_NVM_WRITE then HWRM_NVM_MODIFY chunks (both DEBUG_WRITE in the
 *    DMA table: mutate-debug, the kernel taints; each chunk at most
 *    FWCTL_BNXT_MAX_DMABUF = 64 KiB, the data in a host buffer whose address is
 *    at offset 16), then HWRM_NVM_VERIFY_UPDATE (CONFIGURATION) as the checksum
 *    check. HWRM_NVM_INSTALL_UPDATE (the package installer devlink flash uses)
 *    is NOT in the kernel table, so only single-item images are flashable — the
 *    `ethtool -f` path (bnxt_flash_firmware: NVM_WRITE, then FW_RESET).
 *  - activate: HWRM_FW_RESET of the chip (CONFIGURATION).
 */
import { AccelError, type CommandContext, type FirmwareSupport, type FirmwareVersions, type FlashResult } from 'accelctl/sdk';
import { decodeVerGet, expectReqType } from './decode';
import { encodeFwHealthCheck, encodeVerGet } from './encode';
import { encodeFwResetChip, encodeNvmGetDevInfo, encodeNvmModify, encodeNvmVerifyUpdate, encodeNvmWrite } from './encode-nvm';
import { HWRM } from './hsi';
import { FW_COMPONENT, parseImage } from './image';
import { FwHealthCheckOutput, HwrmOutput } from './layouts';
import { NVM_DEV_INFO_FLAGS_FW_VER_VALID, NVM_MODIFY_ADDR_AT, NVM_MODIFY_FLAGS, NVM_WRITE_ADDR_AT, NVM_WRITE_FLAGS, NvmGetDevInfoOutput, NvmWriteOutput } from './layouts-nvm';
import { MAX_DMABUF } from './table';

/** Chunk size: bnxt_fwctl bounces at most FWCTL_BNXT_MAX_DMABUF bytes per buffer. */
export const FLASH_CHUNK = MAX_DMABUF;
const FW_STATUS_SECOND_RT = 0x40;

const quad = (a: number, b: number, c: number, d: number): string => `${a}.${b}.${c}.${d}`;

async function storedVersions(ctx: CommandContext): Promise<Record<string, string>> {
  const reply = await ctx.rpc(encodeNvmGetDevInfo());
  expectReqType(reply, HWRM.NVM_GET_DEV_INFO);
  const d = NvmGetDevInfoOutput.decode(reply);
  const stored: Record<string, string> = { 'fw.psid': `${d.nvm_cfg_ver_maj}.${d.nvm_cfg_ver_min}.${d.nvm_cfg_ver_upd}` };
  if ((d.flags & NVM_DEV_INFO_FLAGS_FW_VER_VALID) === 0) return stored;
  if (d.pkg_name !== '') stored.fw = d.pkg_name;
  stored['fw.mgmt'] = quad(d.hwrm_fw_major, d.hwrm_fw_minor, d.hwrm_fw_build, d.hwrm_fw_patch);
  stored['fw.roce'] = quad(d.roce_fw_major, d.roce_fw_minor, d.roce_fw_build, d.roce_fw_patch);
  // netctrl versions exist only in the 88-byte response (HSI 1.10.2.x and later).
  if (HwrmOutput.get(reply, 'resp_len') >= 88) stored['fw.netctrl'] = quad(d.netctrl_fw_major, d.netctrl_fw_minor, d.netctrl_fw_build, d.netctrl_fw_patch);
  return stored;
}

async function show(ctx: CommandContext): Promise<FirmwareVersions> {
  const reply = await ctx.rpc(encodeVerGet());
  expectReqType(reply, HWRM.VER_GET);
  const v = decodeVerGet(reply);
  const running: Record<string, string> = {
    fw: v.package || v.firmware.hwrm,
    'fw.mgmt': v.firmware.hwrm,
    'fw.mgmt.api': v.hwrm_interface,
    'fw.netctrl': v.firmware.netctrl,
    'fw.roce': v.firmware.roce,
  };
  const stored = await storedVersions(ctx);
  const health = await ctx.rpc(encodeFwHealthCheck());
  expectReqType(health, HWRM.FW_HEALTH_CHECK);
  const secondRt = (FwHealthCheckOutput.get(health, 'fw_status') & FW_STATUS_SECOND_RT) !== 0;
  return {
    fixed: { 'asic.id': `${v.chip.name} (${v.chip.num})`, 'asic.rev': v.chip.stepping },
    running,
    stored,
    activeBank: secondRt ? 'secondary' : 'primary',
    pendingActivation: stored.fw !== undefined && stored.fw !== running.fw,
  };
}

async function checkTarget(ctx: CommandContext, info: { target: string; version: string }): Promise<void> {
  const reply = await ctx.rpc(encodeVerGet());
  expectReqType(reply, HWRM.VER_GET);
  const chip = decodeVerGet(reply).chip.name;
  if (chip !== info.target) {
    throw new AccelError('ACCELCTL_E_BAD_IMAGE', `image is for ${info.target}, this device is ${chip}`, { hint: 'use the firmware file for this adapter' });
  }
}

async function flash(ctx: CommandContext, image: Uint8Array, options: { component?: string; progress: (p: { phase: 'prepare' | 'write' | 'verify' | 'done'; done: number; total: number }) => void }): Promise<FlashResult> {
  const parsed = parseImage(image);
  if (options.component !== undefined && options.component !== FW_COMPONENT) {
    throw new AccelError('ACCELCTL_E_BAD_INPUT', `bnxt images carry only the "${FW_COMPONENT}" component, not "${options.component}"`);
  }
  const total = image.length;
  options.progress({ phase: 'prepare', done: 0, total });
  // First chunk: NVM_WRITE allocates the whole item and keeps the running image (KEEP_ORIG_ACTIVE_IMG).
  const first = image.subarray(0, Math.min(FLASH_CHUNK, total));
  const lastInFirst = first.length === total;
  const writeFlags = NVM_WRITE_FLAGS.KEEP_ORIG_ACTIVE_IMG | NVM_WRITE_FLAGS.BATCH_MODE | (lastInFirst ? NVM_WRITE_FLAGS.BATCH_LAST : 0);
  const { reply } = await ctx.rpcIndirect(encodeNvmWrite(parsed.dirType, first.length, total, writeFlags), [{ pointerAt: NVM_WRITE_ADDR_AT, data: first }]);
  expectReqType(reply, HWRM.NVM_WRITE);
  const dirIdx = NvmWriteOutput.get(reply, 'dir_idx');
  let done = first.length;
  options.progress({ phase: 'write', done, total });
  while (done < total) {
    const chunk = image.subarray(done, Math.min(done + FLASH_CHUNK, total));
    const last = done + chunk.length === total;
    const flags = NVM_MODIFY_FLAGS.BATCH_MODE | (last ? NVM_MODIFY_FLAGS.BATCH_LAST : 0);
    const modified = await ctx.rpcIndirect(encodeNvmModify(dirIdx, done, chunk.length, flags), [{ pointerAt: NVM_MODIFY_ADDR_AT, data: chunk }]);
    expectReqType(modified.reply, HWRM.NVM_MODIFY);
    done += chunk.length;
    options.progress({ phase: 'write', done, total });
  }
  options.progress({ phase: 'verify', done: 0, total });
  expectReqType(await ctx.rpc(encodeNvmVerifyUpdate(parsed.dirType)), HWRM.NVM_VERIFY_UPDATE);
  options.progress({ phase: 'verify', done: total, total });
  options.progress({ phase: 'done', done: total, total });
  return { verified: true, activation: `firmware ${parsed.version} is stored and verified; run "accelctl fw activate" or "accelctl reset" (HWRM_FW_RESET chip reset) to run it` };
}

export const firmwareSupport: FirmwareSupport = {
  show,
  inspectImage: (image) => {
    const { format, version, target, components, size } = parseImage(image);
    return { format, version, target, components, size };
  },
  checkTarget,
  flash,
  async activate(ctx) {
    expectReqType(await ctx.rpc(encodeFwResetChip()), HWRM.FW_RESET);
  },
  flashClass: 'mutate-debug',
  rpcs: {
    show: ['HWRM_VER_GET', 'HWRM_NVM_GET_DEV_INFO', 'HWRM_FW_HEALTH_CHECK'],
    flash: ['HWRM_VER_GET', 'HWRM_NVM_WRITE', 'HWRM_NVM_MODIFY', 'HWRM_NVM_VERIFY_UPDATE'],
    activate: ['HWRM_FW_RESET'],
  },
};
