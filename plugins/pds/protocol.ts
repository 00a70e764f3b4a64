/**
 * pds (AMD Pensando DSC) wire format and the kernel driver's decision rule.
 *
 * Sources (Linux mainline):
 *  - include/uapi/fwctl/pds.h: struct fwctl_info_pds, struct fwctl_rpc_pds (48 bytes,
 *    host-endian u32/u64; payloads travel by user pointer)
 *  - include/linux/pds/pds_adminq.h: PDSFC_FW_CMD_ATTR_* (the firmware's operation
 *    attribute), PDS_FWCTL_RPC_OPCODE_* (command bits 0-15, version bits 16-23) and
 *    PDS_FWCTL_RPC_OPCODE_CMP
 *  - drivers/fwctl/pds/main.c: pdsfc_get_operations (attribute -> scope switch) and
 *    pdsfc_validate_rpc (size limits, endpoint, operation, scope)
 *  - include/linux/pds/pds_core_if.h: enum pds_core_status_code (our retval names)
 *
 * The classifier works from a catalogue of the firmware package (catalog.ts) because
 * the kernel gives userspace no way to read the firmware's endpoint/operation lists
 * (see README.md, "Discovery").
 */
import { defineStruct, malformedReply, Scope, type Classification, type ReplyStatus, type RpcClass } from 'accelctl/sdk';

/** enum fwctl_device_type: FWCTL_DEVICE_TYPE_PDS. */
export const FWCTL_DEVICE_TYPE_PDS = 4;

/**
 * struct fwctl_rpc_pds (include/uapi/fwctl/pds.h). The uAPI uses plain __u32 /
 * __aligned_u64, i.e. host byte order; every platform pds_core runs on is
 * little-endian, so the fields are written little-endian.
 */
export const RpcPds = defineStruct('fwctl_rpc_pds', 48, {
  inOp: { at: 0, type: 'u32le' },
  inEp: { at: 4, type: 'u32le' },
  inRsvd: { at: 8, type: 'u32le' },
  inLen: { at: 12, type: 'u32le' },
  inPayload: { at: 16, type: 'u64le' },
  outRetval: { at: 24, type: 'u32le' },
  outRsvd0: { at: 28, type: 'u32le' },
  outRsvd1: { at: 32, type: 'u32le' },
  outLen: { at: 36, type: 'u32le' },
  outPayload: { at: 40, type: 'u64le' },
});

/** Offsets of the two user pointers the kernel copies from / to. */
export const IN_PAYLOAD_POINTER_AT = 16;
export const OUT_PAYLOAD_POINTER_AT = 40;

/** struct fwctl_info_pds: the FWCTL_INFO device data. */
export const InfoPds = defineStruct('fwctl_info_pds', 4, {
  uctxCaps: { at: 0, type: 'u32le' },
});

/** enum pds_fwctl_capabilities (values, used as bit numbers of uctx_caps). */
export const PDS_FWCTL_QUERY_CAP = 0;
export const PDS_FWCTL_SEND_CAP = 1;

/**
 * Decode struct fwctl_info_pds. Mainline pdsfc_probe sets caps to
 * `PDS_FWCTL_QUERY_CAP | PDS_FWCTL_SEND_CAP`, i.e. 0 | 1 = 1, so on a mainline
 * kernel the value is always 1; read as a bitmap indexed by the enum that is
 * "query" only. accelctl reports both readings and gates nothing on them.
 */
export function decodeInfoPds(data: Uint8Array): Record<string, unknown> {
  const caps = InfoPds.get(data, 'uctxCaps');
  return {
    uctx_caps: caps,
    query_cap: (caps & (1 << PDS_FWCTL_QUERY_CAP)) !== 0,
    send_cap: (caps & (1 << PDS_FWCTL_SEND_CAP)) !== 0,
  };
}

/* ---- Operation attributes (pds_adminq.h PDSFC_FW_CMD_ATTR_*) ---- */

export const FwAttr = {
  READ: 0x00,
  DEBUG_READ: 0x02,
  WRITE: 0x04,
  DEBUG_WRITE: 0x08,
  SYNC: 0x10,
} as const;

