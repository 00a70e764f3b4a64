/**
 * The mlx5 protocol: classify a mailbox exactly as drivers/fwctl/mlx5/main.c
 * does, read the status out of a reply, and decode what accelctl understands.
 */
import {
  Scope,
  hexNumber,
  malformedReply,
  toHex,
  type Classification,
  type Protocol,
  type ReplyStatus,
  type RpcKind,
} from 'accelctl/sdk';
import {
  decodeAdapter,
  decodeDiagCounters,
  decodeDiagParams,
  decodeGeneralCaps,
  decodeOutHeader,
  statusName,
} from './decode';
import { ALLOWED_OPCODES, OP, lookupOpcode, opcodeName, type OpcodeInfo } from './opcodes';
import {
  ACCESS_REG_WRITE,
  AccessRegisterIn,
  CAP_TYPE_GENERAL,
  FwctlInfoMlx5,
  MBOX_HEADER_SIZE,
  MboxIn,
  QUERY_ADAPTER_OUT_SIZE,
  QUERY_HCA_CAP_OUT_SIZE,
  QueryDiagCountersIn,
  uctxCapNames,
} from './prm';
import { registerById } from './registers';
import { diagCountersOutLen, diagParamsOutLen } from './requests';

/** Counter ids a QUERY_DIAGNOSTIC_PARAMS reply has room for by default. */
export const DEFAULT_DIAG_COUNTER_ROOM = 64;

const accessName = (info: OpcodeInfo, write: boolean): string => `${info.name}_${write ? 'WRITE' : 'READ'}`;

/** The accelctl class + minimum scope of one allow-list entry (op_mod matters only for register access). */
export function classifyOpcode(info: OpcodeInfo, opMod: number): Classification {
  switch (info.rule) {
    case 'any-scope':
      return { rpcClass: info.changes ? 'configure' : 'inspect', scope: Scope.CONFIGURATION, name: info.name };
    case 'debug-read-only':
      return { rpcClass: 'inspect', scope: Scope.DEBUG_READ_ONLY, name: info.name };
    case 'debug-write':
      return { rpcClass: 'mutate-debug', scope: Scope.DEBUG_WRITE, name: info.name };
    case 'register-access':
      // The driver: op_mod 0 is a write, allowed at any scope; a read needs DEBUG_READ_ONLY.
      return opMod === ACCESS_REG_WRITE
        ? { rpcClass: 'configure', scope: Scope.CONFIGURATION, name: accessName(info, true) }
        : { rpcClass: 'inspect', scope: Scope.DEBUG_READ_ONLY, name: accessName(info, false) };
  }
}

export function classify(request: Uint8Array): Classification | undefined {
  // mlx5ctl_fw_rpc(): in_len < sizeof(mbox_in_hdr) is refused (EMSGSIZE).
  if (request.length < MBOX_HEADER_SIZE) return undefined;
  const { opcode, op_mod: opMod } = MboxIn.decode(request);
  const info = lookupOpcode(opcode);
  return info ? classifyOpcode(info, opMod) : undefined;
}

function buildRpcKinds(): RpcKind[] {
  const kinds: RpcKind[] = [];
  for (const info of ALLOWED_OPCODES) {
    const opcode = hexNumber(info.opcode, 4);
    if (info.rule === 'register-access') {
      for (const opMod of [0, 1]) {
        const c = classifyOpcode(info, opMod);
        kinds.push({ name: c.name, rpcClass: c.rpcClass, scope: c.scope, description: `${opcode} op_mod ${opMod} (${opMod ? 'read' : 'write'})` });
      }
    } else {
      const c = classifyOpcode(info, 0);
      kinds.push({ name: c.name, rpcClass: c.rpcClass, scope: c.scope, description: opcode });
    }
  }
  return kinds;
}

let builtRpcKinds: readonly RpcKind[] | undefined;

export function replyStatus(_request: Uint8Array, reply: Uint8Array): ReplyStatus {
  const header = decodeOutHeader(reply);
  if (header.status === 0) return { ok: true };
  return { ok: false, status: header.status, message: statusName(header.status), detail: { syndrome: header.syndrome } };
}

