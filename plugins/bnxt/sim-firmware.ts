/**
 * The simulated BCM57508 firmware: answers HWRM requests with the real
 * response layouts (hsi.h), real HWRM_ERR_CODE_* values, temperatures that move
 * with the clock, a boot/health state, and state changes for FUNC_RESET and
 * NVM_FACTORY_DEFAULTS. Requests it does not model get
 * HWRM_ERR_CODE_CMD_NOT_SUPPORTED, as firmware answers an unknown command.
 */
import { type SimEnvironment } from 'accelctl/sdk';
import { ensureNvm, funcQcfg, handleNvm, runningOption, type BanksState, type NvmConfigState } from './sim-nvm';
import { HWRM, HWRM_ERR, HWRM_RESP_VALID_KEY } from './hsi';
import {
  FuncQcapsInput,
  FuncQcapsOutput,
  FuncQcapsOutputExt,
  FuncResetInput,
  FwHealthCheckOutput,
  HwrmErrOutput,
  HwrmInput,
  HwrmOutput,
  NvmFactoryDefaultsInput,
  NvmFactoryDefaultsOutput,
  TEMP_FLAGS,
  TempMonitorQueryOutput,
  VerGetOutput,
} from './layouts';

export type Version4 = [number, number, number, number];

export interface BnxtSimState {
  index: number;
  serial: string;
  /** Port MAC address as 12 hex digits. */
  mac: string;
  /** 8-byte device serial number (FUNC_QCAPS) as 16 hex digits. */
  dsn: string;
  fw: { hwrmIntf: Version4; hwrm: Version4; mgmt: Version4; netctrl: Version4; roce: Version4; pkg: string };
  chip: { num: number; rev: number; metal: number; bondId: number };
  /** FW_HEALTH_CHECK fw_status bits. */
  fwStatus: number;
  /** Idle chip temperature in °C; the reading oscillates around it with time. */
  tempBaseC: number;
  activeVfs: number;
  resets: { count: number; last: { level: number; vfId: number | null; at: number } | null };
  factory: { saved: boolean; creates: number; restores: number; lastRestoreAt: number | null };
  /** NVM options (stored) and the values the chip booted with (running); created lazily for older state files. */
  config?: NvmConfigState;
  /** The two firmware images in NVM and a flash in progress; created lazily for older state files. */
  banks?: BanksState;
}

/* fw_status bits (hsi.h FW_HEALTH_CHECK_RESP_FW_STATUS_*) */
export const FW_STATUS = { SBI_BOOTED: 0x1, SRT_BOOTED: 0x4, CRT_BOOTED: 0x10, DIR_HDR_BOOTED: 0x100, CFG_MISMATCH: 0x800 } as const;

const OWN_FID = 0xffff;

function toBytes(hex: string): Uint8Array {
  return new Uint8Array(Buffer.from(hex, 'hex'));
}

export interface Answer {
  /** Response bytes (full struct); header is filled by respond(). */
  body: Uint8Array;
}

/** Fill the response header and the trailing valid byte, as firmware does. */
export function finish(request: Uint8Array, body: Uint8Array, errorCode = 0): Uint8Array {
  HwrmOutput.write(body, {
    error_code: errorCode,
    req_type: HwrmInput.get(request, 'req_type'),
    seq_id: HwrmInput.get(request, 'seq_id'),
    resp_len: body.length,
  });
  body[body.length - 1] = HWRM_RESP_VALID_KEY;
  return body;
}

/** hwrm_err_output with a command-specific cmd_err. */
export function fail(request: Uint8Array, errorCode: number, cmdErr = 0): Answer {
  return { body: finish(request, HwrmErrOutput.encode({ cmd_err: cmdErr }), errorCode) };
}

export const ok = (request: Uint8Array, body: Uint8Array): Answer => ({ body: finish(request, body) });

