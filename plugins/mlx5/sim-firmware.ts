/**
 * The simulated ConnectX-7 firmware: executes PRM command mailboxes and answers
 * with real out layouts (the same structs the kernel's mlx5_ifc.h describes).
 * Errors are real mlx5 statuses with a syndrome; nothing here throws.
 */
import type { SimEnvironment } from 'accelctl/sdk';
import {
  AccessRegisterIn,
  CmdHcaCap,
  CounterId,
  DIAG_CONTEXT_OFFSET,
  DiagCounterSample,
  DiagParamsContext,
  MBOX_HEADER_SIZE,
  MboxIn,
  MboxOut,
  McamReg,
  MgirReg,
  PaosReg,
  PtysReg,
  QUERY_ADAPTER_OUT_SIZE,
  QUERY_HCA_CAP_OUT_SIZE,
  QueryAdapterParamBlock,
  QueryDiagCountersIn,
  UCTX_CAP_TOOLS_RESOURCES,
} from './prm';
import {
  DEVICE_FREQUENCY_KHZ,
  DIAG_COUNTER_RATES,
  ETH_CAPABILITY,
  EXT_ETH_CAPABILITY,
  EXT_OPER_200G,
  LOG_MAX_DIAG_SAMPLES,
  LOG_MIN_SAMPLE_PERIOD,
  type Mlx5SimState,
} from './sim-state';
import { ensureState, MGMT_REGISTERS, portStateChanged } from './sim-mgmt';

/** MLX5_CMD_STAT_* */
export const STAT = {
  OK: 0x0,
  BAD_OP: 0x2,
  BAD_PARAM: 0x3,
  BAD_SYS_STATE: 0x4,
  BAD_INP_LEN: 0x50,
} as const;

/** A stable, device-looking syndrome per (opcode, status, reason). */
export function syndromeFor(opcode: number, status: number, reason = 0): number {
  return (Math.imul(opcode * 0x101 + reason, 0x9e3779b1) ^ (status << 24)) >>> 0;
}

function errorReply(opcode: number, status: number, reason = 0): Uint8Array {
  return MboxOut.encode({ status, syndrome: syndromeFor(opcode, status, reason) });
}

function okReply(size: number): Uint8Array {
  return new Uint8Array(Math.max(size, MBOX_HEADER_SIZE)); // status 0, syndrome 0
}

// ---------------------------------------------------------------- QUERY_HCA_CAP

function queryHcaCap(state: Mlx5SimState, opMod: number): Uint8Array {
  const capType = opMod >> 1;
  if (capType !== 0) return errorReply(0x100, STAT.BAD_PARAM, capType);
  const current = (opMod & 1) === 1;
  const reply = okReply(QUERY_HCA_CAP_OUT_SIZE);
  CmdHcaCap.write(
    reply,
    {
      hca_cap_2: 1,
      vhca_id: state.vhca_id,
      log_max_srq_sz: 15,
      log_max_qp_sz: 15,
      log_max_qp: 18,
      log_max_srq: 23,
      log_max_cq_sz: 22,
      log_max_cq: 24,
      log_max_eq_sz: 22,
      log_max_mkey: 24,
      log_max_eq: 8,
      max_indirection: 4,
      log_max_mrw_sz: 64,
      log_max_klm_list_size: 16,
      qcam_reg: 1,
      gid_table_size: 255,
      debug: 1,
      pkey_table_size: 0,
      vport_group_manager: 1,
      ib_virt: 0,
      eth_virt: 1,
      ets: 1,
      nic_flow_table: 1,
      eswitch_manager: 1,
      mcam_reg: 1,
      pcam_reg: 1,
      port_type: 1,
      num_ports: state.ports.length,
      log_max_msg: 30,
      max_tc: 8,
      temp_warn_event: 1,
      dcbx: 1,
      cqe_version: 1,
      dct: 1,
      qos: 1,
      eth_net_offloads: 1,
      // "current" reflects what is enabled; RoCE is supported but the model keeps it enabled too.
      roce: 1,
      log_pg_sz: 12,
      num_of_diagnostic_counters: Object.keys(DIAG_COUNTER_RATES).length,
      log_max_mcg: 21,
      log_max_transport_domain: 20,
      log_max_pd: 23,
      log_max_xrcd: 24,
      log_max_rq: 17,
      log_max_sq: 17,
      log_max_tir: 16,
      log_max_tis: 16,
      log_max_rmp: 23,
      log_max_rqt: 16,
      log_max_vlan_list: 12,
      log_max_current_mc_list: current ? 12 : 16,
      log_max_current_uc_list: current ? 10 : 16,
      log_max_uctx: 8,
      log_max_umem: 24,
      max_num_eqs: 1024,
      log_uar_page_sz: 0,
      device_frequency_mhz: DEVICE_FREQUENCY_KHZ / 1000,
      device_frequency_khz: DEVICE_FREQUENCY_KHZ,
      native_port_num: 1,
      num_vhca_ports: state.ports.length,
      max_num_sf: 512,
      sf: 1,
      log_max_sf: 9,
      uctx_cap: 0x3 | (state.tools_resources ? UCTX_CAP_TOOLS_RESOURCES : 0) | 0x8,
    },
    MBOX_HEADER_SIZE,
  );
  return reply;
}

