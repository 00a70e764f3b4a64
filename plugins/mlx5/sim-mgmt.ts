/**
 * The simulated ConnectX-7's management registers behind the capabilities:
 * MNVDA (non-volatile configuration: next-boot / current / default per TLV),
 * MFRL (firmware reset), MCQS/MCQI/MCC/MCDA (component update into the
 * inactive flash bank), PPCNT (802.3 counters that move with the clock).
 * Handlers return register contents, or an MLX5_CMD_STAT_* on error.
 */
import { crc32, type SimEnvironment } from 'accelctl/sdk';
import { swapDwords } from './firmware';
import { formatFwVersion, INFO_SIZE, parseInfoBlock } from './image';
import {
  GLOBAL_PCI_CAP,
  GLOBAL_PCI_CONF,
  KEEP_LINK_UP_P1,
  MAX_VFS,
  SW_ACCELERATE,
  SW_OFFLOAD,
  tlvKey,
  VPI_LINK_P1,
  type TlvSpec,
} from './nv-params';
import {
  ACCESS_MODE,
  ConfigItemHeader,
  ETH_802_3_COUNTERS,
  FSM,
  FSM_ERR,
  MCC_INSTR,
  MCQI_INFO,
  MFRL_LEVEL,
  MFRL_TYPE,
  MNVDA_DATA_SIZE,
  MNVDA_HEADER_SIZE,
  MNVDA_SIZE,
  MccReg,
  McdaReg,
  McqiCap,
  McqiReg,
  McqiVersion,
  McqsReg,
  MfrlReg,
  NvGlobalPciCap,
  NvGlobalPciConf,
  NvKeepLinkUp,
  NvSwAccelerateConf,
  NvSwOffloadConf,
  NvVpiLinkConf,
  PPCNT_GRP_IEEE_802_3,
  PPCNT_SIZE,
  PpcntHeader,
  UPDATE_STATE,
} from './prm-mgmt';
import type { Mlx5SimState, SimFlash, SimFsm, SimPort } from './sim-state';

const BAD_PARAM = 0x3;
const BAD_SYS_STATE = 0x4;

export type MgmtHandler = (state: Mlx5SimState, data: Uint8Array, write: boolean, env: SimEnvironment) => Uint8Array | number;

const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const fromHex = (h: string): Uint8Array => new Uint8Array(Buffer.from(h, 'hex'));

// ---------------------------------------------------------------- state

export const runningVersion = (s: Mlx5SimState): number => ((s.fw.major << 24) | (s.fw.minor << 16) | s.fw.sub_minor) >>> 0;

function idleFsm(nextHandle = 0x1a2b): SimFsm {
  return { state: FSM.IDLE, handle: 0, next_handle: nextHandle, error: 0, component_index: 0, component_size: 0, received: 0, crc: 0, info: null, last_cmd_ms: 0 };
}

/** Fill in what states saved before the capabilities lack. */
export function ensureState(s: Mlx5SimState): { nv: NonNullable<Mlx5SimState['nv']>; flash: SimFlash; fsm: SimFsm } {
  s.nv ??= {};
  s.flash ??= {
    active: 0,
    banks: [
      { version: runningVersion(s), psid: s.psid, complete: true },
      { version: runningVersion(s), psid: s.psid, complete: true },
    ],
    pending: false,
    failed: false,
  };
  s.fsm ??= idleFsm();
  s.reset_state ??= 0;
  return { nv: s.nv, flash: s.flash, fsm: s.fsm };
}

// ---------------------------------------------------------------- MNVDA

interface NvModel {
  tlv: TlvSpec;
  defaults: () => Uint8Array;
  readOnly?: boolean;
  /** The firmware's own range checks on a write. */
  valid?: (data: Uint8Array) => boolean;
}

