/**
 * The operator-input parsers under random input: hex (src/sdk/hex.ts) and the
 * `rpc --in HEX|@FILE` reader. Only AccelError (ACCELCTL_E_BAD_INPUT) may come
 * out; whatever is accepted round-trips.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readRequest } from '../../src/commands/rpc';
import { AccelError } from '../../src/core/errors';
import { parseHex, toHex } from '../../src/sdk/hex';
import { params } from './runs';

function outcome(fn: () => Uint8Array): Uint8Array | string {
  try {
    return fn();
  } catch (error) {
    if (error instanceof AccelError) return error.code;
    throw error;
  }
}

const hexy = fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEFxX :_-\n\t'.split('')), maxLength: 80 });
const anyText = fc.oneof(hexy, fc.string({ maxLength: 80 }), fc.string({ unit: 'binary', maxLength: 40 }));

describe('hex and request-file parsers: random input', () => {
  it('parseHex returns bytes or ACCELCTL_E_BAD_INPUT, nothing else', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const r = outcome(() => parseHex(text));
        if (typeof r === 'string') expect(r).toBe('ACCELCTL_E_BAD_INPUT');
        else expect(r).toBeInstanceOf(Uint8Array);
      }),
      params(500),
    );
  });

  it('bytes written as hex in any accepted style parse back to the same bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.constantFrom('', ' ', ':', '-', '_', '\n'), fc.boolean(), fc.boolean(), (bytes, sep, prefix, upper) => {
        const parts = [...bytes].map((b) => `${prefix ? '0x' : ''}${b.toString(16).padStart(2, '0')}`);
        const text = upper ? parts.join(sep).toUpperCase() : parts.join(sep);
        // A 0x prefix is only a prefix after a separator: glued "0x010x02" is rejected, not misread.
        const r = outcome(() => parseHex(text));
        if (prefix && sep === '' && bytes.length > 1) expect(r).toBe('ACCELCTL_E_BAD_INPUT');
        else expect(toHex(r as Uint8Array)).toBe(toHex(bytes));
      }),
      params(300),
    );
  });

  it('readRequest: hex, @FILE with any bytes, or a missing file: bytes or a typed error', () => {
    const dir = mkdtempSync(join(tmpdir(), 'accelctl-hardening-'));
    fc.assert(
      fc.property(fc.oneof(anyText.map((t) => ({ text: t })), fc.uint8Array({ maxLength: 4096 }).map((bytes) => ({ bytes })), fc.string({ maxLength: 20 }).map((missing) => ({ missing }))), (c) => {
        if ('bytes' in c) {
          const file = join(dir, 'req.bin');
          writeFileSync(file, c.bytes);
          expect(toHex(readRequest(`@${file}`))).toBe(toHex(c.bytes));
        } else if ('missing' in c) {
          expect(outcome(() => readRequest(`@${join(dir, 'missing', c.missing)}`))).toBe('ACCELCTL_E_BAD_INPUT');
        } else {
          const r = outcome(() => readRequest(c.text));
          if (typeof r === 'string') expect(r).toBe('ACCELCTL_E_BAD_INPUT');
        }
      }),
      params(300),
    );
  });
});