// ---------------------------------------------------------------- QUERY_ADAPTER

function queryAdapter(state: Mlx5SimState): Uint8Array {
  const reply = okReply(QUERY_ADAPTER_OUT_SIZE);
  QueryAdapterParamBlock.write(
    reply,
    { ieee_vendor_id: 0x0002c9, vsd_vendor_id: 0x15b3, vsd: state.vsd.slice(0, 208), vsd_contd_psid: state.psid.slice(0, 16) },
    MBOX_HEADER_SIZE,
  );
  return reply;
}

// ---------------------------------------------------------------- ACCESS_REG

type RegHandler = (state: Mlx5SimState, data: Uint8Array, write: boolean, env: SimEnvironment) => Uint8Array | number;


function portOf(state: Mlx5SimState, localPort: number) {
  return localPort >= 1 ? state.ports[localPort - 1] : undefined;
}

function ptys(state: Mlx5SimState, data: Uint8Array, write: boolean): Uint8Array | number {
  const req = PtysReg.decode(data);
  const port = portOf(state, req.local_port);
  if (!port) return STAT.BAD_PARAM;
  if (write) {
    const admin = req.ext_eth_proto_admin;
    if (admin === 0 || (admin & ~EXT_ETH_CAPABILITY) !== 0) return STAT.BAD_PARAM;
    port.ext_eth_proto_admin = admin;
  }
  const up = port.oper_status === 1 && (port.ext_eth_proto_admin & EXT_OPER_200G) !== 0;
  return PtysReg.encode({
    local_port: req.local_port,
    proto_mask: req.proto_mask || 4,
    an_status: up ? 1 : 0,
    data_rate_oper: up ? 2000 : 0,
    ext_eth_proto_capability: EXT_ETH_CAPABILITY,
    eth_proto_capability: ETH_CAPABILITY,
    ext_eth_proto_admin: port.ext_eth_proto_admin,
    eth_proto_admin: ETH_CAPABILITY,
    ext_eth_proto_oper: up ? EXT_OPER_200G : 0,
    eth_proto_oper: 0,
    lane_rate_oper: up ? 100_000 >>> 0 : 0,
    connector_type: 7, // MLX5E_PORT_DA: a direct-attach copper cable
    eth_proto_lp_advertise: up ? EXT_OPER_200G : 0,
  });
}

function paos(state: Mlx5SimState, data: Uint8Array, write: boolean, env: SimEnvironment): Uint8Array | number {
  const req = PaosReg.decode(data);
  const port = portOf(state, req.local_port);
  if (!port) return STAT.BAD_PARAM;
  if (write && req.ase === 1) {
    if (req.admin_status !== 1 && req.admin_status !== 2) return STAT.BAD_PARAM;
    const wasUp = port.oper_status === 1;
    port.admin_status = req.admin_status;
    // The link follows the administrative state (the cable is always plugged in).
    port.oper_status = req.admin_status;
    portStateChanged(port, wasUp, env.now);
  }
  return PaosReg.encode({ swid: 0, local_port: req.local_port, admin_status: port.admin_status, oper_status: port.oper_status });
}

