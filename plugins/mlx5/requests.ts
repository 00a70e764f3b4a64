/**
 * Encoders for the mailboxes accelctl sends. Each returns the exact `in`
 * buffer (big-endian PRM layout); the uid stays 0 because the kernel writes
 * the FD's uid into every header itself (mlx5ctl_fw_rpc).
 */
import { AccelError } from 'accelctl/sdk';
import { OP } from './opcodes';
import {
  ACCESS_REG_READ,
  AccessRegisterIn,
  CAP_TYPE_GENERAL,
  CounterId,
  DIAG_CONTEXT_OFFSET,
  DiagParamsContext,
  HCA_CAP_OPMOD_GET_CUR,
  HCA_CAP_OPMOD_GET_MAX,
  MBOX_HEADER_SIZE,
  MboxIn,
  QueryDiagCountersIn,
  QueryHcaCapIn,
} from './prm';

/** op_mod of QUERY_HCA_CAP: (capability type << 1) | (current ? 1 : 0). */
export function hcaCapOpMod(capType: number, current: boolean): number {
  return ((capType << 1) | (current ? HCA_CAP_OPMOD_GET_CUR : HCA_CAP_OPMOD_GET_MAX)) & 0xffff;
}

export function encodeQueryHcaCap(capType = CAP_TYPE_GENERAL, current = true): Uint8Array {
  return QueryHcaCapIn.encode({ opcode: OP.QUERY_HCA_CAP, op_mod: hcaCapOpMod(capType, current) });
}

export function encodeQueryAdapter(): Uint8Array {
  return MboxIn.encode({ opcode: OP.QUERY_ADAPTER });
}

export function encodeNop(): Uint8Array {
  return MboxIn.encode({ opcode: OP.NOP });
}

/**
 * ACCESS_REG: header, then the register contents (for a read too: the index
 * fields such as local_port travel in the data the firmware reads).
 */
export function encodeAccessReg(registerId: number, opMod: number, data: Uint8Array, argument = 0): Uint8Array {
  const request = new Uint8Array(MBOX_HEADER_SIZE + data.length);
  AccessRegisterIn.write(request, { opcode: OP.ACCESS_REG, op_mod: opMod, register_id: registerId, argument });
  request.set(data, MBOX_HEADER_SIZE);
  return request;
}

export function encodeRegisterRead(registerId: number, data: Uint8Array): Uint8Array {
  return encodeAccessReg(registerId, ACCESS_REG_READ, data);
}

export function encodeQueryDiagParams(): Uint8Array {
  return MboxIn.encode({ opcode: OP.QUERY_DIAGNOSTIC_PARAMS });
}

/** Bytes of query_diagnostic_params_out for `counters` counter ids. */
export function diagParamsOutLen(counters: number): number {
  return DIAG_CONTEXT_OFFSET + DiagParamsContext.size + CounterId.size * counters;
}

export interface DiagSettings {
  enable: boolean;
  counters: readonly number[];
  logNumOfSamples: number;
  logSamplePeriod: number;
  single?: boolean;
  repetitive?: boolean;
  sync?: boolean;
  clear?: boolean;
  onDemand?: boolean;
}

/** set_diagnostic_params_in: 8-byte header, context at byte 8, counter ids after it. */
export function encodeSetDiagParams(settings: DiagSettings): Uint8Array {
  if (settings.counters.length > 0xffff) throw new AccelError('ACCELCTL_E_BAD_INPUT', 'too many counters');
  const request = new Uint8Array(diagParamsOutLen(settings.counters.length));
  MboxIn.write(request, { opcode: OP.SET_DIAGNOSTIC_PARAMS });
  DiagParamsContext.write(
    request,
    {
      num_of_counters: settings.counters.length,
      log_num_of_samples: settings.logNumOfSamples,
      log_sample_period: settings.logSamplePeriod,
      single: settings.single ? 1 : 0,
      repetitive: settings.repetitive ? 1 : 0,
      sync: settings.sync ? 1 : 0,
      clear: settings.clear ? 1 : 0,
      on_demand: settings.onDemand ? 1 : 0,
      enable: settings.enable ? 1 : 0,
    },
    DIAG_CONTEXT_OFFSET,
  );
  settings.counters.forEach((id, i) => {
    CounterId.write(request, { counter_id: id }, DIAG_CONTEXT_OFFSET + DiagParamsContext.size + i * CounterId.size);
  });
  return request;
}

export function encodeQueryDiagCounters(numOfSamples: number, sampleIndex: number): Uint8Array {
  return QueryDiagCountersIn.encode({ opcode: OP.QUERY_DIAGNOSTIC_COUNTERS, num_of_samples: numOfSamples, sample_index: sampleIndex });
}

export function diagCountersOutLen(samples: number): number {
  return MBOX_HEADER_SIZE + 16 * samples;
}
