/**
 * Response decoders: bytes in, JSON-able snake_case objects out. They only ever
 * throw AccelError (via the SDK's bounds-checked struct reads). They never rely
 * on the trailing `valid` byte: bnxt_en's __hwrm_send() zeroes it before the
 * response reaches userspace ("Zero valid bit for compatibility").
 */
import { hexNumber, malformedReply } from 'accelctl/sdk';
import { errorCodeName, hwrmName } from './hsi';
import {
  CHIP_PLATFORM_TYPES,
  FUNC_QCAPS_FLAGS,
  FW_STATUS_BITS,
  FuncQcapsOutput,
  FuncQcapsOutputExt,
  FwHealthCheckOutput,
  HwrmErrOutput,
  HwrmOutput,
  NVM_FACTORY_CMD_ERR,
  NVM_FACTORY_RESULTS,
  NvmFactoryDefaultsOutput,
  TEMP_FLAGS,
  TempMonitorQueryOutput,
  VER_GET_DEV_CAPS,
  VER_GET_FLAGS,
  VerGetOutput,
} from './layouts';

export function bitNames(value: number, table: readonly (readonly [number, string])[]): string[] {
  return table.filter(([bit]) => (value & bit) !== 0).map(([, name]) => name);
}

export interface HeaderInfo {
  error_code: number;
  error: string | null;
  req_type: number;
  req_name: string;
  seq_id: number;
  resp_len: number;
}

export function decodeHeader(reply: Uint8Array): HeaderInfo {
  const h = HwrmOutput.decode(reply);
  return {
    error_code: h.error_code,
    error: h.error_code === 0 ? null : errorCodeName(h.error_code),
    req_type: h.req_type,
    req_name: hwrmName(h.req_type),
    seq_id: h.seq_id,
    resp_len: h.resp_len,
  };
}

/** cmd_err of hwrm_err_output, when the reply is long enough to carry it. */
export function decodeCmdErr(reply: Uint8Array): number | undefined {
  return reply.length >= HwrmErrOutput.size ? HwrmErrOutput.get(reply, 'cmd_err') : undefined;
}

/** Broadcom chip numbers (drivers/net/ethernet/broadcom/bnxt/bnxt.h CHIP_NUM_*). */
export const CHIP_NAMES: Readonly<Record<number, string>> = {
  0x16c8: 'BCM57301', 0x16c9: 'BCM57302', 0x16ca: 'BCM57304', 0x16d0: 'BCM57402', 0x16d1: 'BCM57404',
  0x16d2: 'BCM57406', 0x16d5: 'BCM57407', 0x16d6: 'BCM57412', 0x16d7: 'BCM57414', 0x16d8: 'BCM57416',
  0x16d9: 'BCM57417', 0x1750: 'BCM57508', 0x1751: 'BCM57504', 0x1752: 'BCM57502', 0x1760: 'BCM57608',
};

export function chipName(chipNum: number): string {
  return CHIP_NAMES[chipNum] ?? `chip ${hexNumber(chipNum, 4)}`;
}

type Quad = readonly [number, number, number, number];
const dotted = (q: Quad): string => q.join('.');

/** Prefer the 16-bit version fields when firmware fills them (as bnxt_hwrm_ver_get() does). */
function pickVersion(wide: Quad, narrow: Quad): string {
  return dotted(wide[0] !== 0 || wide[1] !== 0 || wide[2] !== 0 ? wide : narrow);
}

