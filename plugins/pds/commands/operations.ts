/**
 * `accelctl pds operations DEV EP`: one endpoint's operations with the firmware
 * attribute, the scope the kernel derives from it and accelctl's class.
 */
import { AccelError, defineCommand, scopeName, table, type View } from 'accelctl/sdk';
import { CATALOGUE } from '../catalog';
import { attrName, attrToClass, attrToScope, makeOp } from '../protocol';
import { hex32, resolveEndpoint } from './args';
import { pdsInfo } from './device';

export interface OperationRow {
  id: string;
  command: number;
  version: number;
  name: string;
  attribute: string;
  attribute_value: number;
  class: string;
  scope: string;
  request_bytes: number;
  response_bytes: number;
  summary: string;
}

export interface OperationsResult {
  endpoint: { id: number; name: string };
  source: 'catalogue';
  operations: OperationRow[];
}

export const operations = defineCommand({
  name: 'operations',
  summary: "List an endpoint's operations with attribute, class and scope",
  description:
    'Scope follows pdsfc_get_operations: READ/WRITE/SYNC -> configuration, DEBUG_READ -> debug_read_only, ' +
    'DEBUG_WRITE -> debug_write, anything else -> debug_write_full. An operation id is command | version << 16; ' +
    'the kernel accepts any version up to the listed one. Sends no RPC.',
  rpcClass: 'inspect',
  rpcs: [],
  args: [{ name: 'endpoint', description: 'endpoint name or number', required: true }],
  // A bug report wants the whole catalogue: every endpoint (no RPC is sent, only FWCTL_INFO).
  dump: CATALOGUE.endpoints.map((ep) => ({ args: [ep.name] })),
  examples: ['accelctl pds operations fwctl0 port', 'accelctl pds operations fwctl0 3 -o json'],
  async run(context, { args }): Promise<OperationsResult> {
    const endpoint = resolveEndpoint(args[0] ?? '');
    if (!endpoint.spec) {
      throw new AccelError('ACCELCTL_E_USAGE', `endpoint ${endpoint.id} is not in the firmware package catalogue`, { hint: 'see accelctl pds endpoints DEV' });
    }
    await pdsInfo(context);
    return {
      endpoint: { id: endpoint.id, name: endpoint.spec.name },
      source: 'catalogue',
      operations: endpoint.spec.operations.map((op) => ({
        id: hex32(makeOp(op.command, op.version)),
        command: op.command,
        version: op.version,
        name: op.name,
        attribute: attrName(op.attr),
        attribute_value: op.attr,
        class: attrToClass(op.attr),
        scope: scopeName(attrToScope(op.attr)),
        request_bytes: op.request?.size ?? 0,
        response_bytes: op.response?.size(op.version) ?? 0,
        summary: op.summary,
      })),
    };
  },
  render(result): View[] {
    return [
      table(
        `Endpoint ${result.endpoint.id} (${result.endpoint.name})`,
        ['ID', 'Name', 'Attribute', 'Class', 'Scope', 'In', 'Out', 'Summary'],
        result.operations.map((op) => [op.id, op.name, op.attribute, op.class, op.scope, op.request_bytes, op.response_bytes, op.summary]),
      ),
    ];
  },
});