const NV_MODEL: readonly NvModel[] = [
  {
    tlv: GLOBAL_PCI_CONF,
    defaults: () => NvGlobalPciConf.encode({ sriov_valid: 1, sriov_en: 1, total_vfs: 8 }),
    valid: (d) => NvGlobalPciConf.get(d, 'total_vfs') <= MAX_VFS && NvGlobalPciConf.get(d, 'per_pf_total_vf') === 0,
  },
  {
    tlv: GLOBAL_PCI_CAP,
    readOnly: true,
    defaults: () => NvGlobalPciCap.encode({ max_vfs_per_pf_valid: 1, per_pf_total_vf_supported: 1, sriov_support: 1, max_vfs_per_pf: MAX_VFS }),
  },
  {
    tlv: SW_OFFLOAD,
    defaults: () => NvSwOffloadConf.encode({ ip_over_vxlan_port: 4789, cqe_compression: 0 }),
    valid: (d) => NvSwOffloadConf.get(d, 'cqe_compression') <= 1,
  },
  { tlv: SW_ACCELERATE, defaults: () => NvSwAccelerateConf.encode({}), valid: (d) => NvSwAccelerateConf.get(d, 'swp_l4_csum_mode') <= 2 },
  {
    tlv: VPI_LINK_P1,
    defaults: () => NvVpiLinkConf.encode({ network_link_type: 2, default_link_type: 2 }),
    valid: (d) => [1, 2].includes(NvVpiLinkConf.get(d, 'network_link_type')),
  },
  { tlv: KEEP_LINK_UP_P1, defaults: () => NvKeepLinkUp.encode({}) },
];

function nvModelFor(reg: Uint8Array): NvModel | undefined {
  const h = ConfigItemHeader.decode(reg);
  const index = h.type_class === 1 ? h.port_parameter_index : h.global_parameter_index;
  const port = h.type_class === 1 ? h.port : undefined;
  return NV_MODEL.find((m) => m.tlv.typeClass === h.type_class && m.tlv.index === index && (m.tlv.port ?? undefined) === port);
}

const mnvda: MgmtHandler = (state, data, write) => {
  if (data.length < MNVDA_HEADER_SIZE) return BAD_PARAM;
  const model = nvModelFor(data);
  if (!model) return BAD_PARAM; // unknown TLV
  const { nv } = ensureState(state);
  const key = tlvKey(model.tlv);
  // Only a write creates the parameter's entry: a query must leave the device as it was.
  const entry = write ? (nv[key] ??= {}) : (nv[key] ?? {});
  const header = ConfigItemHeader.decode(data);
  if (write) {
    if (model.readOnly || header.length !== model.tlv.length || data.length < MNVDA_HEADER_SIZE + model.tlv.length) return BAD_PARAM;
    const value = data.slice(MNVDA_HEADER_SIZE, MNVDA_HEADER_SIZE + model.tlv.length);
    if (model.valid && !model.valid(value)) return BAD_PARAM;
    entry.next = toHex(value);
  }
  const value =
    header.access_mode === ACCESS_MODE.DEFAULT || model.readOnly
      ? model.defaults()
      : header.access_mode === ACCESS_MODE.CURRENT
        ? entry.current ? fromHex(entry.current) : model.defaults()
        : entry.next ? fromHex(entry.next) : entry.current ? fromHex(entry.current) : model.defaults();
  const out = new Uint8Array(Math.max(MNVDA_SIZE, data.length));
  out.set(data.subarray(0, MNVDA_HEADER_SIZE));
  ConfigItemHeader.write(out, { valid: 1, length: model.tlv.length });
  out.fill(0, MNVDA_HEADER_SIZE, MNVDA_HEADER_SIZE + MNVDA_DATA_SIZE);
  out.set(value.subarray(0, model.tlv.length), MNVDA_HEADER_SIZE);
  return out;
};

// ---------------------------------------------------------------- boot: reset and power cycle

/**
 * What a firmware reset and a power cycle share: boot the bank marked for the
 * next boot, load next-boot configuration, lose volatile state (FSM, diag,
 * counters, uptime). An incomplete bank is never booted.
 */
export function boot(state: Mlx5SimState, now: number): void {
  const { nv, flash } = ensureState(state);
  if (flash.pending) {
    const other = 1 - flash.active;
    const bank = flash.banks[other];
    if (bank?.complete) {
      flash.active = other;
      state.fw = { ...state.fw, major: (bank.version >>> 24) & 0xff, minor: (bank.version >>> 16) & 0xff, sub_minor: bank.version & 0xffff };
    }
    flash.pending = false;
  }
  for (const entry of Object.values(nv)) if (entry.next !== undefined) entry.current = entry.next;
  state.fsm = idleFsm((state.fsm?.next_handle ?? 0x1a2b) + 1);
  state.boot_ms = now;
  state.diag = { ...state.diag, enable: false, counters: [], started_ms: now };
  for (const port of state.ports) {
    port.admin_status = 1;
    port.oper_status = 1;
    port.traffic_ms = 0;
    port.up_since_ms = now;
  }
}

