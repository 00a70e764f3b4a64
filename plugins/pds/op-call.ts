/**
 * One catalogue operation through ctx.rpcIndirect, for the capability modules:
 * the request struct with both payload pointers left for the transport to patch,
 * the in payload (if any) and an out buffer sized for the operation's answer.
 * Classification, gating and the retval check happen in ctx.rpcIndirect.
 */
import { AccelError, type CommandContext, type IndirectBuffer } from 'accelctl/sdk';
import { CATALOGUE, type EndpointSpec, type OperationSpec } from './catalog';
import { encodeRpc, IN_PAYLOAD_POINTER_AT, makeOp, OUT_PAYLOAD_POINTER_AT, RpcPds } from './protocol';

export interface OpRef {
  endpoint: EndpointSpec;
  operation: OperationSpec;
}

/** `system.get_ident` → its catalogue entries; a name the catalogue lacks is a plugin bug. */
export function opRef(name: string): OpRef {
  const [epName, opName] = name.split('.');
  const endpoint = CATALOGUE.endpoints.find((ep) => ep.name === epName);
  const operation = endpoint?.operations.find((op) => op.name === opName);
  if (!endpoint || !operation) throw new AccelError('ACCELCTL_E_INTERNAL', `pds catalogue has no operation ${name}`);
  return { endpoint, operation };
}

export interface OpReply {
  retval: number;
  payload: Uint8Array;
}

/** Build the request and buffers of one operation (exported for the classifier tests). */
export function opRequest(name: string, input: Uint8Array = new Uint8Array(0)): { request: Uint8Array; indirect: IndirectBuffer[]; outLen: number } {
  const { endpoint, operation } = opRef(name);
  const outLen = operation.response?.size(operation.version) ?? 0;
  const request = encodeRpc({ ep: endpoint.id, op: makeOp(operation.command, operation.version), inLen: input.length, outLen });
  const indirect: IndirectBuffer[] = [];
  if (input.length > 0) indirect.push({ pointerAt: IN_PAYLOAD_POINTER_AT, data: input });
  if (outLen > 0) indirect.push({ pointerAt: OUT_PAYLOAD_POINTER_AT, length: outLen });
  return { request, indirect, outLen };
}

export async function callOp(context: CommandContext, name: string, input?: Uint8Array, options: { allowDeviceError?: boolean } = {}): Promise<OpReply> {
  const { request, indirect, outLen } = opRequest(name, input);
  const { reply, buffers } = await context.rpcIndirect(request, indirect, options);
  const payload = outLen > 0 ? (buffers[indirect.length - 1] ?? new Uint8Array(outLen)) : new Uint8Array(0);
  return { retval: RpcPds.get(reply, 'outRetval'), payload };
}