function verGet(state: BnxtSimState, request: Uint8Array): Answer {
  const { fw, chip } = state;
  const [im, in_, ib, ip] = fw.hwrmIntf;
  const body = VerGetOutput.encode({
    hwrm_intf_maj_8b: im, hwrm_intf_min_8b: in_, hwrm_intf_upd_8b: ib, hwrm_intf_rsvd_8b: ip,
    hwrm_fw_maj_8b: fw.hwrm[0] & 0xff, hwrm_fw_min_8b: fw.hwrm[1], hwrm_fw_bld_8b: fw.hwrm[2] & 0xff, hwrm_fw_rsvd_8b: fw.hwrm[3] & 0xff,
    mgmt_fw_maj_8b: fw.mgmt[0] & 0xff, mgmt_fw_min_8b: fw.mgmt[1], mgmt_fw_bld_8b: fw.mgmt[2] & 0xff, mgmt_fw_rsvd_8b: fw.mgmt[3] & 0xff,
    netctrl_fw_maj_8b: fw.netctrl[0] & 0xff, netctrl_fw_min_8b: fw.netctrl[1], netctrl_fw_bld_8b: fw.netctrl[2] & 0xff, netctrl_fw_rsvd_8b: fw.netctrl[3] & 0xff,
    roce_fw_maj_8b: fw.roce[0] & 0xff, roce_fw_min_8b: fw.roce[1], roce_fw_bld_8b: fw.roce[2] & 0xff, roce_fw_rsvd_8b: fw.roce[3] & 0xff,
    // SECURE_FW_UPD | FW_DCBX_AGENT | SHORT_CMD_SUPPORTED | KONG_MB_CHNL | FLOW_HANDLE_64BIT | TRUSTED_VF | ADV_FLOW_COUNTERS | CFA_ADV_FLOW_MGNT | SECURE_BOOT_CAPABLE
    dev_caps_cfg: 0x1 | 0x2 | 0x4 | 0x10 | 0x20 | 0x100 | 0x400 | 0x1000 | 0x8000,
    hwrm_fw_name: 'ChiMP_HWRM', mgmt_fw_name: 'Kong_MGMT', netctrl_fw_name: 'ChiMP_NETCTRL', active_pkg_name: fw.pkg, roce_fw_name: 'RoCE',
    chip_num: chip.num, chip_rev: chip.rev, chip_metal: chip.metal, chip_bond_id: chip.bondId, chip_platform_type: 0,
    max_req_win_len: 128, max_resp_len: 704, def_req_timeout: 500,
    flags: 0x2, // EXT_VER_AVAIL: the 16-bit version fields below are filled
    always_1: 1,
    hwrm_intf_major: im, hwrm_intf_minor: in_, hwrm_intf_build: ib, hwrm_intf_patch: ip,
    hwrm_fw_major: fw.hwrm[0], hwrm_fw_minor: fw.hwrm[1], hwrm_fw_build: fw.hwrm[2], hwrm_fw_patch: fw.hwrm[3],
    mgmt_fw_major: fw.mgmt[0], mgmt_fw_minor: fw.mgmt[1], mgmt_fw_build: fw.mgmt[2], mgmt_fw_patch: fw.mgmt[3],
    netctrl_fw_major: fw.netctrl[0], netctrl_fw_minor: fw.netctrl[1], netctrl_fw_build: fw.netctrl[2], netctrl_fw_patch: fw.netctrl[3],
    roce_fw_major: fw.roce[0], roce_fw_minor: fw.roce[1], roce_fw_build: fw.roce[2], roce_fw_patch: fw.roce[3],
    max_ext_req_len: 1024, max_req_timeout: 40000,
  });
  return ok(request, body);
}

/* FUNC_QCAPS flags this function reports (hsi.h FUNC_QCAPS_RESP_FLAGS_*). */
const QCAPS_FLAGS =
  0x4 | 0x8 | 0x10 | 0x20 | 0x80 | 0x100 | 0x200 | 0x400 | 0x800 | 0x10000 | 0x80000 | 0x200000 | 0x400000 | 0x800000 | 0x1000000 | 0x10000000 | 0x20000000 | 0x80000000;

function funcQcaps(state: BnxtSimState, request: Uint8Array): Answer {
  if (request.length < FuncQcapsInput.size) return fail(request, HWRM_ERR.INVALID_PARAMS);
  const fid = FuncQcapsInput.get(request, 'fid');
  // The PF answers for itself; other function ids do not exist on this model.
  if (fid !== OWN_FID && fid !== state.index) return fail(request, HWRM_ERR.INVALID_PARAMS);
  const body = FuncQcapsOutputExt.encode({
    device_serial_number: toBytes(state.dsn), max_tso_segs: 255, flags_ext3: 0x1 | 0x4,
    roce_vf_max_qp: 0, max_roce_vfs: 0,
  });
  FuncQcapsOutput.write(body, {
    fid: state.index, port_id: state.index % 2, flags: QCAPS_FLAGS >>> 0, mac_address: toBytes(state.mac),
    max_rsscos_ctx: 512, max_cmpl_rings: 1024, max_tx_rings: 512, max_rx_rings: 512, max_l2_ctxs: 1024, max_vnics: 256,
    // max_vfs is 0 while SR-IOV is disabled in the configuration the chip booted with.
    first_vf_id: 128, max_vfs: runningOption(state, 'sriov_en') !== 0 ? 128 : 0, max_stat_ctx: 1024, max_encap_records: 4096, max_decap_records: 4096,
    max_tx_em_flows: 65536, max_tx_wm_flows: 0, max_rx_em_flows: 65536, max_rx_wm_flows: 0, max_mcast_filters: 128,
    max_flow_id: 0, max_hw_ring_grps: 0, max_sp_tx_rings: 0, max_msix_vfs: 128, flags_ext: 0x800 | 0x8000,
    max_schqs: 8, max_key_ctxs_alloc: 0, flags_ext2: 0x20 | 0x80,
  });
  return ok(request, body);
}

/** Chip temperature: the idle base plus a slow 5-minute swell and a faster 37-second ripple. */
export function chipTempC(state: BnxtSimState, now: number): number {
  const slow = 4 * Math.sin((2 * Math.PI * now) / 300_000);
  const fast = 1.5 * Math.sin((2 * Math.PI * now) / 37_000);
  return Math.round(state.tempBaseC + slow + fast);
}