const mfrl: MgmtHandler = (state, data, write, env) => {
  ensureState(state);
  if (write) {
    const req = MfrlReg.decode(data);
    if (req.reset_level !== MFRL_LEVEL.LEVEL3 || req.rst_type_sel > 1) return BAD_PARAM;
    boot(state, env.now);
    state.reset_state = 0; // idle again: the reset completed
  }
  return MfrlReg.encode({
    reset_level: MFRL_LEVEL.LEVEL0 | MFRL_LEVEL.LEVEL3,
    reset_type: MFRL_TYPE.FULL_CHIP | MFRL_TYPE.NET_PORT_ALIVE,
    reset_state: state.reset_state ?? 0,
  });
};

// ---------------------------------------------------------------- component update

/** MCQS components of this firmware: index → identifier (boot_img, oem_nvconfig, mlnx_nvconfig). */
const COMPONENTS = [0x1, 0x4, 0x5];
/** MCQI caps: 16 MiB components, dword MCDA words, 4 KiB per MCDA write, PSID matched. */
export const MAX_COMPONENT_SIZE = 16 * 1024 * 1024;
export const MCDA_MAX_WRITE = 4096;

const mcqs: MgmtHandler = (state, data, write) => {
  if (write) return BAD_PARAM;
  const { flash, fsm } = ensureState(state);
  const index = McqsReg.get(data, 'component_index');
  const identifier = COMPONENTS[index];
  if (identifier === undefined) return BAD_PARAM;
  let update = UPDATE_STATE.IDLE as number;
  if (index === 0) {
    if (fsm.state !== FSM.IDLE && fsm.component_size > 0) update = UPDATE_STATE.IN_PROGRESS;
    else if (flash.pending) update = UPDATE_STATE.ACTIVE_PENDING_RESET;
    else if (flash.failed) update = UPDATE_STATE.FAILED;
  }
  return McqsReg.encode({ last_index_flag: index === COMPONENTS.length - 1 ? 1 : 0, component_index: index, identifier, component_status: index === 0 ? 2 : 1, component_update_state: update });
};

const mcqi: MgmtHandler = (state, data, write) => {
  if (write || data.length < McqiReg.size) return BAD_PARAM;
  const { flash } = ensureState(state);
  const req = McqiReg.decode(data);
  if (req.component_index !== 0) return BAD_PARAM;
  const out = new Uint8Array(data.length);
  let info: Uint8Array;
  if (req.info_type === MCQI_INFO.CAPABILITIES) {
    info = McqiCap.encode({
      supported_info_bitmask: (1 << MCQI_INFO.CAPABILITIES) | (1 << MCQI_INFO.VERSION),
      component_size: flash.banks[flash.active] ? MAX_COMPONENT_SIZE / 8 : 0,
      max_component_size: MAX_COMPONENT_SIZE,
      log_mcda_word_size: 2,
      mcda_max_write_size: MCDA_MAX_WRITE,
      match_psid: 1,
    });
  } else if (req.info_type === MCQI_INFO.VERSION) {
    let version = runningVersion(state);
    if (req.read_pending_component) {
      const stored = flash.banks[1 - flash.active];
      if (!flash.pending || !stored?.complete) return BAD_SYS_STATE;
      version = stored.version;
    }
    const text = formatFwVersion(version);
    info = McqiVersion.encode({ version, version_string_length: text.length, version_string: text });
  } else {
    return BAD_PARAM;
  }
  McqiReg.write(out, { ...req, info_size: info.length, data_size: Math.min(req.data_size, info.length) });
  out.set(info.subarray(0, Math.min(req.data_size, info.length, out.length - McqiReg.size)), McqiReg.size);
  return out;
};

function mccReply(state: Mlx5SimState, env: SimEnvironment, handle: number): Uint8Array {
  const fsm = ensureState(state).fsm;
  const idle = fsm.state === FSM.IDLE;
  const elapsed = fsm.last_cmd_ms ? Math.min(0xfff, Math.floor(Math.max(0, env.now - fsm.last_cmd_ms) / 1000)) : 0;
  return MccReg.encode({
    time_elapsed_since_last_cmd: idle ? 0 : elapsed,
    update_handle: idle ? fsm.next_handle & 0xffffff : handle === fsm.handle || handle === 0 ? fsm.handle : handle,
    control_state: fsm.state,
    error_code: fsm.error,
    component_index: fsm.component_index,
    component_size: fsm.component_size,
    control_progress: fsm.component_size ? Math.floor((100 * fsm.received) / fsm.component_size) : 0,
  });
}