export function attrName(attr: number): string {
  for (const [name, value] of Object.entries(FwAttr)) if (value === attr) return name;
  return `OTHER(0x${attr.toString(16).padStart(2, '0')})`;
}

/**
 * The kernel's translation (pdsfc_get_operations): READ/WRITE/SYNC need only
 * CONFIGURATION, DEBUG_READ needs DEBUG_READ_ONLY, DEBUG_WRITE needs DEBUG_WRITE,
 * and any other value (including combinations of the bits) DEBUG_WRITE_FULL.
 */
export function attrToScope(attr: number): Scope {
  switch (attr) {
    case FwAttr.READ:
    case FwAttr.WRITE:
    case FwAttr.SYNC:
      return Scope.CONFIGURATION;
    case FwAttr.DEBUG_READ:
      return Scope.DEBUG_READ_ONLY;
    case FwAttr.DEBUG_WRITE:
      return Scope.DEBUG_WRITE;
    default:
      return Scope.DEBUG_WRITE_FULL;
  }
}

/**
 * accelctl's class for an attribute. READ and DEBUG_READ only read; WRITE and
 * SYNC (commit) change supported configuration; DEBUG_WRITE and anything the
 * kernel does not name are invasive.
 */
export function attrToClass(attr: number): RpcClass {
  switch (attr) {
    case FwAttr.READ:
    case FwAttr.DEBUG_READ:
      return 'inspect';
    case FwAttr.WRITE:
    case FwAttr.SYNC:
      return 'configure';
    default:
      return 'mutate-debug';
  }
}

/* ---- Operation ids: command bits 0-15, version bits 16-23 ---- */

export const OPCODE_CMD_MASK = 0xffff;
export const OPCODE_VER_SHIFT = 16;
export const OPCODE_VER_MASK = 0xff;

export const opCommand = (op: number): number => op & OPCODE_CMD_MASK;
export const opVersion = (op: number): number => (op >>> OPCODE_VER_SHIFT) & OPCODE_VER_MASK;
export const makeOp = (command: number, version = 0): number => ((command & OPCODE_CMD_MASK) | ((version & OPCODE_VER_MASK) << OPCODE_VER_SHIFT)) >>> 0;

/**
 * PDS_FWCTL_RPC_OPCODE_CMP(requested, listed): same command, and the requested
 * version no newer than the one the firmware lists. Bits 24-31 are ignored by
 * the kernel (and passed to firmware unchanged).
 */
export function opcodeMatches(requested: number, listed: number): boolean {
  return opCommand(requested) === opCommand(listed) && opVersion(requested) <= opVersion(listed);
}

/* ---- Status codes (enum pds_core_status_code, pds_core_if.h) ---- */

export const PDS_STATUS: Readonly<Record<number, readonly [name: string, text: string]>> = {
  0: ['PDS_RC_SUCCESS', 'Success'],
  1: ['PDS_RC_EVERSION', 'Incorrect version for request'],
  2: ['PDS_RC_EOPCODE', 'Invalid cmd opcode'],
  3: ['PDS_RC_EIO', 'I/O error'],
  4: ['PDS_RC_EPERM', 'Permission denied'],
  5: ['PDS_RC_EQID', 'Bad qid'],
  6: ['PDS_RC_EQTYPE', 'Bad qtype'],
  7: ['PDS_RC_ENOENT', 'No such element'],
  8: ['PDS_RC_EINTR', 'Operation interrupted'],
  9: ['PDS_RC_EAGAIN', 'Try again'],
  10: ['PDS_RC_ENOMEM', 'Out of memory'],
  11: ['PDS_RC_EFAULT', 'Bad address'],
  12: ['PDS_RC_EBUSY', 'Device or resource busy'],
  13: ['PDS_RC_EEXIST', 'Object already exists'],
  14: ['PDS_RC_EINVAL', 'Invalid argument'],
  15: ['PDS_RC_ENOSPC', 'No space left or alloc failure'],
  16: ['PDS_RC_ERANGE', 'Parameter out of range'],
  17: ['PDS_RC_BAD_ADDR', 'Descriptor contains a bad ptr'],
  18: ['PDS_RC_DEV_CMD', 'Device cmd attempted on AdminQ'],
  19: ['PDS_RC_ENOSUPP', 'Operation not supported'],
  29: ['PDS_RC_ERROR', 'Generic error'],
  30: ['PDS_RC_ERDMA', 'Generic RDMA error'],
  31: ['PDS_RC_EVFID', 'VF ID does not exist'],
  32: ['PDS_RC_BAD_FW', 'FW file is invalid or corrupted'],
  33: ['PDS_RC_ECLIENT', 'No such client id'],
  255: ['PDS_RC_BAD_PCI', 'Broken PCI when reading status'],
};

