import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { crc32 } from '../../src/sdk/checksum';

describe('crc32', () => {
  it('matches the CRC-32 check value of "123456789" (0xCBF43926)', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array())).toBe(0);
  });

  it('continues across chunks: crc32(b, crc32(a)) === crc32(a ++ b)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.uint8Array({ maxLength: 64 }), (a, b) => {
        const joined = new Uint8Array([...a, ...b]);
        expect(crc32(b, crc32(a))).toBe(crc32(joined));
      }),
      { seed: 7, numRuns: 200 },
    );
  });
});
