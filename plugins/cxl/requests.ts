/**
 * Encode the three Features requests and decode their replies. Decoders only
 * throw AccelError (malformed reply); lengths from the device are checked
 * against the bytes actually present before anything is read or allocated.
 */
import { AccelError, concatBytes, malformedReply, slice } from 'accelctl/sdk';
import { uuidToText } from './features';
import { FeatEntry, GetFeatIn, GetSupFeatsIn, GetSupFeatsOutHeader, Opcode, RpcHeader, RpcOutHeader, SetFeatInHeader } from './uapi';

const HDR = RpcHeader.size;
const ENTRY = FeatEntry.size;

function wrap(opcode: number, payload: Uint8Array): Uint8Array {
  return concatBytes([RpcHeader.encode({ opcode, op_size: payload.length }), payload]);
}

export function encodeGetSupportedFeatures(startIdx: number, count: number): Uint8Array {
  return wrap(Opcode.GET_SUPPORTED_FEATURES, GetSupFeatsIn.encode({ start_idx: startIdx, count }));
}

export function encodeGetFeature(uuid: Uint8Array, offset: number, count: number, selection: number): Uint8Array {
  return wrap(Opcode.GET_FEATURE, GetFeatIn.encode({ uuid, offset, count, selection }));
}

export function encodeSetFeature(uuid: Uint8Array, flags: number, offset: number, version: number, data: Uint8Array): Uint8Array {
  if (32 + data.length > 0xffffffff) throw new AccelError('ACCELCTL_E_BAD_INPUT', 'feature data too large');
  return wrap(Opcode.SET_FEATURE, concatBytes([SetFeatInHeader.encode({ uuid, flags, offset, version }), data]));
}

/** The request header and payload as the driver sees them (`opcode` is truncated to u16 as the driver does). */
export interface ParsedRequest {
  opcode: number;
  rawOpcode: number;
  opSize: number;
  /** The payload bytes present after the header (may be longer or shorter than op_size). */
  payload: Uint8Array;
}

export function parseRequest(request: Uint8Array): ParsedRequest | undefined {
  if (request.length < HDR) return undefined;
  const hdr = RpcHeader.decode(request);
  return { opcode: hdr.opcode & 0xffff, rawOpcode: hdr.opcode, opSize: hdr.op_size, payload: request.subarray(HDR) };
}

export interface CxlOut {
  size: number;
  retval: number;
  payload: Uint8Array;
}

/** struct fwctl_rpc_cxl_out: the size field must fit in the reply. */
export function decodeOut(reply: Uint8Array): CxlOut {
  const hdr = RpcOutHeader.decode(reply);
  const payload = slice(reply, RpcOutHeader.size, hdr.size, 'fwctl_rpc_cxl_out payload');
  return { size: hdr.size, retval: hdr.retval, payload };
}

export interface FeatureEntry {
  uuid: string;
  id: number;
  get_feat_size: number;
  set_feat_size: number;
  flags: number;
  get_feat_ver: number;
  set_feat_ver: number;
  effects: number;
}

export function decodeFeatEntry(bytes: Uint8Array, offset = 0): FeatureEntry {
  const e = FeatEntry.decode(bytes, offset);
  return {
    uuid: uuidToText(e.uuid),
    id: e.id,
    get_feat_size: e.get_feat_size,
    set_feat_size: e.set_feat_size,
    flags: e.flags,
    get_feat_ver: e.get_feat_ver,
    set_feat_ver: e.set_feat_ver,
    effects: e.effects,
  };
}

export function encodeFeatEntry(entry: FeatureEntry, uuid: Uint8Array): Uint8Array {
  return FeatEntry.encode({ ...entry, uuid });
}

export interface SupportedFeatures {
  retval: number;
  supported: number;
  entries: FeatureEntry[];
}

/** A Get Supported Features reply: out header, cxl_mbox_get_sup_feats_out, entries. */
export function decodeSupportedFeatures(reply: Uint8Array): SupportedFeatures {
  const out = decodeOut(reply);
  if (out.retval !== 0) return { retval: out.retval, supported: 0, entries: [] };
  const hdr = GetSupFeatsOutHeader.decode(out.payload);
  const need = GetSupFeatsOutHeader.size + hdr.num_entries * ENTRY;
  if (need > out.payload.length) {
    throw malformedReply(`Get Supported Features: ${hdr.num_entries} entries need ${need} bytes, reply carries ${out.payload.length}`);
  }
  const entries: FeatureEntry[] = [];
  for (let i = 0; i < hdr.num_entries; i++) entries.push(decodeFeatEntry(out.payload, GetSupFeatsOutHeader.size + i * ENTRY));
  return { retval: out.retval, supported: hdr.supported_feats, entries };
}

/**
 * Reply buffer for a request. Get Supported Features: the driver reports
 * sizeof(struct fwctl_rpc_cxl_out) (16, it includes the 8-byte features header)
 * plus struct_size(out, ents, n) — 8 bytes more than it fills.
 */
export function replyLength(request: Uint8Array): number {
  const req = parseRequest(request);
  if (!req) return RpcOutHeader.size;
  if (req.opcode === Opcode.GET_SUPPORTED_FEATURES && req.payload.length >= GetSupFeatsIn.size) {
    const count = GetSupFeatsIn.get(req.payload, 'count');
    return Math.min(2 * 1024 * 1024, 24 + ENTRY * Math.floor(count / ENTRY));
  }
  if (req.opcode === Opcode.GET_FEATURE && req.payload.length >= GetFeatIn.size) {
    return RpcOutHeader.size + GetFeatIn.get(req.payload, 'count');
  }
  return RpcOutHeader.size;
}