function verify(state: Mlx5SimState): number {
  const { fsm } = ensureState(state);
  if (fsm.received !== fsm.component_size || !fsm.info) return FSM_ERR.BAD_FORMAT;
  if (fsm.info.length !== fsm.component_size) return FSM_ERR.BAD_FORMAT;
  if (fsm.info.crc !== fsm.crc) return FSM_ERR.DIGEST_ERR;
  if (fsm.info.psid !== state.psid) return FSM_ERR.NOT_APPLICABLE;
  return FSM_ERR.OK;
}

const mcc: MgmtHandler = (state, data, write, env) => {
  const { flash, fsm } = ensureState(state);
  const req = MccReg.decode(data);
  if (!write) return mccReply(state, env, req.update_handle);
  const owns = fsm.state !== FSM.IDLE && req.update_handle === fsm.handle;
  switch (req.instruction) {
    case MCC_INSTR.LOCK_UPDATE_HANDLE:
      if (fsm.state !== FSM.IDLE || req.update_handle !== (fsm.next_handle & 0xffffff)) return BAD_SYS_STATE;
      Object.assign(fsm, idleFsm(fsm.next_handle + 1), { state: FSM.LOCKED, handle: req.update_handle });
      break;
    case MCC_INSTR.UPDATE_COMPONENT: {
      if (!owns || fsm.state !== FSM.LOCKED) return BAD_SYS_STATE;
      if (req.component_index !== 0 || req.component_size === 0 || req.component_size > MAX_COMPONENT_SIZE || req.component_size % 4 !== 0) return BAD_PARAM;
      // Erase the bank that does not run: whatever it held (even an activated image) is gone.
      const other = 1 - flash.active;
      flash.banks[other] = { version: 0, psid: '', complete: false };
      flash.pending = false;
      Object.assign(fsm, { state: FSM.DOWNLOAD, error: 0, component_index: 0, component_size: req.component_size, received: 0, crc: 0, info: null });
      break;
    }
    case MCC_INSTR.VERIFY_COMPONENT: {
      if (!owns || fsm.state !== FSM.DOWNLOAD) return BAD_SYS_STATE;
      const err = verify(state);
      fsm.error = err;
      fsm.state = FSM.LOCKED;
      if (err === FSM_ERR.OK && fsm.info) flash.banks[1 - flash.active] = { version: fsm.info.version, psid: fsm.info.psid, complete: true };
      else flash.failed = true;
      break;
    }
    case MCC_INSTR.ACTIVATE: {
      if (!owns || fsm.state !== FSM.LOCKED) return BAD_SYS_STATE;
      const bank = flash.banks[1 - flash.active];
      if (!bank?.complete || fsm.error !== 0) {
        fsm.error = FSM_ERR.ERROR;
        break;
      }
      flash.pending = true;
      flash.failed = false;
      break;
    }
    case MCC_INSTR.CANCEL:
      if (!owns) return BAD_PARAM;
      Object.assign(fsm, { state: FSM.LOCKED, error: 0, component_size: 0, received: 0, info: null });
      break;
    case MCC_INSTR.RELEASE_UPDATE_HANDLE:
      if (!owns) return BAD_PARAM;
      Object.assign(fsm, idleFsm(fsm.next_handle));
      break;
    default:
      return BAD_PARAM;
  }
  fsm.last_cmd_ms = env.now;
  return mccReply(state, env, req.update_handle);
};