export function decodeVerGet(reply: Uint8Array) {
  const v = VerGetOutput.decode(reply);
  return {
    hwrm_interface: pickVersion(
      [v.hwrm_intf_major, v.hwrm_intf_minor, v.hwrm_intf_build, v.hwrm_intf_patch],
      [v.hwrm_intf_maj_8b, v.hwrm_intf_min_8b, v.hwrm_intf_upd_8b, v.hwrm_intf_rsvd_8b],
    ),
    firmware: {
      hwrm: pickVersion([v.hwrm_fw_major, v.hwrm_fw_minor, v.hwrm_fw_build, v.hwrm_fw_patch], [v.hwrm_fw_maj_8b, v.hwrm_fw_min_8b, v.hwrm_fw_bld_8b, v.hwrm_fw_rsvd_8b]),
      mgmt: pickVersion([v.mgmt_fw_major, v.mgmt_fw_minor, v.mgmt_fw_build, v.mgmt_fw_patch], [v.mgmt_fw_maj_8b, v.mgmt_fw_min_8b, v.mgmt_fw_bld_8b, v.mgmt_fw_rsvd_8b]),
      netctrl: pickVersion([v.netctrl_fw_major, v.netctrl_fw_minor, v.netctrl_fw_build, v.netctrl_fw_patch], [v.netctrl_fw_maj_8b, v.netctrl_fw_min_8b, v.netctrl_fw_bld_8b, v.netctrl_fw_rsvd_8b]),
      roce: pickVersion([v.roce_fw_major, v.roce_fw_minor, v.roce_fw_build, v.roce_fw_patch], [v.roce_fw_maj_8b, v.roce_fw_min_8b, v.roce_fw_bld_8b, v.roce_fw_rsvd_8b]),
    },
    firmware_names: {
      hwrm: v.hwrm_fw_name,
      mgmt: v.mgmt_fw_name,
      netctrl: v.netctrl_fw_name,
      roce: v.roce_fw_name,
    },
    package: v.active_pkg_name,
    chip: {
      num: hexNumber(v.chip_num, 4),
      name: chipName(v.chip_num),
      rev: v.chip_rev,
      metal: v.chip_metal,
      bond_id: v.chip_bond_id,
      platform: CHIP_PLATFORM_TYPES[v.chip_platform_type] ?? `unknown (${v.chip_platform_type})`,
      // bnxt_en prints e.g. "B1" as rev letter + metal.
      stepping: `${String.fromCharCode(0x41 + (v.chip_rev & 0x1f))}${v.chip_metal}`,
    },
    dev_caps_cfg: hexNumber(v.dev_caps_cfg, 8),
    dev_caps: bitNames(v.dev_caps_cfg, VER_GET_DEV_CAPS),
    flags: bitNames(v.flags, VER_GET_FLAGS),
    max_req_win_len: v.max_req_win_len,
    max_resp_len: v.max_resp_len,
    max_ext_req_len: v.max_ext_req_len,
    default_timeout_ms: v.def_req_timeout,
    max_req_timeout_ms: v.max_req_timeout,
  };
}
export type VerGetInfo = ReturnType<typeof decodeVerGet>;

function macString(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(':');
}

export function decodeFuncQcaps(reply: Uint8Array) {
  const q = FuncQcapsOutput.decode(reply);
  const respLen = HwrmOutput.get(reply, 'resp_len');
  const base = {
    fid: q.fid,
    port_id: q.port_id,
    mac_address: macString(q.mac_address),
    flags: hexNumber(q.flags, 8),
    capabilities: bitNames(q.flags, FUNC_QCAPS_FLAGS),
    flags_ext: hexNumber(q.flags_ext, 8),
    flags_ext2: hexNumber(q.flags_ext2, 8),
    max: {
      rsscos_ctx: q.max_rsscos_ctx,
      cmpl_rings: q.max_cmpl_rings,
      tx_rings: q.max_tx_rings,
      rx_rings: q.max_rx_rings,
      l2_ctxs: q.max_l2_ctxs,
      vnics: q.max_vnics,
      vfs: q.max_vfs,
      stat_ctx: q.max_stat_ctx,
      encap_records: q.max_encap_records,
      decap_records: q.max_decap_records,
      tx_em_flows: q.max_tx_em_flows,
      rx_em_flows: q.max_rx_em_flows,
      mcast_filters: q.max_mcast_filters,
      hw_ring_grps: q.max_hw_ring_grps,
      sp_tx_rings: q.max_sp_tx_rings,
      msix_vfs: q.max_msix_vfs,
      schqs: q.max_schqs,
      key_ctxs_alloc: q.max_key_ctxs_alloc,
    },
    first_vf_id: q.first_vf_id,
  };
  // Newer fields exist only when the firmware's response covers them.
  if (respLen < FuncQcapsOutputExt.size || reply.length < FuncQcapsOutputExt.size) {
    return { ...base, device_serial_number: null, max_tso_segs: null, flags_ext3: null };
  }
  const x = FuncQcapsOutputExt.decode(reply);
  return {
    ...base,
    device_serial_number: Array.from(x.device_serial_number, (b) => b.toString(16).padStart(2, '0')).join('-'),
    max_tso_segs: x.max_tso_segs,
    flags_ext3: hexNumber(x.flags_ext3, 8),
  };
}
export type FuncQcapsInfo = ReturnType<typeof decodeFuncQcaps>;

