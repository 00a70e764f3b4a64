/**
 * Turning ENDPOINT / OPERATION arguments into ids: a catalogue name ("port",
 * "get_stats") or a number (decimal or 0x-hex; an operation number may carry
 * version bits 16-23, e.g. 0x00010101).
 */
import { AccelError } from 'accelctl/sdk';
import { CATALOGUE, type EndpointSpec, type OperationSpec } from '../catalog';
import { makeOp, opCommand } from '../protocol';

export function parseU32(text: string, what: string): number | undefined {
  const t = text.trim();
  if (!/^(0x[0-9a-f]+|[0-9]+)$/i.test(t)) return undefined;
  const value = Number(t);
  if (!Number.isSafeInteger(value) || value < 0 || value > 0xffffffff) {
    throw new AccelError('ACCELCTL_E_USAGE', `${what} ${text} does not fit in 32 bits`);
  }
  return value;
}

export interface ResolvedEndpoint {
  id: number;
  spec: EndpointSpec | undefined;
}

export function resolveEndpoint(text: string): ResolvedEndpoint {
  const id = parseU32(text, 'endpoint');
  if (id !== undefined) return { id, spec: CATALOGUE.endpoints.find((ep) => ep.id === id) };
  const spec = CATALOGUE.endpoints.find((ep) => ep.name === text.trim().toLowerCase());
  if (!spec) {
    throw new AccelError('ACCELCTL_E_USAGE', `unknown endpoint '${text}'`, {
      hint: `known endpoints: ${CATALOGUE.endpoints.map((ep) => `${ep.name} (${ep.id})`).join(', ')}`,
    });
  }
  return { id: spec.id, spec };
}

export interface ResolvedOperation {
  /** in.op as sent. */
  op: number;
  spec: OperationSpec | undefined;
}

/** A name sends the newest version the catalogue lists; a number is sent as given. */
export function resolveOperation(endpoint: ResolvedEndpoint, text: string): ResolvedOperation {
  const op = parseU32(text, 'operation');
  if (op !== undefined) return { op, spec: endpoint.spec?.operations.find((o) => o.command === opCommand(op)) };
  const spec = endpoint.spec?.operations.find((o) => o.name === text.trim().toLowerCase());
  if (!spec) {
    const known = endpoint.spec?.operations.map((o) => o.name).join(', ');
    throw new AccelError('ACCELCTL_E_USAGE', `unknown operation '${text}' for endpoint ${endpoint.id}`, known ? { hint: `known operations: ${known}` } : {});
  }
  return { op: makeOp(spec.command, spec.version), spec };
}

export const hex32 = (value: number): string => `0x${value.toString(16).padStart(8, '0')}`;
