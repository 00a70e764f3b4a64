/**
 * Hex in and out. Input accepts what operators paste: "0x" prefixes, spaces,
 * colons, dashes and newlines between bytes. Anything else is a usage error with
 * the position of the first bad character, never a silently truncated buffer.
 */
import { AccelError } from '../core/errors';

export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

export function parseHex(text: string, what = 'hex input'): Uint8Array {
  // A 0x prefix counts only at the start of a group, so "100x20" is an error, not 10 20.
  const withoutPrefixes = text.replace(/(^|[\s:_-])0x/gi, (_m, sep: string) => `${sep}  `);
  const bad = withoutPrefixes.search(/[^0-9a-fA-F\s:_-]/);
  if (bad !== -1) {
    throw new AccelError('ACCELCTL_E_BAD_INPUT', `${what}: '${text[bad]}' is not a hex digit (at ${bad})`, {
      hint: 'write bytes as hex, e.g. 01000000 or "01 00 00 00"',
    });
  }
  const cleaned = withoutPrefixes.replace(/[\s:_-]/g, '');
  if (cleaned.length % 2 !== 0) {
    throw new AccelError('ACCELCTL_E_BAD_INPUT', `${what}: odd number of hex digits (${cleaned.length})`, {
      hint: 'every byte needs two hex digits',
    });
  }
  return new Uint8Array(Buffer.from(cleaned, 'hex'));
}

/** Format as 0x-prefixed hex with at least `digits` digits. */
export function hexNumber(value: number | bigint, digits = 0): string {
  return `0x${value.toString(16).padStart(digits, '0')}`;
}
