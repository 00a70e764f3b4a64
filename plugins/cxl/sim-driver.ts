/**
 * The kernel's cxl fwctl driver (drivers/cxl/core/features.c), modelled on its
 * own from the kernel source rather than from the plugin's classifier, so that
 * tests comparing the two mean something:
 *  - probe: get_supported_features() reads the device's list through the
 *    mailbox in payload-sized pages and caches it (cxlfs->entries);
 *  - cxlctl_fw_rpc(): cxlctl_validate_hw_command() (EINVAL), then the handlers
 *    (EINVAL for bad sizes / start index, EPERM for kernel-exclusive features);
 *  - the handlers build struct fwctl_rpc_cxl_out, with the mailbox return code
 *    in retval; Get/Set Feature loop over the mailbox as cxl_get_feature() and
 *    cxl_set_feature() do.
 */
import type { ErrnoName } from 'accelctl/sdk';
import { mailbox, type DeviceState } from './sim-device';
import type { DeviceEnv } from './sim-telemetry';

/** enum fwctl_rpc_scope values. */
const DEBUG_WRITE = 2;
const DEBUG_WRITE_FULL = 3;

/** enum cxl_features_capability. */
export const FEATURES_RO = 1;
export const FEATURES_RW = 2;

export interface DriverState extends DeviceState {
  /** cxl_mbox->feat_cap, from the Command Effects Log at probe. */
  feat_cap: number;
}

/** cxl_exclusive_feats[]: patrol scrub, ECS, sPPR, hPPR, cacheline/row/bank/rank sparing. */
const EXCLUSIVE = new Set([
  '96dad7d6fde8482ba73375774e06db8a',
  'e5b13f2223284a14b8bab9691e893386',
  '892ba475fad8474e9d3e692c917568bb',
  '80ea4521786f4127afb1ec7459fb0e24',
  '96c3338691dd44c79ecbfdaf6503bac4',
  '450ebf67b1354f97a498c2d57f279bed',
  '78b7963690ac4b64a4effaac5d18a863',
  '34dbaff5055242818f76da0b5e7a76a7',
]);

const OP_GET_SUPPORTED = 0x0500;
const OP_GET = 0x0501;
const OP_SET = 0x0502;
const HDR = 16;
const ENTRY = 48;
const SET_HDR = 32;

interface CachedEntry {
  uuid: string;
  bytes: Uint8Array;
  flags: number;
  effects: number;
}