export function defaultOutLen(request: Uint8Array): number {
  if (request.length < MBOX_HEADER_SIZE) return MBOX_HEADER_SIZE;
  const opcode = MboxIn.get(request, 'opcode');
  switch (opcode) {
    case OP.QUERY_HCA_CAP:
      return QUERY_HCA_CAP_OUT_SIZE;
    case OP.QUERY_ADAPTER:
      return QUERY_ADAPTER_OUT_SIZE;
    case OP.ACCESS_REG:
    case OP.ACCESS_REGISTER_USER:
      // access_register_out mirrors the in: header + the same register_data.
      return Math.max(request.length, MBOX_HEADER_SIZE);
    case OP.QUERY_DIAGNOSTIC_PARAMS:
      return diagParamsOutLen(DEFAULT_DIAG_COUNTER_ROOM);
    case OP.QUERY_DIAGNOSTIC_COUNTERS:
      return diagCountersOutLen(QueryDiagCountersIn.get(request, 'num_of_samples'));
    case OP.SET_DIAGNOSTIC_PARAMS:
    case OP.NOP:
      return MBOX_HEADER_SIZE;
    default:
      // Unknown layout: offer a page after the header (most query outs fit).
      return QUERY_HCA_CAP_OUT_SIZE;
  }
}

/** What `accelctl rpc` prints: the out header and, where known, the decoded command. */
export function decodeReply(request: Uint8Array, reply: Uint8Array): Record<string, unknown> {
  const header = decodeOutHeader(reply);
  const opcode = request.length >= MBOX_HEADER_SIZE ? MboxIn.get(request, 'opcode') : undefined;
  const result: Record<string, unknown> = {
    opcode: opcode === undefined ? null : hexNumber(opcode, 4),
    command: opcode === undefined ? null : opcodeName(opcode),
    ...header,
  };
  if (header.status !== 0 || opcode === undefined) return result;
  const decoded = decodeKnown(request, reply, opcode);
  if (decoded !== undefined) result.fields = decoded;
  else if (reply.length > MBOX_HEADER_SIZE) result.payload_hex = toHex(reply.subarray(MBOX_HEADER_SIZE));
  return result;
}

function decodeKnown(request: Uint8Array, reply: Uint8Array, opcode: number): unknown {
  const opMod = MboxIn.get(request, 'op_mod');
  switch (opcode) {
    case OP.QUERY_HCA_CAP:
      return opMod >> 1 === CAP_TYPE_GENERAL ? decodeGeneralCaps(reply) : undefined;
    case OP.QUERY_ADAPTER:
      return decodeAdapter(reply);
    case OP.ACCESS_REG: {
      const reg = registerById(AccessRegisterIn.get(request, 'register_id'));
      if (!reg) return undefined;
      const data = reply.subarray(MBOX_HEADER_SIZE);
      if (data.length < reg.size) throw malformedReply(`${reg.name}: register data of ${data.length} bytes, need ${reg.size}`);
      return { register: reg.name, ...reg.decode(data) };
    }
    case OP.QUERY_DIAGNOSTIC_PARAMS:
      return decodeDiagParams(reply);
    case OP.QUERY_DIAGNOSTIC_COUNTERS: {
      const want = QueryDiagCountersIn.get(request, 'num_of_samples');
      const fit = Math.floor((reply.length - MBOX_HEADER_SIZE) / 16);
      return { samples: decodeDiagCounters(reply, Math.min(want, fit)) };
    }
    default:
      return undefined;
  }
}

export function decodeInfo(data: Uint8Array): Record<string, unknown> {
  if (data.length < FwctlInfoMlx5.size) {
    throw malformedReply(`fwctl_info_mlx5 is ${FwctlInfoMlx5.size} bytes, the driver returned ${data.length}`);
  }
  const { uid, uctx_caps: caps } = FwctlInfoMlx5.decode(data);
  return { uid, uctx_caps: hexNumber(caps, 8), uctx_cap_names: uctxCapNames(caps) };
}

export const protocol: Protocol = {
  classify,
  replyStatus,
  defaultOutLen,
  decodeReply,
  decodeInfo,
  // Built when first asked for (commands, conformance), not at every start: ~85 kinds.
  get rpcKinds() {
    return (builtRpcKinds ??= buildRpcKinds());
  },
};
