/**
 * JSON output: one document per invocation, `schema_version` first, snake_case
 * keys, bytes as hex strings and 64-bit values as decimal strings (JSON numbers
 * lose precision past 2^53).
 */
import { toHex } from '../sdk/hex';

export const SCHEMA_VERSION = 1;

export function jsonReplacer(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Uint8Array) return toHex(value);
  return value;
}

export function jsonDocument(body: Record<string, unknown>): string {
  return `${JSON.stringify({ schema_version: SCHEMA_VERSION, ...body }, jsonReplacer, 2)}\n`;
}