const le16 = (b: Uint8Array, at: number): number => b[at]! | (b[at + 1]! << 8);
const le32 = (b: Uint8Array, at: number): number => (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;
const hexOf = (b: Uint8Array): string => Buffer.from(b).toString('hex');

/** get_supported_features(): the count, then pages of what fits in the mailbox. */
export function probe(state: DriverState): CachedEntry[] {
  const countIn = new Uint8Array(8);
  countIn[0] = 8;
  const first = mailbox(state, OP_GET_SUPPORTED, countIn, 8);
  if (first.rc !== 0 || first.out.length < 8) return [];
  const count = le16(first.out, 2);
  const maxFeats = Math.floor((state.payload_size - 8) / ENTRY);
  const entries: CachedEntry[] = [];
  let start = 0;
  let remain = count;
  while (remain > 0) {
    const copy = Math.min(remain, maxFeats);
    remain -= copy;
    const allocSize = 8 + copy * ENTRY;
    const input = new Uint8Array(8);
    new DataView(input.buffer).setUint32(0, allocSize, true);
    new DataView(input.buffer).setUint16(4, start, true);
    const page = mailbox(state, OP_GET_SUPPORTED, input, allocSize);
    if (page.rc !== 0 || page.out.length <= 8 || (page.out.length - 8) % ENTRY !== 0) return [];
    const n = le16(page.out, 0);
    if (n * ENTRY !== page.out.length - 8) return [];
    for (let i = 0; i < n; i++) {
      const bytes = page.out.slice(8 + i * ENTRY, 8 + (i + 1) * ENTRY);
      entries.push({ uuid: hexOf(bytes.subarray(0, 16)), bytes, flags: le32(bytes, 22), effects: le16(bytes, 28) });
    }
    remain += copy - n;
    start += n;
  }
  return entries;
}

/**
 * cxlctl_validate_set_features(), in the kernel's own shape: a yes/no for the
 * scope asked for, not a minimum scope.
 */
export function kernelAllowsSet(entry: { flags: number; effects: number }, scope: number): boolean {
  if (!(entry.flags & 1)) return false; // CXL_FEATURE_F_CHANGEABLE
  const effects = entry.effects;
  if (effects & 0xf000) return false; // CXL_CMD_EFFECTS_RESERVED
  if (effects & 0x0040) return false; // CXL_CMD_BACKGROUND
  const imm = 0x0002 | 0x0004 | 0x0008 | 0x0010;
  const reset = 0x0001 | 0x0400 | 0x0800;
  if (!(effects & imm) && !(effects & reset)) return false;
  if (effects & imm && scope >= DEBUG_WRITE_FULL) return true;
  if (!(effects & imm) && scope >= DEBUG_WRITE) return true;
  return false;
}

export function driverCheck(scope: number, request: Uint8Array, state: DriverState): ErrnoName | undefined {
  // The kernel reads the header and op_size bytes without checking in_len
  // against them; a real short buffer reads past the copy. We refuse instead.
  if (request.length < HDR) return 'EINVAL';
  const opcode = le32(request, 0) & 0xffff; // u16 opcode = rpc_in->opcode
  const opSize = le32(request, 8);
  if (request.length < HDR + Math.min(opSize, 0x10000)) return 'EINVAL';
  const body = request.subarray(HDR);

  // cxlctl_validate_hw_command()
  switch (opcode) {
    case OP_GET_SUPPORTED:
    case OP_GET:
      if (state.feat_cap < FEATURES_RO) return 'EINVAL';
      break;
    case OP_SET: {
      if (state.feat_cap < FEATURES_RW) return 'EINVAL';
      if (opSize < 16) return 'EINVAL';
      const entry = probe(state).find((e) => e.uuid === hexOf(body.subarray(0, 16)));
      if (!entry || !kernelAllowsSet(entry, scope)) return 'EINVAL';
      break;
    }
    default:
      return 'EINVAL';
  }

  // cxlctl_handle_commands(): the handlers' own refusals.
  switch (opcode) {
    case OP_GET_SUPPORTED:
      if (opSize !== 8) return 'EINVAL';
      if (le16(body, 4) >= probe(state).length) return 'EINVAL';
      return undefined;
    case OP_GET:
      if (opSize !== 21) return 'EINVAL';
      if (le16(body, 18) === 0) return 'EINVAL';
      return undefined;
    default:
      if (opSize <= SET_HDR) return 'EINVAL';
      if (EXCLUSIVE.has(hexOf(body.subarray(0, 16)))) return 'EPERM';
      return undefined;
  }
}

function out(size: number, retval: number, payload: Uint8Array, total = 8 + payload.length): Uint8Array {
  const reply = new Uint8Array(Math.max(total, 8 + payload.length));
  const dv = new DataView(reply.buffer);
  dv.setUint32(0, size, true);
  dv.setUint32(4, retval, true);
  reply.set(payload, 8);
  return reply;
}

/** cxlctl_get_supported_features(): from the cache, exclusive features masked. */
function getSupportedFeatures(state: DriverState, body: Uint8Array): Uint8Array {
  const cache = probe(state);
  const count = le32(body, 0);
  const start = le16(body, 4);
  const requested = Math.min(Math.floor(count / ENTRY), cache.length - start);
  const feats = new Uint8Array(8 + requested * ENTRY);
  const dv = new DataView(feats.buffer);
  dv.setUint16(0, requested, true);
  dv.setUint16(2, cache.length, true);
  for (let i = 0; i < requested; i++) {
    const entry = cache[start + i]!;
    const copy = entry.bytes.slice();
    if (EXCLUSIVE.has(entry.uuid)) {
      copy[20] = 0; // set_feat_size = 0
      copy[21] = 0;
      copy[22]! &= ~1; // flags &= ~CXL_FEATURE_F_CHANGEABLE
    }
    feats.set(copy, 8 + i * ENTRY);
  }
  // out_len = sizeof(struct fwctl_rpc_cxl_out) (16) + struct_size(feat_out, ents, n).
  return out(feats.length, 0, feats, 16 + feats.length);
}

/** cxlctl_get_feature() → cxl_get_feature(): payload-sized reads until `count` bytes. */
function getFeature(state: DriverState, body: Uint8Array, env: DeviceEnv): Uint8Array {
  const uuid = body.subarray(0, 16);
  const offset = le16(body, 16);
  const count = le16(body, 18);
  const selection = body[20]!;
  const data = new Uint8Array(count);
  let received = 0;
  const sizeOut = Math.min(count, state.payload_size);
  do {
    const want = Math.min(count - received, state.payload_size);
    const pi = new Uint8Array(21);
    pi.set(uuid, 0);
    new DataView(pi.buffer).setUint16(16, (offset + received) & 0xffff, true);
    new DataView(pi.buffer).setUint16(18, want, true);
    pi[20] = selection;
    const r = mailbox(state, OP_GET, pi, sizeOut, env);
    // cxl_internal_send_cmd(): a failed command, or fewer bytes than min_out
    // (-EIO, return_code still SUCCESS), ends the read with nothing returned.
    if (r.rc !== 0 || r.out.length === 0 || r.out.length < want) return out(0, r.rc, new Uint8Array(0));
    data.set(r.out.subarray(0, count - received), received);
    received += r.out.length;
  } while (received < count);
  return out(received, 0, data);
}

/** cxlctl_set_feature() → cxl_set_feature(): the kernel picks the transfer action and always sets saved-across-reset. */
function setFeature(state: DriverState, body: Uint8Array, opSize: number): Uint8Array {
  const data = body.slice(SET_HDR, opSize);
  const userFlags = le32(body, 16);
  const offset = le16(body, 20);
  const flags = ((userFlags & ~0x7) | 0x8) >>> 0;
  const room = state.payload_size - SET_HDR;
  const pi = new Uint8Array(state.payload_size);
  pi.set(body.subarray(0, 16), 0);
  pi[22] = body[22]!;
  let sent = 0;
  let action = data.length <= room ? 0 : 1;
  let chunk = data.length <= room ? data.length : room;
  for (;;) {
    const dv = new DataView(pi.buffer);
    dv.setUint32(16, (flags | action) >>> 0, true);
    dv.setUint16(20, (offset + sent) & 0xffff, true);
    pi.set(data.subarray(sent, sent + chunk), SET_HDR);
    const r = mailbox(state, OP_SET, pi.subarray(0, SET_HDR + chunk), 0);
    if (r.rc !== 0) return out(0, r.rc, new Uint8Array(0));
    sent += chunk;
    if (sent >= data.length) return out(0, 0, new Uint8Array(0));
    if (data.length - sent <= room) {
      chunk = data.length - sent;
      action = 3; // FINISH
    } else {
      action = 2; // CONTINUE
    }
  }
}

/** The driver's reply for a request driverCheck passed. */
export function handle(state: DriverState, request: Uint8Array, env: DeviceEnv): Uint8Array {
  const opcode = le32(request, 0) & 0xffff;
  const opSize = le32(request, 8);
  const body = request.subarray(HDR);
  if (opcode === OP_GET_SUPPORTED) return getSupportedFeatures(state, body);
  if (opcode === OP_GET) return getFeature(state, body, env);
  return setFeature(state, body, opSize);
}
