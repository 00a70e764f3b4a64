/**
 * src/core/vpd.ts: PCI VPD (PCI Local Bus spec §6.4): large-resource tags
 * 0x82 (identifier string), 0x90 (VPD-R), 0x78 (end); the RV keyword's
 * checksum byte makes the sum of all bytes from the start through it zero.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { buildVpd, parseVpd } from '../../src/core/vpd';

const SEED = 0xc0ffee;
const printable = (max: number) => fc.stringMatching(new RegExp(`^[\\x20-\\x7e]{0,${max}}$`));
const keyword = fc
  .tuple(fc.constantFrom(...'ABCDEFGHIJKLMNOPQSTUVWXYZ'), fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'))
  .map(([a, b]) => a + b); // never 'RV'/'RW' (first letter never R)
const keywords = fc.dictionary(keyword, printable(40), { maxKeys: 8 });

function sum(bytes: Uint8Array, end: number): number {
  let s = 0;
  for (let i = 0; i < end; i++) s = (s + bytes[i]!) & 0xff;
  return s;
}

describe('buildVpd golden bytes', () => {
  it('lays out identifier, VPD-R with PN/SN, RV checksum and end tag', () => {
    const bytes = buildVpd('NIC', { PN: 'AB', SN: 'X' });
    const expected = [
      0x82, 3, 0, 0x4e, 0x49, 0x43, // "NIC"
      0x90, 13, 0, // VPD-R, length = 5 (PN) + 4 (SN) + 4 (RV)
      0x50, 0x4e, 2, 0x41, 0x42, // PN "AB"
      0x53, 0x4e, 1, 0x58, // SN "X"
      0x52, 0x56, 1, // RV, 1 byte
    ];
    const checksum = (0x100 - expected.reduce((s, b) => (s + b) & 0xff, 0)) & 0xff;
    expect([...bytes]).toEqual([...expected, checksum, 0x78]);
  });

  it('parses a hand-made image with a VPD-W section and NUL/space padded values', () => {
    const ro = [0x53, 0x4e, 6, ...Buffer.from('MT1 \0\0'), 0x52, 0x56, 1, 0];
    const rw = [0x56, 0x31, 2, 0x68, 0x69, 0x52, 0x57, 2, 0, 0];
    const bytes = new Uint8Array([0x82, 4, 0, ...Buffer.from(' CX7'), 0x90, ro.length, 0, ...ro, 0x91, rw.length, 0, ...rw, 0x78]);
    expect(parseVpd(bytes)).toEqual({ identifier: 'CX7', keywords: { SN: 'MT1', V1: 'hi' } });
  });
});

describe('buildVpd / parseVpd', () => {
  it('round-trips identifier and keywords (printable ASCII ≤ 40 chars; the parser trims padding)', () => {
    fc.assert(
      fc.property(printable(40), keywords, (identifier, kw) => {
        const parsed = parseVpd(buildVpd(identifier, kw));
        expect(parsed.identifier).toBe(identifier.trim());
        expect(parsed.keywords).toEqual(Object.fromEntries(Object.entries(kw).map(([k, v]) => [k, v.trim()])));
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('round-trips exactly when values carry no surrounding blanks', () => {
    const word = fc.stringMatching(/^[\x21-\x7e]([\x20-\x7e]{0,38}[\x21-\x7e])?$/);
    fc.assert(
      fc.property(word, fc.dictionary(keyword, word, { maxKeys: 6 }), (identifier, kw) => {
        expect(parseVpd(buildVpd(identifier, kw))).toEqual({ identifier, keywords: kw });
      }),
      { seed: SEED, numRuns: 200 },
    );
  });

  it('the RV checksum byte makes the sum of every byte through it zero, and the image ends with the end tag', () => {
    fc.assert(
      fc.property(printable(40), keywords, (identifier, kw) => {
        const bytes = buildVpd(identifier, kw);
        const rv = bytes.length - 5;
        expect([bytes[rv], bytes[rv + 1], bytes[rv + 2]]).toEqual([0x52, 0x56, 1]);
        expect(sum(bytes, bytes.length - 1)).toBe(0); // through the checksum byte
        expect(bytes[bytes.length - 1]).toBe(0x78);
        // The VPD-R length field covers exactly the keywords and RV.
        const roAt = 3 + (bytes[1]! | (bytes[2]! << 8));
        expect(bytes[roAt]).toBe(0x90);
        expect(roAt + 3 + (bytes[roAt + 1]! | (bytes[roAt + 2]! << 8))).toBe(bytes.length - 1);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });
});

describe('parseVpd tolerance', () => {
  it('never throws on random bytes', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 128 }).chain((n) => fc.uint8Array({ minLength: n, maxLength: n })),
        (bytes) => {
          const vpd = parseVpd(bytes);
          expect(typeof vpd.keywords).toBe('object');
        },
      ),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('never throws on random bytes that start like a VPD image', () => {
    fc.assert(
      fc.property(fc.constantFrom(0x82, 0x90, 0x91), fc.uint8Array({ maxLength: 64 }), (tag, rest) => {
        expect(() => parseVpd(new Uint8Array([tag, ...rest]))).not.toThrow();
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('a truncated image never throws and keeps only values that were in the full image', () => {
    fc.assert(
      fc.property(printable(40), keywords, fc.nat(), (identifier, kw, cut) => {
        const full = buildVpd(identifier, kw);
        const whole = parseVpd(full);
        const part = parseVpd(full.subarray(0, cut % (full.length + 1)));
        if (part.identifier !== undefined) expect(part.identifier).toBe(whole.identifier);
        for (const [k, v] of Object.entries(part.keywords)) expect(whole.keywords[k]).toBe(v);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('stops at the end tag and ignores what follows', () => {
    const bytes = new Uint8Array([0x82, 1, 0, 0x41, 0x78, 0x82, 1, 0, 0x42]);
    expect(parseVpd(bytes)).toEqual({ identifier: 'A', keywords: {} });
  });

  it('empty input gives no identifier and no keywords', () => {
    expect(parseVpd(new Uint8Array())).toEqual({ keywords: {} });
  });
});
