/**
 * Decoders from reply bytes to JSON-able data (snake_case keys, no bigint).
 * They only ever throw AccelError (ACCELCTL_E_MALFORMED_REPLY): every read goes
 * through a bounds-checked struct or `slice`, and no length field from the
 * device sizes an allocation.
 */
import { malformedReply, slice } from 'accelctl/sdk';
import {
  CmdHcaCap,
  CounterId,
  DIAG_CONTEXT_OFFSET,
  DiagCounterSample,
  DiagParamsContext,
  MBOX_HEADER_SIZE,
  MboxOut,
  PORT_TYPE_NAMES,
  QueryAdapterParamBlock,
  uctxCapNames,
} from './prm';

/** include/linux/mlx5/device.h MLX5_CMD_STAT_* (names without the _ERR suffix). */
export const CMD_STATUS_NAMES: Readonly<Record<number, string>> = {
  0x00: 'OK',
  0x01: 'INT',
  0x02: 'BAD_OP',
  0x03: 'BAD_PARAM',
  0x04: 'BAD_SYS_STATE',
  0x05: 'BAD_RES',
  0x06: 'RES_BUSY',
  0x07: 'NOT_READY',
  0x08: 'LIM',
  0x09: 'BAD_RES_STATE',
  0x0a: 'IX',
  0x0f: 'NO_RES',
  0x10: 'BAD_QP_STATE',
  0x30: 'BAD_PKT',
  0x40: 'BAD_SIZE_OUTS_CQES',
  0x50: 'BAD_INP_LEN',
  0x51: 'BAD_OUTP_LEN',
};

export function statusName(status: number): string {
  return CMD_STATUS_NAMES[status] ?? `STATUS_0x${status.toString(16).padStart(2, '0')}`;
}

export interface OutHeader {
  status: number;
  status_name: string;
  syndrome: number;
}

export function decodeOutHeader(reply: Uint8Array): OutHeader {
  if (reply.length < MBOX_HEADER_SIZE) {
    throw malformedReply(`mlx5 reply of ${reply.length} bytes is shorter than the 16-byte mailbox out header`);
  }
  const { status, syndrome } = MboxOut.decode(reply);
  return { status, status_name: statusName(status), syndrome };
}

export type GeneralCaps = Record<string, number | string | boolean | string[]>;

const FLAG_FIELDS = new Set([
  'hca_cap_2', 'qcam_reg', 'debug', 'vport_group_manager', 'ib_virt', 'eth_virt', 'ets', 'nic_flow_table',
  'eswitch_manager', 'mcam_reg', 'pcam_reg', 'temp_warn_event', 'dcbx', 'dct', 'qos', 'eth_net_offloads', 'roce', 'sf',
]);

/** query_hca_cap_out with a general-device capability (cmd_hca_cap) at byte 16. */
export function decodeGeneralCaps(reply: Uint8Array): GeneralCaps {
  const cap = CmdHcaCap.decode(reply, MBOX_HEADER_SIZE);
  const out: GeneralCaps = {};
  for (const [name, value] of Object.entries(cap)) {
    out[name] = FLAG_FIELDS.has(name) ? value === 1 : value;
  }
  out.port_type_name = PORT_TYPE_NAMES[cap.port_type] ?? `unknown(${cap.port_type})`;
  out.uctx_cap_names = uctxCapNames(cap.uctx_cap);
  return out;
}

export interface AdapterInfo {
  ieee_vendor_id: string;
  vsd_vendor_id: string;
  vsd: string;
  psid: string;
}

/** query_adapter_out: header + query_adapter_param_block at byte 16. */
export function decodeAdapter(reply: Uint8Array): AdapterInfo {
  const block = QueryAdapterParamBlock.decode(reply, MBOX_HEADER_SIZE);
  return {
    ieee_vendor_id: `0x${block.ieee_vendor_id.toString(16).padStart(6, '0')}`,
    vsd_vendor_id: `0x${block.vsd_vendor_id.toString(16).padStart(4, '0')}`,
    vsd: printable(block.vsd),
    psid: printable(block.vsd_contd_psid),
  };
}