function mgir(state: Mlx5SimState, _data: Uint8Array, write: boolean, env: SimEnvironment): Uint8Array | number {
  if (write) return STAT.BAD_PARAM; // read-only register
  const mac = state.base_mac.padStart(12, '0');
  return MgirReg.encode({
    device_hw_revision: 0x00a0,
    device_id: 0x1021,
    num_ports: 2,
    technology: 4, // 7 nm
    hw_dev_id: 0x0218,
    manufacturing_base_mac_47_32: Number.parseInt(mac.slice(0, 4), 16) || 0,
    manufacturing_base_mac_31_0: Number.parseInt(mac.slice(4), 16) >>> 0,
    uptime: Math.max(0, Math.floor((env.now - state.boot_ms) / 1000)) >>> 0,
    fw_secured: 1,
    fw_signed: 1,
    // The 8-bit fields are deprecated and read 0 on current firmware: use the extended ones.
    fw_major: 0,
    fw_minor: 0,
    fw_sub_minor: 0,
    fw_build_id: state.fw.build_id,
    fw_year: state.fw.year,
    fw_month: state.fw.month,
    fw_day: state.fw.day,
    fw_hour: state.fw.hour,
    fw_psid: state.psid.slice(0, 16),
    fw_extended_major: state.fw.major,
    fw_extended_minor: state.fw.minor,
    fw_extended_sub_minor: state.fw.sub_minor,
    sw_major: 1,
    sw_minor: 0,
    sw_sub_minor: 0,
  });
}

/**
 * MTMP (0x900a, mlx5_ifc.h `mtmp_reg`, 0x100 bits): not decoded by the plugin,
 * here so that a raw `reg DEV 0x900a` has a real register to dump. Sensor 0 is
 * the ASIC; temperature in 0.125 °C units drifts with the clock.
 */
const MTMP_SIZE = 32;

function mtmp(_state: Mlx5SimState, data: Uint8Array, write: boolean, env: SimEnvironment): Uint8Array | number {
  if (write) return STAT.BAD_PARAM;
  const sensor = (((data[2] ?? 0) & 0x0f) << 8) | (data[3] ?? 0); // sensor_index[0xc] @ 0x14
  if (sensor !== 0) return STAT.BAD_PARAM;
  // The health-error fault is a cooling failure: the ASIC runs above its warning threshold.
  const overheated = env.faults.includes('health-error');
  const celsius8 = overheated ? 8 * 108 : 8 * 58 + Math.round(8 * 3 * Math.sin(env.now / 60_000)); // 55..61 °C
  const out = new Uint8Array(MTMP_SIZE);
  const dv = new DataView(out.buffer);
  dv.setUint16(6, celsius8); // temperature[0x10] @ 0x30
  dv.setUint16(10, Math.max(celsius8, 8 * 63)); // max_temperature[0x10] @ 0x50
  dv.setUint16(14, 8 * 105); // temp_threshold_hi[0x10] @ 0x70
  dv.setUint16(18, 8 * 100); // temp_threshold_lo[0x10] @ 0x90
  out.set(Buffer.from('asic', 'latin1'), 24); // sensor_name_hi @ 0xc0
  return out;
}

/** Management registers this firmware implements (MCAM access_reg_group 0 covers 0x9000..0x907f). */
const MCAM_GROUP0 = [0x9009, 0x900a, 0x9014, 0x9020, 0x9024, 0x9028, 0x902d, 0x9055, 0x9056, 0x9059, 0x9060, 0x9061, 0x9062, 0x9063, 0x907f];
/** mcam_enhanced_features_bits offsets (MSB-first) this firmware sets. */
const MCAM_FEATURES = [93, 94, 95, 106, 116, 117, 123, 124, 125, 126, 127];

function setMaskBit(mask: Uint8Array, bit: number): void {
  mask[bit >> 3] = (mask[bit >> 3] ?? 0) | (0x80 >> (bit & 7));
}

function mcam(_state: Mlx5SimState, data: Uint8Array, write: boolean): Uint8Array | number {
  if (write) return STAT.BAD_PARAM;
  const req = McamReg.decode(data);
  if (req.access_reg_group > 3 || req.feature_group > 0) return STAT.BAD_PARAM;
  const regs = new Uint8Array(16);
  if (req.access_reg_group === 0) for (const id of MCAM_GROUP0) setMaskBit(regs, 127 - (id - 0x9000));
  const features = new Uint8Array(16);
  for (const bit of MCAM_FEATURES) setMaskBit(features, bit);
  return McamReg.encode({ feature_group: 0, access_reg_group: req.access_reg_group, mng_access_reg_cap_mask: regs, mng_feature_cap_mask: features });
}