function tempMonitor(state: BnxtSimState, request: Uint8Array, env: SimEnvironment): Answer {
  const chip = chipTempC(state, env.now);
  const body = TempMonitorQueryOutput.encode({
    temp: chip, phy_temp: chip - 6, om_temp: chip - 14,
    flags: TEMP_FLAGS.THRESHOLD_VALUES_AVAILABLE,
    warn_threshold: 95, critical_threshold: 100, fatal_threshold: 105, shutdown_threshold: 110,
  });
  return ok(request, body);
}

/** CRT_MISMATCH: the injected health fault shows as a runtime image that does not match its NVM copy. */
const FW_STATUS_CRT_MISMATCH = 0x20;
const FW_STATUS_SECOND_RT = 0x40;

function healthCheck(state: BnxtSimState, request: Uint8Array, env: SimEnvironment): Answer {
  let status = state.fwStatus;
  if (env.faults.includes('health-error')) status |= FW_STATUS_CRT_MISMATCH;
  if (ensureNvm(state).banks.active === 1) status |= FW_STATUS_SECOND_RT;
  return ok(request, FwHealthCheckOutput.encode({ fw_status: status }));
}

const RESETVF = 3;

function funcReset(state: BnxtSimState, request: Uint8Array, env: SimEnvironment): Answer {
  if (request.length < FuncResetInput.size) return fail(request, HWRM_ERR.INVALID_PARAMS);
  const r = FuncResetInput.decode(request);
  const vfValid = (r.enables & 0x1) !== 0;
  if (r.func_reset_level > RESETVF) return fail(request, HWRM_ERR.INVALID_PARAMS);
  if ((r.func_reset_level === RESETVF) !== vfValid) return fail(request, HWRM_ERR.INVALID_ENABLES);
  if (vfValid && r.vf_id >= state.activeVfs) return fail(request, HWRM_ERR.INVALID_PARAMS);
  state.resets.count += 1;
  state.resets.last = { level: r.func_reset_level, vfId: vfValid ? r.vf_id : null, at: env.now };
  // A reset of this function reloads its configuration from NVM.
  if (r.func_reset_level !== RESETVF) state.fwStatus &= ~FW_STATUS.CFG_MISMATCH;
  return ok(request, new Uint8Array(16));
}

const NO_SAVED_CFG = 2;

function factoryDefaults(state: BnxtSimState, request: Uint8Array, env: SimEnvironment): Answer {
  if (request.length < NvmFactoryDefaultsInput.size) return fail(request, HWRM_ERR.INVALID_PARAMS);
  const { mode, selection } = NvmFactoryDefaultsInput.decode(request);
  if (mode > 1 || selection === 0 || (selection & ~0x3) !== 0) return fail(request, HWRM_ERR.INVALID_PARAMS);
  if (mode === 1) {
    if (state.factory.saved) return ok(request, NvmFactoryDefaultsOutput.encode({ result: 2 })); // CREATE_ALREADY
    state.factory.saved = true;
    state.factory.creates += 1;
    return ok(request, NvmFactoryDefaultsOutput.encode({ result: 0 })); // CREATE_OK
  }
  if (!state.factory.saved) return fail(request, HWRM_ERR.FAIL, NO_SAVED_CFG);
  state.factory.restores += 1;
  state.factory.lastRestoreAt = env.now;
  // NVM now differs from the running configuration until the function is reset.
  if ((selection & 0x1) !== 0) state.fwStatus |= FW_STATUS.CFG_MISMATCH;
  return ok(request, NvmFactoryDefaultsOutput.encode({ result: 1 })); // RESTORE_OK
}

function dispatch(state: BnxtSimState, request: Uint8Array, env: SimEnvironment): Answer {
  switch (HwrmInput.get(request, 'req_type')) {
    case HWRM.VER_GET:
      return verGet(state, request);
    case HWRM.FUNC_QCAPS:
      return funcQcaps(state, request);
    case HWRM.TEMP_MONITOR_QUERY:
      return tempMonitor(state, request, env);
    case HWRM.FW_HEALTH_CHECK:
      return healthCheck(state, request, env);
    case HWRM.FUNC_RESET:
      return funcReset(state, request, env);
    case HWRM.NVM_FACTORY_DEFAULTS:
      return factoryDefaults(state, request, env);
    case HWRM.FUNC_QCFG:
      return funcQcfg(state, request);
    default:
      return handleNvm(state, request, env) ?? fail(request, HWRM_ERR.CMD_NOT_SUPPORTED);
  }
}

/**
 * Run a request and hand back what userspace receives: bnxt_send_msg() copies
 * min(resp_len, out_len) bytes into a zeroed buffer of out_len bytes, and the
 * fwctl driver returns that whole buffer.
 */
export function bnxtFirmware(state: BnxtSimState, request: Uint8Array, outLen: number, env: SimEnvironment): Uint8Array {
  const { body } = dispatch(state, request, env);
  const out = new Uint8Array(outLen);
  out.set(body.subarray(0, Math.min(body.length, outLen)));
  return out;
}
