/**
 * `accelctl pds call DEV EP OP [--payload HEX] [--out-len N]`: one RPC.
 *
 * The request is a struct fwctl_rpc_pds whose in/out payloads travel by pointer:
 * the in payload (if any) and an out buffer of out.len bytes are handed to the
 * transport as indirect buffers, which patches the two u64 pointers.
 */
import { AccelError, defineCommand, fields, isAccelError, note, option, parseHex, scopeName, toHex, z, type IndirectBuffer, type View } from 'accelctl/sdk';
import { operationTable } from '../catalog';
import { rpcKinds } from '../classifier';
import { classifyWith, encodeRpc, IN_PAYLOAD_POINTER_AT, opCommand, OUT_PAYLOAD_POINTER_AT, opVersion, RpcPds, statusName } from '../protocol';
import { hex32, resolveEndpoint, resolveOperation } from './args';

export interface CallResult {
  endpoint: number;
  operation: string;
  command: number;
  version: number;
  name: string | null;
  class: string;
  scope: string;
  retval: number;
  status: string;
  in_len: number;
  out_len: number;
  payload_hex: string;
  decoded?: Record<string, unknown> | null;
  decode_error?: string;
}

// The umbrella turns "48" or "0x30" into a number before the schema sees it.
const outLenSchema = z.number().int().min(0).max(0xffffffff).optional();

/**
 * The kernel copies back all out.len bytes of a zero-filled buffer, so a large
 * --out-len shows mostly zeros: text output elides the zero tail (JSON keeps it).
 */
export function shortHex(hex: string): string {
  if (hex === '') return '(none)';
  const trimmed = hex.replace(/(00)+$/, '');
  const zeros = (hex.length - trimmed.length) / 2;
  return zeros > 16 ? `${trimmed || '00'} (+${zeros} zero bytes)` : hex;
}

export const call = defineCommand({
  name: 'call',
  summary: 'Send one RPC to an endpoint operation',
  description:
    'Classified from the firmware attribute of the operation (inspect, configure or mutate-debug) and gated ' +
    'accordingly. --out-len defaults to the size of the operation\'s answer. A non-zero out.retval is reported ' +
    'with its pds_core_status_code name.',
  rpcClass: 'mutate-debug',
  rpcs: rpcKinds.map((kind) => kind.name),
  // Can send any class; health, metrics, fw show and config cover the inspect operations in a dump.
  dump: false,
  args: [
    { name: 'endpoint', description: 'endpoint name or number', required: true },
    { name: 'operation', description: 'operation name, or number (bits 16-23: version)', required: true },
  ],
  options: {
    payload: option(z.string().optional(), 'input payload as hex bytes', { valueName: 'HEX' }),
    outLen: option(outLenSchema, 'bytes of output payload to receive', { valueName: 'N' }),
  },
  examples: [
    'accelctl pds call fwctl0 system get_ident',
    'accelctl pds call fwctl0 port get_stats --payload 00000000',
    'accelctl pds call fwctl0 port 0x0101 --payload 01000000 --out-len 32',
    'accelctl pds call fwctl0 port set_mtu --payload 00000000dc050000 --yes',
  ],
  async run(context, { args, options }): Promise<CallResult> {
    const endpoint = resolveEndpoint(args[0] ?? '');
    const operation = resolveOperation(endpoint, args[1] ?? '');
    const input = options.payload === undefined ? new Uint8Array(0) : parseHex(options.payload, '--payload');
    const version = opVersion(operation.op);
    const outLen = options.outLen ?? operation.spec?.response?.size(version) ?? 0;

    const request = encodeRpc({ ep: endpoint.id, op: operation.op, inLen: input.length, outLen });
    const indirect: IndirectBuffer[] = [];
    if (input.length > 0) indirect.push({ pointerAt: IN_PAYLOAD_POINTER_AT, data: input });
    const outIndex = outLen > 0 ? indirect.push({ pointerAt: OUT_PAYLOAD_POINTER_AT, length: outLen }) - 1 : -1;

    // Same decision the umbrella will make, for the result and a clear message.
    const classification = classifyWith(operationTable(), request);
    if (classification === undefined) {
      throw new AccelError('ACCELCTL_E_UNCLASSIFIED', `endpoint ${endpoint.id} operation ${hex32(operation.op)} is not one the pds_fwctl driver would accept for this firmware package`, {
        hint: 'see accelctl pds operations DEV EP; in/out lengths must stay within the firmware limits',
      });
    }

    const { reply, buffers } = await context.rpcIndirect(request, indirect);
    const retval = RpcPds.get(reply, 'outRetval');
    const payload = outIndex >= 0 ? (buffers[outIndex] ?? new Uint8Array(0)) : new Uint8Array(0);
    const result: CallResult = {
      endpoint: endpoint.id,
      operation: hex32(operation.op),
      command: opCommand(operation.op),
      version,
      name: operation.spec?.name ?? null,
      class: classification.rpcClass,
      scope: scopeName(classification.scope),
      retval,
      status: statusName(retval),
      in_len: input.length,
      out_len: outLen,
      payload_hex: toHex(payload),
    };
    const decoder = operation.spec?.response;
    if (decoder && payload.length > 0) {
      try {
        result.decoded = decoder.decode(payload, version);
      } catch (error) {
        if (!isAccelError(error)) throw error;
        result.decoded = null;
        result.decode_error = error.message;
      }
    }
    return result;
  },
  render(result): View[] {
    const views: View[] = [
      fields(undefined, [
        ['Endpoint', result.endpoint],
        ['Operation', `${result.operation}${result.name ? ` (${result.name})` : ''}`],
        ['Class / scope', `${result.class} / ${result.scope}`],
        ['Status', `${result.status} (${result.retval})`],
        ['Payload', shortHex(result.payload_hex)],
      ]),
    ];
    if (result.decoded) {
      const entries = Object.entries(result.decoded).map(([k, v]) => [k, Array.isArray(v) ? v.join(' ') : String(v)] as const);
      views.push(fields('Decoded', entries));
    }
    if (result.decode_error) views.push(note(`payload does not decode: ${result.decode_error}`, 'warn'));
    return views;
  },
});