/** Name the kernel header gives a status value, or PDS_RC_<n> for one it does not. */
export function statusName(code: number): string {
  return PDS_STATUS[code]?.[0] ?? `PDS_RC_${code}`;
}

export function statusText(code: number): string {
  return PDS_STATUS[code]?.[1] ?? 'unknown status';
}

/** out.retval of a delivered reply (the firmware RPC's `err`, copied by the kernel). */
export function replyStatusPds(_request: Uint8Array, reply: Uint8Array): ReplyStatus {
  if (reply.length < RpcPds.size) throw malformedReply(`fwctl_rpc_pds reply: need ${RpcPds.size} bytes, have ${reply.length}`);
  const retval = RpcPds.get(reply, 'outRetval');
  if (retval === 0) return { ok: true };
  return {
    ok: false,
    status: retval,
    message: `${statusName(retval)}: ${statusText(retval)}`,
    detail: { retval, status_name: statusName(retval) },
  };
}

/* ---- Requests ---- */

export interface RpcRequest {
  ep: number;
  op: number;
  /** in.len: bytes of the input payload. */
  inLen: number;
  /** out.len: bytes the firmware may write back. */
  outLen: number;
}

/** A fwctl_rpc_pds with both payload pointers zero (the transport patches them in). */
export function encodeRpc(request: RpcRequest): Uint8Array {
  return RpcPds.encode({ inOp: request.op, inEp: request.ep, inLen: request.inLen, outLen: request.outLen });
}

/* ---- Classification ---- */

/** What the classifier needs to know about one firmware operation. */
export interface OperationAttr {
  /** The id as the firmware lists it (command | version << 16). */
  id: number;
  attr: number;
  name: string;
}

export interface EndpointOps {
  id: number;
  name: string;
  /** In the firmware's order: the kernel takes the first match. */
  operations: readonly OperationAttr[];
}

export interface OperationTable {
  /** pds_fwctl_ident max_req_sz / max_resp_sz of the firmware package. */
  maxReqSz: number;
  maxRespSz: number;
  endpoints: readonly EndpointOps[];
}

/**
 * pdsfc_validate_rpc, step by step: in.len and out.len within the firmware's
 * limits, the endpoint listed, the first listed operation that matches by
 * PDS_FWCTL_RPC_OPCODE_CMP. The minimum scope is the translated attribute.
 * Anything the driver would refuse is `undefined`.
 */
export function classifyWith(table: OperationTable, request: Uint8Array): Classification | undefined {
  // The driver casts the first 48 bytes without checking in_len; accelctl never
  // sends a short request, so one is not classified.
  if (request.length < RpcPds.size) return undefined;
  const rpc = RpcPds.decode(request);
  if (rpc.inLen > table.maxReqSz || rpc.outLen > table.maxRespSz) return undefined;
  const endpoint = table.endpoints.find((ep) => ep.id === rpc.inEp);
  if (endpoint === undefined) return undefined;
  const operation = endpoint.operations.find((op) => opcodeMatches(rpc.inOp, op.id));
  if (operation === undefined) return undefined;
  return {
    rpcClass: attrToClass(operation.attr),
    scope: attrToScope(operation.attr),
    name: `${endpoint.name}.${operation.name}`,
  };
}

/** Default reply buffer: the fwctl_rpc_pds itself (the kernel returns `in` with retval set). */
export const DEFAULT_OUT_LEN = RpcPds.size;