/** Return the register contents, or an MLX5_CMD_STAT_* number on error. */
const REGISTERS: Record<number, { size: number; handle: RegHandler }> = {
  0x5004: { size: PtysReg.size, handle: ptys },
  0x5006: { size: PaosReg.size, handle: paos },
  0x9020: { size: MgirReg.size, handle: mgir },
  0x907f: { size: McamReg.size, handle: mcam },
  0x900a: { size: MTMP_SIZE, handle: mtmp },
  ...MGMT_REGISTERS,
};

function accessReg(state: Mlx5SimState, request: Uint8Array, opMod: number, env: SimEnvironment): Uint8Array {
  const { register_id: id } = AccessRegisterIn.decode(request);
  const reg = REGISTERS[id];
  if (!reg) return errorReply(0x805, STAT.BAD_PARAM, id);
  if (request.length < MBOX_HEADER_SIZE + reg.size) return errorReply(0x805, STAT.BAD_INP_LEN, id);
  // Handlers see all the register data sent (MCDA and MCQI carry more than their fixed part).
  const result = reg.handle(state, request.subarray(MBOX_HEADER_SIZE), opMod === 0, env);
  if (typeof result === 'number') return errorReply(0x805, result, id);
  const reply = okReply(MBOX_HEADER_SIZE + result.length);
  reply.set(result, MBOX_HEADER_SIZE);
  return reply;
}

// ---------------------------------------------------------------- diagnostic counters

function queryDiagParams(state: Mlx5SimState): Uint8Array {
  const d = state.diag;
  const reply = okReply(DIAG_CONTEXT_OFFSET + DiagParamsContext.size + CounterId.size * d.counters.length);
  DiagParamsContext.write(
    reply,
    {
      num_of_counters: d.counters.length,
      log_num_of_samples: d.log_num_of_samples,
      single: d.single ? 1 : 0,
      repetitive: d.repetitive ? 1 : 0,
      sync: d.sync ? 1 : 0,
      on_demand: d.on_demand ? 1 : 0,
      enable: d.enable ? 1 : 0,
      log_sample_period: d.log_sample_period,
    },
    DIAG_CONTEXT_OFFSET,
  );
  d.counters.forEach((id, i) => CounterId.write(reply, { counter_id: id }, DIAG_CONTEXT_OFFSET + DiagParamsContext.size + i * CounterId.size));
  return reply;
}

function setDiagParams(state: Mlx5SimState, request: Uint8Array, env: SimEnvironment): Uint8Array {
  const op = 0x820;
  const listAt = DIAG_CONTEXT_OFFSET + DiagParamsContext.size;
  if (request.length < listAt) return errorReply(op, STAT.BAD_INP_LEN);
  const ctx = DiagParamsContext.decode(request, DIAG_CONTEXT_OFFSET);
  if (request.length < listAt + ctx.num_of_counters * CounterId.size) return errorReply(op, STAT.BAD_INP_LEN, 1);

  if (ctx.enable === 0) {
    state.diag = { ...state.diag, enable: false, counters: [], started_ms: env.now };
    return okReply(MBOX_HEADER_SIZE);
  }
  const counters: number[] = [];
  for (let i = 0; i < ctx.num_of_counters; i++) counters.push(CounterId.get(request, 'counter_id', listAt + i * CounterId.size));
  const supported = (id: number) => DIAG_COUNTER_RATES[id] !== undefined;
  if (counters.length === 0 || counters.length > Object.keys(DIAG_COUNTER_RATES).length) return errorReply(op, STAT.BAD_PARAM, 2);
  if (!counters.every(supported) || new Set(counters).size !== counters.length) return errorReply(op, STAT.BAD_PARAM, 3);
  if (ctx.log_num_of_samples > LOG_MAX_DIAG_SAMPLES || 2 ** ctx.log_num_of_samples < counters.length) return errorReply(op, STAT.BAD_PARAM, 4);
  if (ctx.log_sample_period < LOG_MIN_SAMPLE_PERIOD) return errorReply(op, STAT.BAD_PARAM, 5);
  if (ctx.single === ctx.repetitive && ctx.on_demand === 0) return errorReply(op, STAT.BAD_PARAM, 6);

  state.diag = {
    enable: true,
    counters,
    log_num_of_samples: ctx.log_num_of_samples,
    log_sample_period: ctx.log_sample_period,
    single: ctx.single === 1,
    repetitive: ctx.repetitive === 1,
    on_demand: ctx.on_demand === 1,
    sync: ctx.sync === 1,
    started_ms: ctx.clear === 1 || !state.diag.enable ? env.now : state.diag.started_ms,
  };
  return okReply(MBOX_HEADER_SIZE);
}

