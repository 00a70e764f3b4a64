/** Parsing helpers shared by the mlx5 commands (numbers as operators type them). */
import { AccelError } from 'accelctl/sdk';

/** "0x5004", "20484" → number; anything else is a usage error. */
export function parseNumber(text: string, what: string, max: number): number {
  const trimmed = text.trim();
  const value = /^0x[0-9a-f]+$/i.test(trimmed) ? Number.parseInt(trimmed, 16) : /^\d+$/.test(trimmed) ? Number(trimmed) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < 0 || value > max) {
    throw new AccelError('ACCELCTL_E_USAGE', `${what}: '${text}' is not a number from 0 to ${max} (decimal or 0x hex)`);
  }
  return value;
}

/** Options that may be repeated or comma-separated: ["0x401,0x402", "0x1001"] → [0x401, 0x402, 0x1001]. */
export function parseNumberList(values: string | readonly string[], what: string, max: number): number[] {
  const list = typeof values === 'string' ? [values] : values;
  return list
    .flatMap((v) => v.split(','))
    .filter((v) => v.trim() !== '')
    .map((v) => parseNumber(v, what, max));
}

/** Hex dump rows of 16 bytes: [offset, "00 11 22 ..."]. */
export function hexRows(bytes: Uint8Array): [string, string][] {
  const rows: [string, string][] = [];
  for (let at = 0; at < bytes.length; at += 16) {
    const chunk = Array.from(bytes.subarray(at, at + 16), (b) => b.toString(16).padStart(2, '0'));
    rows.push([`0x${at.toString(16).padStart(4, '0')}`, chunk.join(' ')]);
  }
  return rows;
}
