/**
 * src/sdk/hex.ts: what operators paste is accepted, anything else is
 * ACCELCTL_E_BAD_INPUT naming where it went wrong, and toHex/parseHex round-trip.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { hexNumber, parseHex, toHex } from '../../src/sdk/hex';
import { thrown } from '../helpers/errors';


const bytesOf = (text: string) => [...parseHex(text)];

describe('parseHex accepts what operators paste', () => {
  it.each([
    ['01020304', [1, 2, 3, 4]],
    ['0x01020304', [1, 2, 3, 4]],
    ['0X0A0b', [0x0a, 0x0b]],
    ['0x01 0x02 0xff', [1, 2, 0xff]],
    ['01 02 03', [1, 2, 3]],
    ['  01\t02  ', [1, 2]],
    ['de:ad:be:ef', [0xde, 0xad, 0xbe, 0xef]],
    ['de-ad-be-ef', [0xde, 0xad, 0xbe, 0xef]],
    ['0001\n0203\r\n04 05\n', [0, 1, 2, 3, 4, 5]],
    ['AbCdEf', [0xab, 0xcd, 0xef]],
    ['', []],
    ['   ', []],
  ])('%j', (text, expected) => {
    expect(bytesOf(text)).toEqual(expected);
  });

  it('returns a plain Uint8Array', () => {
    const out = parseHex('0102');
    expect(out).toBeInstanceOf(Uint8Array);
    expect(out.length).toBe(2);
  });
});

describe('parseHex rejects bad input with ACCELCTL_E_BAD_INPUT', () => {
  it.each(['0', '012', '0x1', '01 0', 'a:b:c'])('odd digit count %j', (text) => {
    const error = thrown(() => parseHex(text));
    expect(error.code).toBe('ACCELCTL_E_BAD_INPUT');
    expect(error.message).toMatch(/odd/);
    expect(error.exitCode).toBe(2);
  });

  it.each(['zz', '01g2', '0102!!', '01.02', '01,02', 'hello'])('non-hex %j', (text) => {
    const error = thrown(() => parseHex(text));
    expect(error.code).toBe('ACCELCTL_E_BAD_INPUT');
    expect(error.hint).toBeTruthy();
  });

  it('names the bad character and its position', () => {
    const error = thrown(() => parseHex('0102zz'));
    expect(error.message).toContain("'z'");
    expect(error.message).toMatch(/\bat 4\b/);
  });

  it('the position is counted in the text the operator typed, not after separators were removed', () => {
    // "01 02 zz": the first bad character, 'z', is at index 6 of what was typed.
    const error = thrown(() => parseHex('01 02 zz'));
    expect(error.message).toContain("'z'");
    expect(error.message).toMatch(/\bat 6\b/);
  });

  it('uses the `what` label in the message', () => {
    expect(thrown(() => parseHex('xyz', '--data')).message).toMatch(/^--data:/);
  });

  it('a non-hex character anywhere is rejected, never silently truncated (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 16 }),
        fc.constantFrom('g', 'z', '.', ',', '/', '#', 'é', '+', '$'),
        fc.nat(),
        (bytes, bad, at) => {
          const hex = toHex(bytes);
          const pos = hex.length === 0 ? 0 : at % (hex.length + 1);
          const text = hex.slice(0, pos) + bad + hex.slice(pos);
          const error = thrown(() => parseHex(text));
          expect(error.code).toBe('ACCELCTL_E_BAD_INPUT');
        },
      ),
      { seed: 7, numRuns: 200 },
    );
  });
});

describe('toHex / parseHex round trip (fast-check)', () => {
  it('parseHex(toHex(b)) = b, and toHex is lowercase with two digits per byte', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const text = toHex(bytes);
        expect(text).toMatch(/^([0-9a-f]{2})*$/);
        expect(text.length).toBe(bytes.length * 2);
        expect([...parseHex(text)]).toEqual([...bytes]);
      }),
      { seed: 11, numRuns: 300 },
    );
  });

  it('round-trips when bytes are written with any mix of allowed separators and 0x prefixes', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 255 }), fc.constantFrom('', ' ', ':', '-', '\n', '\t', ' 0x', ' 0X'), fc.boolean()), { maxLength: 32 }),
        (parts) => {
          const text = parts
            .map(([b, sep, upper]) => {
              const digits = b.toString(16).padStart(2, '0');
              return sep + (upper ? digits.toUpperCase() : digits);
            })
            .join('');
          expect([...parseHex(text)]).toEqual(parts.map(([b]) => b));
        },
      ),
      { seed: 13, numRuns: 300 },
    );
  });

  it('toHex honours subarray views', () => {
    const base = new Uint8Array([0xaa, 0x01, 0x02, 0xbb]);
    expect(toHex(base.subarray(1, 3))).toBe('0102');
  });
});

describe('hexNumber', () => {
  it('formats with a 0x prefix and minimum digits', () => {
    expect(hexNumber(0x15b3, 4)).toBe('0x15b3');
    expect(hexNumber(1, 4)).toBe('0x0001');
    expect(hexNumber(0x1234n)).toBe('0x1234');
    expect(hexNumber(0)).toBe('0x0');
  });
});