/** A temperature byte, or null when the firmware flags it unavailable. */
const celsius = (value: number, unavailable: boolean): number | null => (unavailable ? null : value);

export function decodeTempMonitor(reply: Uint8Array) {
  const t = TempMonitorQueryOutput.decode(reply);
  const f = t.flags;
  const omPresent = (f & TEMP_FLAGS.OM_NOT_PRESENT) === 0;
  const ext = (f & TEMP_FLAGS.EXT_TEMP_FIELDS_AVAILABLE) !== 0;
  const thresholds = (f & TEMP_FLAGS.THRESHOLD_VALUES_AVAILABLE) !== 0;
  return {
    chip_c: celsius(t.temp, (f & TEMP_FLAGS.TEMP_NOT_AVAILABLE) !== 0),
    phy_c: celsius(t.phy_temp, (f & TEMP_FLAGS.PHY_TEMP_NOT_AVAILABLE) !== 0),
    module_present: omPresent,
    module_c: celsius(t.om_temp, !omPresent || (f & TEMP_FLAGS.OM_TEMP_NOT_AVAILABLE) !== 0),
    // temp2/phy_temp2/om_temp2 are the second sensor bytes, valid only with EXT_TEMP_FIELDS_AVAILABLE.
    chip2_c: ext ? t.temp2 : null,
    phy2_c: ext ? t.phy_temp2 : null,
    module2_c: ext && omPresent ? t.om_temp2 : null,
    thresholds: thresholds
      ? { warn_c: t.warn_threshold, critical_c: t.critical_threshold, fatal_c: t.fatal_threshold, shutdown_c: t.shutdown_threshold }
      : null,
    flags: hexNumber(f, 2),
  };
}
export type TempInfo = ReturnType<typeof decodeTempMonitor>;

const BAD_FW_STATUS = 0x2 | 0x8 | 0x20 | 0x200 | 0x400 | 0x800 | 0x1000;

export function decodeHealth(reply: Uint8Array) {
  const h = FwHealthCheckOutput.decode(reply);
  const problems = bitNames(h.fw_status & BAD_FW_STATUS, FW_STATUS_BITS);
  return {
    fw_status: hexNumber(h.fw_status, 8),
    status_bits: bitNames(h.fw_status, FW_STATUS_BITS),
    problems,
    healthy: problems.length === 0,
  };
}
export type HealthInfo = ReturnType<typeof decodeHealth>;

export function decodeFactoryDefaults(reply: Uint8Array) {
  const result = NvmFactoryDefaultsOutput.get(reply, 'result');
  return { result: NVM_FACTORY_RESULTS[result] ?? `unknown (${result})` };
}

export function factoryCmdErrName(code: number): string {
  return NVM_FACTORY_CMD_ERR[code] ?? `unknown (${code})`;
}

/** Guard used by commands: the reply must answer the request that was sent. */
export function expectReqType(reply: Uint8Array, reqType: number): void {
  const got = HwrmOutput.get(reply, 'req_type');
  if (got !== reqType) {
    throw malformedReply(`reply is for ${hwrmName(got)}, expected ${hwrmName(reqType)}`);
  }
}