const mcda: MgmtHandler = (state, data, write, env) => {
  if (!write || data.length < McdaReg.size) return BAD_PARAM;
  const { fsm } = ensureState(state);
  const req = McdaReg.decode(data);
  if (fsm.state !== FSM.DOWNLOAD || req.update_handle !== fsm.handle) return BAD_SYS_STATE;
  if (req.size === 0 || req.size % 4 !== 0 || req.size > MCDA_MAX_WRITE || data.length < McdaReg.size + req.size) return BAD_PARAM;
  if (req.offset !== fsm.received || req.offset + req.size > fsm.component_size) return BAD_PARAM;
  const block = swapDwords(data.subarray(McdaReg.size, McdaReg.size + req.size));
  if (req.offset === 0 && block.length < INFO_SIZE) return BAD_PARAM;
  // Power can fail here: nothing of this block is committed unless the charge passes.
  env.chargeFlashWrite(block.length);
  if (req.offset === 0) fsm.info = parseInfoBlock(block) ?? { version: 0, psid: '', length: 0, crc: 0 };
  const skip = Math.max(0, INFO_SIZE - req.offset);
  fsm.crc = crc32(block.subarray(Math.min(skip, block.length)), fsm.crc);
  fsm.received += block.length;
  fsm.last_cmd_ms = env.now;
  const out = new Uint8Array(data.length);
  out.set(data);
  return out;
};

// ---------------------------------------------------------------- PPCNT

/** Per-second rates of the IEEE 802.3 counters on a busy 200G link; errors stay rare. */
const RATES: Readonly<Record<string, number>> = {
  a_frames_transmitted_ok: 2_100_000,
  a_frames_received_ok: 2_400_000,
  a_frame_check_sequence_errors: 0.02,
  a_octets_transmitted_ok: 2_100_000 * 1100,
  a_octets_received_ok: 2_400_000 * 1200,
  a_multicast_frames_xmitted_ok: 300,
  a_broadcast_frames_xmitted_ok: 20,
  a_multicast_frames_received_ok: 1_200,
  a_broadcast_frames_received_ok: 80,
  a_symbol_error_during_carrier: 0.01,
  a_pause_mac_ctrl_frames_received: 5,
  a_pause_mac_ctrl_frames_transmitted: 3,
};

/** Link-up milliseconds since the counters were last cleared. */
export function upTimeMs(port: SimPort, now: number): number {
  return (port.traffic_ms ?? 0) + (port.oper_status === 1 && port.up_since_ms ? Math.max(0, now - port.up_since_ms) : 0);
}

/** PAOS transitions: bank the link-up time so counters freeze while down. */
export function portStateChanged(port: SimPort, wasUp: boolean, now: number): void {
  const up = port.oper_status === 1;
  if (wasUp && !up) {
    port.traffic_ms = (port.traffic_ms ?? 0) + (port.up_since_ms ? Math.max(0, now - port.up_since_ms) : 0);
    port.up_since_ms = 0;
  } else if (!wasUp && up) {
    port.up_since_ms = now;
  }
}

const ppcnt: MgmtHandler = (state, data, write, env) => {
  const req = PpcntHeader.decode(data);
  const port = req.local_port >= 1 ? state.ports[req.local_port - 1] : undefined;
  if (!port || req.grp !== PPCNT_GRP_IEEE_802_3) return BAD_PARAM;
  if (port.up_since_ms === undefined) port.up_since_ms = state.boot_ms || env.now;
  if (write || req.clr) {
    port.traffic_ms = 0;
    port.up_since_ms = port.oper_status === 1 ? env.now : 0;
  }
  const out = new Uint8Array(PPCNT_SIZE);
  PpcntHeader.write(out, { local_port: req.local_port, grp: req.grp });
  const dv = new DataView(out.buffer);
  const seconds = upTimeMs(port, env.now) / 1000;
  ETH_802_3_COUNTERS.forEach((name, i) => {
    const value = Math.floor((RATES[name] ?? 0) * seconds);
    dv.setUint32(PpcntHeader.size + 8 * i, Math.floor(value / 2 ** 32) >>> 0);
    dv.setUint32(PpcntHeader.size + 8 * i + 4, value >>> 0);
  });
  return out;
};

/** Register id → minimum data size and handler. */
export const MGMT_REGISTERS: Record<number, { size: number; handle: MgmtHandler }> = {
  0x5008: { size: PPCNT_SIZE, handle: ppcnt },
  0x9024: { size: MNVDA_HEADER_SIZE, handle: mnvda },
  0x9028: { size: MfrlReg.size, handle: mfrl },
  0x9060: { size: McqsReg.size, handle: mcqs },
  0x9061: { size: McqiReg.size, handle: mcqi },
  0x9062: { size: MccReg.size, handle: mcc },
  0x9063: { size: McdaReg.size, handle: mcda },
};