/**
 * Samples are laid out round by round (one entry per enabled counter). The
 * buffer holds the most recent rounds, the last of which is "now", so values
 * move with the clock: value = rate × time since sampling started.
 */
function queryDiagCounters(state: Mlx5SimState, request: Uint8Array, env: SimEnvironment): Uint8Array {
  const op = 0x821;
  const d = state.diag;
  if (!d.enable || d.counters.length === 0) return errorReply(op, STAT.BAD_SYS_STATE);
  const { num_of_samples: count, sample_index: first } = QueryDiagCountersIn.decode(request);
  const capacity = 2 ** d.log_num_of_samples;
  if (count === 0 || first + count > capacity) return errorReply(op, STAT.BAD_PARAM, 7);

  const n = d.counters.length;
  const periodMs = 2 ** d.log_sample_period / DEVICE_FREQUENCY_KHZ;
  const elapsedMs = Math.max(0, env.now - d.started_ms);
  const roundsTaken = Math.floor(elapsedMs / periodMs) + 1;
  const roundsHeld = Math.min(roundsTaken, Math.floor(capacity / n));
  const reply = okReply(MBOX_HEADER_SIZE + DiagCounterSample.size * count);
  for (let i = 0; i < count; i++) {
    const s = first + i;
    const round = Math.floor(s / n);
    if (round >= roundsHeld) continue; // not sampled yet: the entry stays zero
    const id = d.counters[s % n] ?? 0;
    const absoluteRound = roundsTaken - roundsHeld + round;
    const tMs = Math.min(elapsedMs, absoluteRound * periodMs);
    const clocks = BigInt(Math.floor((d.started_ms + tMs) * DEVICE_FREQUENCY_KHZ));
    DiagCounterSample.write(
      reply,
      {
        counter_id: id,
        sample_id: absoluteRound & 0xffff,
        time_stamp_31_0: Number(clocks & 0xffffffffn),
        counter_value: BigInt(Math.floor(((DIAG_COUNTER_RATES[id] ?? 0) * tMs) / 1000)),
      },
      MBOX_HEADER_SIZE + i * DiagCounterSample.size,
    );
  }
  return reply;
}

// ---------------------------------------------------------------- dispatch

/** Minimum `in` sizes the firmware checks (BAD_INP_LEN below them). */
const MIN_IN: Record<number, number> = { 0x100: 16, 0x101: 16, 0x805: 16, 0x80d: 16, 0x819: 16, 0x821: 16 };

export function runFirmware(state: Mlx5SimState, request: Uint8Array, _outLen: number, env: SimEnvironment): Uint8Array {
  if (state.boot_ms === 0) state.boot_ms = env.now;
  ensureState(state);
  if (request.length < MBOX_HEADER_SIZE) return errorReply(0, STAT.BAD_INP_LEN);
  const { opcode, op_mod: opMod } = MboxIn.decode(request);
  if (request.length < (MIN_IN[opcode] ?? 0)) return errorReply(opcode, STAT.BAD_INP_LEN);
  switch (opcode) {
    case 0x80d: // NOP
      return okReply(MBOX_HEADER_SIZE);
    case 0x100: // QUERY_HCA_CAP
      return queryHcaCap(state, opMod);
    case 0x101: // QUERY_ADAPTER
      return queryAdapter(state);
    case 0x805: // ACCESS_REG
      return accessReg(state, request, opMod, env);
    case 0x819: // QUERY_DIAGNOSTIC_PARAMS
      return queryDiagParams(state);
    case 0x820: // SET_DIAGNOSTIC_PARAMS
      return setDiagParams(state, request, env);
    case 0x821: // QUERY_DIAGNOSTIC_COUNTERS
      return queryDiagCounters(state, request, env);
    default:
      // Allowed by the kernel but not modelled (or not allowed at all): the
      // firmware's answer to a command it does not implement.
      return errorReply(opcode, STAT.BAD_OP);
  }
}
