/**
 * The CXL protocol: classifier, reply status, reply decoder.
 *
 * The classifier reaches the decision of drivers/cxl/core/features.c
 * (cxlctl_fw_rpc → cxlctl_validate_hw_command → the handlers):
 *  - Get Supported Features (0x0500): any scope, op_size must be 8.
 *  - Get Feature (0x0501): any scope, op_size must be 21, count non-zero.
 *  - Set Feature (0x0502): the feature's cached entry decides — it must exist and
 *    be changeable; effects with reserved or background bits, or with neither
 *    an immediate nor a reset bit, are refused; an immediate bit needs
 *    DEBUG_WRITE_FULL, reset bits alone DEBUG_WRITE. Kernel-owned UUIDs are
 *    refused (EPERM) and op_size must exceed the 32-byte header.
 *  - Anything else: refused (EINVAL).
 * The driver learns effects from the entries it cached at probe; the classifier
 * learns them the same way, with an inspect Get Supported Features.
 */
import { Scope, type Classification, type ClassifyContext, type Protocol, type ReplyStatus } from 'accelctl/sdk';
import { setFeatureScope } from './effects';
import { cachedFeatureTable } from './feature-table';
import { isKernelOwned, knownFeature, uuidToText } from './features';
import { decodeOut, decodeSupportedFeatures, parseRequest, replyLength, type ParsedRequest } from './requests';
import { mboxRcName } from './retcodes';
import { FeatFlag, GetFeatIn, GetSupFeatsIn, Opcode, SetFeatInHeader } from './uapi';

export const RPC_NAMES = {
  GET_SUPPORTED_FEATURES: 'GET_SUPPORTED_FEATURES',
  GET_FEATURE: 'GET_FEATURE',
  SET_FEATURE_AFTER_RESET: 'SET_FEATURE_AFTER_RESET',
  SET_FEATURE_IMMEDIATE: 'SET_FEATURE_IMMEDIATE',
} as const;

/** The payload the driver will read must be present (the driver trusts op_size; we do not send short buffers). */
function payloadPresent(req: ParsedRequest): boolean {
  return req.payload.length >= req.opSize;
}

/** Classify without device knowledge; Set Feature returns the UUID to look up. */
export function classifyStatic(request: Uint8Array): Classification | { setFeatureUuid: string } | undefined {
  const req = parseRequest(request);
  if (!req || !payloadPresent(req)) return undefined;
  switch (req.opcode) {
    case Opcode.GET_SUPPORTED_FEATURES:
      if (req.opSize !== GetSupFeatsIn.size) return undefined;
      return { rpcClass: 'inspect', scope: Scope.CONFIGURATION, name: RPC_NAMES.GET_SUPPORTED_FEATURES };
    case Opcode.GET_FEATURE:
      if (req.opSize !== GetFeatIn.size || GetFeatIn.get(req.payload, 'count') === 0) return undefined;
      return { rpcClass: 'inspect', scope: Scope.CONFIGURATION, name: RPC_NAMES.GET_FEATURE };
    case Opcode.SET_FEATURE: {
      // The handler refuses a request without feature data (op_size <= header).
      if (req.opSize <= SetFeatInHeader.size) return undefined;
      const uuid = uuidToText(SetFeatInHeader.get(req.payload, 'uuid'));
      if (isKernelOwned(uuid)) return undefined;
      return { setFeatureUuid: uuid };
    }
    default:
      return undefined;
  }
}

/** What a Set Feature on this entry needs, or why the driver refuses it. */
export type SetVerdict = { ok: true; scope: Scope; name: string } | { ok: false; reason: 'kernel-owned' | 'not-changeable' | 'reserved-effects' | 'background' | 'no-effects' };

export function setVerdict(entry: { uuid: string; flags: number; effects: number }): SetVerdict {
  if (isKernelOwned(entry.uuid)) return { ok: false, reason: 'kernel-owned' };
  if (!(entry.flags & FeatFlag.CHANGEABLE)) return { ok: false, reason: 'not-changeable' };
  const v = setFeatureScope(entry.effects);
  if (!v.ok) return v;
  return { ok: true, scope: v.scope, name: v.scope === Scope.DEBUG_WRITE_FULL ? RPC_NAMES.SET_FEATURE_IMMEDIATE : RPC_NAMES.SET_FEATURE_AFTER_RESET };
}

async function classify(request: Uint8Array, context: ClassifyContext): Promise<Classification | undefined> {
  const first = classifyStatic(request);
  if (!first || !('setFeatureUuid' in first)) return first;
  const table = await cachedFeatureTable(context.cache, (r) => context.inspect(r));
  const entry = table.find((e) => e.uuid === first.setFeatureUuid);
  if (!entry) return undefined;
  const verdict = setVerdict(entry);
  return verdict.ok ? { rpcClass: 'mutate-debug', scope: verdict.scope, name: verdict.name } : undefined;
}

function replyStatus(_request: Uint8Array, reply: Uint8Array): ReplyStatus {
  const out = decodeOut(reply);
  if (out.retval === 0) return { ok: true };
  return { ok: false, status: out.retval, message: mboxRcName(out.retval), detail: { retval: `0x${out.retval.toString(16).padStart(2, '0')}` } };
}

/** For `accelctl rpc`: the out header, and the decoded features list when it is one. */
function decodeReply(request: Uint8Array, reply: Uint8Array): unknown {
  const out = decodeOut(reply);
  const base = { size: out.size, retval: out.retval, retval_name: mboxRcName(out.retval) };
  const req = parseRequest(request);
  if (out.retval === 0 && req?.opcode === Opcode.GET_SUPPORTED_FEATURES) {
    const list = decodeSupportedFeatures(reply);
    return { ...base, supported_features: list.supported, entries: list.entries.map((e) => ({ ...e, name: knownFeature(e.uuid)?.name ?? null })) };
  }
  return { ...base, data: Buffer.from(out.payload).toString('hex') };
}

export const protocol: Protocol = {
  classify,
  replyStatus,
  defaultOutLen: replyLength,
  decodeReply,
  decodeInfo: () => ({}),
  rpcKinds: [
    { name: RPC_NAMES.GET_SUPPORTED_FEATURES, rpcClass: 'inspect', scope: Scope.CONFIGURATION, description: 'Get Supported Features (0x0500), answered from the driver cache' },
    { name: RPC_NAMES.GET_FEATURE, rpcClass: 'inspect', scope: Scope.CONFIGURATION, description: 'Get Feature (0x0501): current, default or saved value' },
    { name: RPC_NAMES.SET_FEATURE_AFTER_RESET, rpcClass: 'mutate-debug', scope: Scope.DEBUG_WRITE, description: 'Set Feature (0x0502) on a feature whose effects take hold only after a reset' },
    { name: RPC_NAMES.SET_FEATURE_IMMEDIATE, rpcClass: 'mutate-debug', scope: Scope.DEBUG_WRITE_FULL, description: 'Set Feature (0x0502) on a feature with an immediate effect' },
  ],
};

