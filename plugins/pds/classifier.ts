/**
 * The plugin's Protocol: classification from the firmware package catalogue,
 * reply status from out.retval, FWCTL_INFO decoding, and the list of RPC kinds.
 */
import type { ClassifyContext, Protocol, RpcKind } from 'accelctl/sdk';
import { CATALOGUE, operationTable } from './catalog';
import {
  attrToClass,
  attrToScope,
  classifyWith,
  decodeInfoPds,
  DEFAULT_OUT_LEN,
  replyStatusPds,
  RpcPds,
  statusName,
  type OperationTable,
} from './protocol';

const TABLE_CACHE_KEY = 'pds:operation-table';

/**
 * The operation table for this invocation. The kernel caches each endpoint's
 * operation list on first use; the plugin does the same per device in ctx.cache,
 * so every RPC of one invocation is judged against the same table.
 */
function tableFor(context: ClassifyContext | undefined): OperationTable {
  const cached = context?.cache.get(TABLE_CACHE_KEY) as OperationTable | undefined;
  if (cached) return cached;
  const table = operationTable(CATALOGUE);
  context?.cache.set(TABLE_CACHE_KEY, table);
  return table;
}

export const rpcKinds: readonly RpcKind[] = CATALOGUE.endpoints.flatMap((ep) =>
  ep.operations.map((op) => ({
    name: `${ep.name}.${op.name}`,
    rpcClass: attrToClass(op.attr),
    scope: attrToScope(op.attr),
    description: op.summary,
  })),
);

export const protocol: Protocol = {
  classify: (request, context) => classifyWith(tableFor(context), request),
  replyStatus: replyStatusPds,
  defaultOutLen: () => DEFAULT_OUT_LEN,
  decodeReply(_request, reply) {
    const rpc = RpcPds.decode(reply);
    return { op: rpc.inOp, ep: rpc.inEp, retval: rpc.outRetval, status: statusName(rpc.outRetval), out_len: rpc.outLen };
  },
  decodeInfo: decodeInfoPds,
  rpcKinds,
};