/** Firmware strings are NUL-padded ASCII; keep them printable. */
const UNPRINTABLE = /[^\x20-\x7e]/;
const UNPRINTABLE_ALL = /[^\x20-\x7e]/g;

function printable(text: string): string {
  // Most device strings are plain ASCII already: test before building a new string.
  return (UNPRINTABLE.test(text) ? text.replace(UNPRINTABLE_ALL, '.') : text).trimEnd();
}

export interface DiagParams {
  enable: boolean;
  single: boolean;
  repetitive: boolean;
  sync: boolean;
  clear: boolean;
  on_demand: boolean;
  log_num_of_samples: number;
  log_sample_period: number;
  num_of_counters: number;
  counter_ids: number[];
}

/** query_diagnostic_params_out: 8-byte header, context at 8, counter_id[num_of_counters] after it. */
export function decodeDiagParams(reply: Uint8Array): DiagParams {
  const ctx = DiagParamsContext.decode(reply, DIAG_CONTEXT_OFFSET);
  const listAt = DIAG_CONTEXT_OFFSET + DiagParamsContext.size;
  // num_of_counters comes from the device: check the bytes exist before reading any.
  const list = slice(reply, listAt, ctx.num_of_counters * CounterId.size, 'diagnostic_params_context.counter_id');
  const counterIds: number[] = [];
  for (let i = 0; i < ctx.num_of_counters; i++) counterIds.push(CounterId.get(list, 'counter_id', i * CounterId.size));
  return {
    enable: ctx.enable === 1,
    single: ctx.single === 1,
    repetitive: ctx.repetitive === 1,
    sync: ctx.sync === 1,
    clear: ctx.clear === 1,
    on_demand: ctx.on_demand === 1,
    log_num_of_samples: ctx.log_num_of_samples,
    log_sample_period: ctx.log_sample_period,
    num_of_counters: ctx.num_of_counters,
    counter_ids: counterIds,
  };
}

export interface DiagSample {
  counter_id: number;
  sample_id: number;
  time_stamp_31_0: number;
  /** 64-bit value as a decimal string (JSON has no 64-bit integers). */
  counter_value: string;
}

/** query_diagnostic_cntrs_out: header, then `samples` 16-byte diagnostic_cntr_struct entries. */
export function decodeDiagCounters(reply: Uint8Array, samples: number): DiagSample[] {
  slice(reply, MBOX_HEADER_SIZE, samples * DiagCounterSample.size, 'diag_counter[]');
  const out: DiagSample[] = [];
  for (let i = 0; i < samples; i++) {
    const s = DiagCounterSample.decode(reply, MBOX_HEADER_SIZE + i * DiagCounterSample.size);
    out.push({
      counter_id: s.counter_id,
      sample_id: s.sample_id,
      time_stamp_31_0: s.time_stamp_31_0,
      counter_value: s.counter_value.toString(),
    });
  }
  return out;
}

/**
 * Names of the diagnostic counter ids NVIDIA's mlx5ctl tool describes
 * (saeedtx/mlx5ctl diag_cnt.c `diag_cnt_desc`).
 */
export const DIAG_COUNTER_NAMES: Readonly<Record<number, string>> = {
  0x0401: 'Back Pressure from Datalink to Transport Unit',
  0x0402: 'Outbound Stalled Writes',
  0x0403: 'Outbound Stalled Reads',
  0x0406: 'RX 128B Data',
  0x0409: 'PCI Read Stalled due to No Read Engines',
  0x040a: 'PCI Read Stalled due to No Completion Buffer',
  0x040b: 'PCI Read Stalled due to Ordering',
  0x1001: 'RX Steering Packets',
  0x2001: 'Send Queue Stopped due to Limited VL',
  0x2006: 'TX Packets',
  0x2c02: 'Line Transmitted Port 1',
  0x2c03: 'Line Transmitted Port 2',
  0x2c04: 'Line Transmitted Loop Back',
};

export function diagCounterName(id: number): string {
  return DIAG_COUNTER_NAMES[id] ?? 'unknown';
}
