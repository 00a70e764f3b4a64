/**
 * src/sdk/layout.ts: byte fields with golden bytes, PRM bit fields checked
 * against the kernel's MLX5_GET/MLX5_SET (include/linux/mlx5/device.h:
 * dword = bit / 32 big-endian, shift = 32 - width - (bit & 0x1f)), definition
 * and encode/decode errors, and fast-check properties.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { concatBytes, defineStruct, slice, type FieldSpec } from '../../src/sdk/layout';
import { isAccelError, type ErrorCode } from '../../src/core/errors';

const SEED = 0x5eed;

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

/** Run `fn` and return the AccelError code it throws (fails the test if it throws anything else or nothing). */
function codeOf(fn: () => unknown): ErrorCode {
  try {
    fn();
  } catch (error) {
    if (isAccelError(error)) return error.code;
    throw new Error(`expected an AccelError, got ${String(error)}`);
  }
  throw new Error('expected an AccelError, nothing was thrown');
}

/** Reference MLX5_GET on a big-endian buffer, written independently of layout.ts. */
function mlx5Get(bytes: Uint8Array, bit: number, width: number): number {
  const dw = Math.floor(bit / 32);
  const dword = ((bytes[dw * 4]! << 24) | (bytes[dw * 4 + 1]! << 16) | (bytes[dw * 4 + 2]! << 8) | bytes[dw * 4 + 3]!) >>> 0;
  const shift = 32 - width - (bit & 0x1f);
  return Number((BigInt(dword) >> BigInt(shift)) & ((1n << BigInt(width)) - 1n));
}

describe('defineStruct byte fields: golden bytes', () => {
  const S = defineStruct('golden', 40, {
    a: { at: 0, type: 'u8' },
    b: { at: 1, type: 'u16le' },
    c: { at: 3, type: 'u16be' },
    d: { at: 5, type: 'u32le' },
    e: { at: 9, type: 'u32be' },
    f: { at: 13, type: 'u64le' },
    g: { at: 21, type: 'u64be' },
    h: { at: 29, type: 'bytes', length: 4 },
    i: { at: 33, type: 'string', length: 6 },
  });
  const values = {
    a: 0xa1,
    b: 0x1234,
    c: 0x1234,
    d: 0xdeadbeef,
    e: 0xdeadbeef,
    f: 0x0102030405060708n,
    g: 0x0102030405060708n,
    h: new Uint8Array([0xca, 0xfe]),
    i: 'MT42',
  };
  const golden =
    'a1' + '3412' + '1234' + 'efbeadde' + 'deadbeef' + '0807060504030201' + '0102030405060708' + 'cafe0000' + '4d5434320000' + '00';

  it('encodes each type with its named endianness', () => {
    const bytes = S.encode(values);
    expect(bytes.length).toBe(40);
    expect(hex(bytes)).toBe(golden);
  });

  it('decodes the golden bytes back to the same values', () => {
    const decoded = S.decode(new Uint8Array(Buffer.from(golden, 'hex')));
    expect(decoded).toEqual({ ...values, h: new Uint8Array([0xca, 0xfe, 0, 0]) });
    expect(typeof decoded.f).toBe('bigint');
  });

  it('get reads one field, honouring an offset', () => {
    const bytes = concatBytes([new Uint8Array([0xff, 0xff, 0xff]), S.encode(values)]);
    expect(S.get(bytes, 'd', 3)).toBe(0xdeadbeef);
    expect(S.get(bytes, 'c', 3)).toBe(0x1234);
    expect(S.get(bytes, 'i', 3)).toBe('MT42');
    expect(S.decode(bytes, 3).g).toBe(0x0102030405060708n);
  });

  it('a string field fills its whole length without a NUL, and decode stops at the first NUL', () => {
    const T = defineStruct('t', 4, { s: { at: 0, type: 'string', length: 4 } });
    expect(hex(T.encode({ s: 'ABCD' }))).toBe('41424344');
    expect(T.decode(new Uint8Array([0x41, 0, 0x42, 0x43])).s).toBe('A');
  });

  it('decode of a bytes field returns a copy, not a view of the reply', () => {
    const T = defineStruct('t', 4, { b: { at: 0, type: 'bytes', length: 2 } });
    const raw = new Uint8Array([1, 2, 3, 4]);
    const out = T.decode(raw).b;
    out[0] = 99;
    expect(raw[0]).toBe(1);
  });

  it('encode with totalSize gives a longer zeroed buffer; write keeps other bytes', () => {
    const T = defineStruct('t', 4, { x: { at: 0, type: 'u16be' } });
    expect(hex(T.encode({ x: 0xabcd }, 8))).toBe('abcd000000000000');
    const buf = new Uint8Array([9, 9, 9, 9, 9, 9]);
    T.write(buf, { x: 0x0102 }, 2);
    expect(hex(buf)).toBe('090901020909');
  });

  it('write into a buffer smaller than the struct is refused with an AccelError', () => {
    const T = defineStruct('t', 4, { x: { at: 0, type: 'u32le' } });
    expect(codeOf(() => T.write(new Uint8Array(3), { x: 1 }))).toBe('ACCELCTL_E_INTERNAL');
  });
});

describe('defineStruct PRM bit fields (MLX5_GET/MLX5_SET semantics)', () => {
  // Shapes from mlx5_ifc.h (query_hca_cap_in): opcode at 0x0 (16), uid at 0x10 (16), op_mod at 0x30 (16).
  const Hdr = defineStruct('mbox_in', 16, {
    opcode: { bit: 0x00, width: 16 },
    uid: { bit: 0x10, width: 16 },
    op_mod: { bit: 0x30, width: 16 },
    nibble: { bit: 0x64, width: 4 },
    flag: { bit: 0x60, width: 1 },
    whole: { bit: 0x20, width: 32 },
  });

  it('a 16-bit field at bit 0x10 is bytes 2..3 big-endian', () => {
    expect(hex(Hdr.encode({ uid: 0xabcd }))).toBe('0000abcd' + '00'.repeat(12));
  });

  it('opcode at bit 0 is bytes 0..1 BE and op_mod at 0x30 is bytes 6..7 BE', () => {
    expect(hex(Hdr.encode({ opcode: 0x0805, op_mod: 0x0001 }))).toBe('08050000' + '00000001' + '00'.repeat(8));
    expect(Hdr.decode(new Uint8Array(Buffer.from('0101ffff' + '00001234' + '00'.repeat(8), 'hex')))).toMatchObject({ opcode: 0x101, uid: 0xffff, op_mod: 0x1234 });
  });

  it('a 4-bit field at bit 4 is the low nibble of its dword\'s first byte', () => {
    const N = defineStruct('n', 4, { hi: { bit: 0, width: 4 }, lo: { bit: 4, width: 4 } });
    expect(hex(N.encode({ lo: 0xf }))).toBe('0f000000');
    expect(hex(N.encode({ hi: 0xa, lo: 0x5 }))).toBe('a5000000');
    expect(N.decode(new Uint8Array([0x3c, 0xff, 0xff, 0xff]))).toEqual({ hi: 3, lo: 0xc });
    // Same field in dword 3 of Hdr: bit 0x64 → byte 12, low nibble.
    expect(hex(Hdr.encode({ nibble: 0x9 }))).toBe('00'.repeat(12) + '09000000');
  });

  it('a 1-bit field at bit 0 of a dword is the MSB of its first byte', () => {
    expect(hex(Hdr.encode({ flag: 1 }))).toBe('00'.repeat(12) + '80000000');
  });

  it('a 32-bit field covers the whole dword, including values with the top bit set', () => {
    const bytes = Hdr.encode({ whole: 0xfedcba98 });
    expect(hex(bytes.subarray(4, 8))).toBe('fedcba98');
    expect(Hdr.get(bytes, 'whole')).toBe(0xfedcba98);
  });

  it('setting one field leaves neighbouring bits in the dword untouched', () => {
    const bytes = new Uint8Array(16).fill(0xff);
    Hdr.write(bytes, { nibble: 0x0 });
    expect(hex(bytes.subarray(12, 16))).toBe('f0ffffff');
    Hdr.write(bytes, { flag: 0 });
    expect(hex(bytes.subarray(12, 16))).toBe('70ffffff');
  });

  it('64-bit bit fields read and write a big-endian u64 at bit/8 (MLX5_GET64)', () => {
    const W = defineStruct('w', 16, { lo: { bit: 0, width: 32 }, big: { bit: 64, width: 64 } });
    const bytes = W.encode({ big: 0x0102030405060708n });
    expect(hex(bytes)).toBe('0000000000000000' + '0102030405060708');
    expect(W.decode(bytes).big).toBe(0x0102030405060708n);
    expect(W.encode({ big: 0xffffffffffffffffn }).subarray(8)).toEqual(new Uint8Array(8).fill(0xff));
  });

  // Every width 1..32 at bit 0 and at the last position it fits in the dword, with its largest value.
  const widths = Array.from({ length: 32 }, (_, i) => i + 1);
  it.each(widths)('width %i: the largest value round-trips at both ends of a dword', (width) => {
    const max = 2 ** width - 1;
    for (const off of [0, 32 - width]) {
      const F = defineStruct('w', 8, { v: { bit: 32 + off, width } });
      const bytes = F.encode({ v: max });
      expect(mlx5Get(bytes, 32 + off, width)).toBe(max);
      expect(F.get(bytes, 'v')).toBe(max);
      expect(hex(bytes.subarray(0, 4))).toBe('00000000');
      expect(codeOf(() => F.encode({ v: max + 1 }))).toBe('ACCELCTL_E_BAD_INPUT');
    }
  });

  it('agrees with a reference MLX5_GET for every position and width (1..32) inside a dword', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 31 }).chain((off) => fc.tuple(fc.constant(off), fc.integer({ min: 1, max: 32 - off }))),
        fc.integer({ min: 0, max: 3 }),
        fc.uint8Array({ minLength: 16, maxLength: 16 }),
        fc.nat(),
        ([off, width], dword, background, seed) => {
          const bit = dword * 32 + off;
          const F = defineStruct('f', 16, { v: { bit, width } });
          expect(F.get(background, 'v')).toBe(mlx5Get(background, bit, width));
          const value = width === 32 ? seed >>> 0 : seed % 2 ** width;
          const copy = background.slice();
          F.write(copy, { v: value });
          expect(mlx5Get(copy, bit, width)).toBe(value);
          // Every bit outside the field keeps its old value.
          for (let b = 0; b < 128; b++) {
            if (b >= bit && b < bit + width) continue;
            expect(mlx5Get(copy, b, 1)).toBe(mlx5Get(background, b, 1));
          }
        },
      ),
      { seed: SEED, numRuns: 300 },
    );
  });
});

describe('defineStruct definition-time errors (ACCELCTL_E_PLUGIN)', () => {
  const bad: [string, number, Record<string, FieldSpec>][] = [
    ['u8 past the end', 4, { x: { at: 4, type: 'u8' } }],
    ['u32 straddling the end', 4, { x: { at: 2, type: 'u32le' } }],
    ['u64 past the end', 8, { x: { at: 1, type: 'u64be' } }],
    ['bytes past the end', 8, { x: { at: 4, type: 'bytes', length: 5 } }],
    ['string past the end', 8, { x: { at: 0, type: 'string', length: 9 } }],
    ['bit field past the end', 4, { x: { bit: 32, width: 8 } }],
    ['bit field crossing a dword', 8, { x: { bit: 24, width: 16 } }],
    ['32-bit bit field not at a dword start', 8, { x: { bit: 1, width: 32 } }],
    ['bit field width 0', 4, { x: { bit: 0, width: 0 } }],
    ['bit field width 33', 8, { x: { bit: 0, width: 33 } }],
    ['64-bit bit field not dword aligned', 16, { x: { bit: 16, width: 64 } }],
    ['64-bit bit field past the end', 8, { x: { bit: 32, width: 64 } }],
    // A typo'd offset must fail when the plugin loads, not with a RangeError on a device.
    ['negative byte offset', 4, { x: { at: -1, type: 'u8' } }],
    ['negative bit offset', 4, { x: { bit: -4, width: 4 } }],
  ];
  it.each(bad)('%s', (_label, size, fields) => {
    expect(codeOf(() => defineStruct('bad', size, fields))).toBe('ACCELCTL_E_PLUGIN');
  });

  it('names the struct and field in the message', () => {
    expect(() => defineStruct('my_struct', 4, { my_field: { at: 3, type: 'u16be' } })).toThrow(/my_struct\.my_field/);
  });

  it('accepts fields that end exactly at the size', () => {
    expect(defineStruct('ok', 8, { a: { at: 4, type: 'u32be' }, b: { bit: 32, width: 32 } }).size).toBe(8);
  });
});

describe('encode rejects values that do not fit (ACCELCTL_E_BAD_INPUT)', () => {
  const S = defineStruct('s', 32, {
    u8: { at: 0, type: 'u8' },
    u16: { at: 2, type: 'u16le' },
    u32: { at: 4, type: 'u32be' },
    u64: { at: 8, type: 'u64le' },
    b: { at: 16, type: 'bytes', length: 2 },
    s: { at: 18, type: 'string', length: 2 },
    nib: { bit: 160, width: 4 },
    big: { bit: 192, width: 64 },
  });
  const cases: [string, Record<string, unknown>][] = [
    ['u8 256', { u8: 256 }],
    ['u8 -1', { u8: -1 }],
    ['u8 1.5', { u8: 1.5 }],
    ['u8 NaN', { u8: Number.NaN }],
    ['u8 as string', { u8: '1' }],
    ['u16 65536', { u16: 65536 }],
    ['u32 2^32', { u32: 2 ** 32 }],
    ['u64 2^64', { u64: 2n ** 64n }],
    ['u64 -1n', { u64: -1n }],
    ['u64 as string', { u64: '1' }],
    ['u64 non-integer number', { u64: 1.5 }],
    ['u64 NaN', { u64: Number.NaN }],
    ['bytes too long', { b: new Uint8Array(3) }],
    ['bytes not a Uint8Array', { b: [1, 2] }],
    ['string too long', { s: 'abc' }],
    ['4-bit field 16', { nib: 16 }],
    ['4-bit field -1', { nib: -1 }],
    ['64-bit bit field 2^64', { big: 2n ** 64n }],
    ['64-bit bit field non-integer number', { big: 0.5 }],
  ];
  it.each(cases)('%s', (_label, values) => {
    expect(codeOf(() => S.encode(values as never))).toBe('ACCELCTL_E_BAD_INPUT');
  });

  it('accepts the largest value of each width', () => {
    const bytes = S.encode({ u8: 0xff, u16: 0xffff, u32: 0xffffffff, u64: 2n ** 64n - 1n, nib: 15, big: 2n ** 64n - 1n });
    const d = S.decode(bytes);
    expect([d.u8, d.u16, d.u32, d.u64, d.nib, d.big]).toEqual([0xff, 0xffff, 0xffffffff, 2n ** 64n - 1n, 15, 2n ** 64n - 1n]);
  });

  it('accepts a safe integer number for a u64 field', () => {
    expect(S.decode(S.encode({ u64: 42 as unknown as bigint })).u64).toBe(42n);
  });
});

describe('decode of short buffers (ACCELCTL_E_MALFORMED_REPLY)', () => {
  const S = defineStruct('s', 8, { a: { at: 0, type: 'u32be' }, b: { bit: 32, width: 8 } });
  it('throws on a buffer shorter than the struct', () => {
    expect(codeOf(() => S.decode(new Uint8Array(7)))).toBe('ACCELCTL_E_MALFORMED_REPLY');
    expect(codeOf(() => S.decode(new Uint8Array(0)))).toBe('ACCELCTL_E_MALFORMED_REPLY');
  });
  it('throws when the offset leaves too few bytes, or is negative', () => {
    expect(codeOf(() => S.decode(new Uint8Array(10), 3))).toBe('ACCELCTL_E_MALFORMED_REPLY');
    expect(codeOf(() => S.decode(new Uint8Array(10), -1))).toBe('ACCELCTL_E_MALFORMED_REPLY');
  });
  it('get only needs the bytes of its field', () => {
    expect(S.get(new Uint8Array([0, 0, 0, 7]), 'a')).toBe(7);
    expect(codeOf(() => S.get(new Uint8Array(3), 'a'))).toBe('ACCELCTL_E_MALFORMED_REPLY');
  });
  it('get of a bit field on a buffer that ends inside its dword returns the value or throws MALFORMED_REPLY (never a RangeError)', () => {
    // The field's own byte (byte 4) is present; MLX5_GET reads the whole dword 4..7.
    const bytes = new Uint8Array([0, 0, 0, 0, 0xab]);
    let result: unknown;
    try {
      result = S.get(bytes, 'b');
    } catch (error) {
      if (!isAccelError(error)) throw error;
      expect(error.code).toBe('ACCELCTL_E_MALFORMED_REPLY');
      return;
    }
    expect(result).toBe(0xab);
  });
});

describe('fast-check properties', () => {
  const Mixed = defineStruct('mixed', 64, {
    a: { at: 0, type: 'u8' },
    b: { at: 1, type: 'u16le' },
    c: { at: 3, type: 'u16be' },
    d: { at: 5, type: 'u32le' },
    e: { at: 9, type: 'u32be' },
    f: { at: 13, type: 'u64le' },
    g: { at: 21, type: 'u64be' },
    h: { at: 29, type: 'bytes', length: 3 },
    i: { at: 32, type: 'string', length: 8 },
    // dword 10 (bytes 40..43): several packed bit fields
    j: { bit: 320, width: 1 },
    k: { bit: 321, width: 3 },
    l: { bit: 324, width: 12 },
    m: { bit: 336, width: 16 },
    n: { bit: 352, width: 32 },
    o: { bit: 384, width: 64 },
    p: { bit: 448, width: 30 },
    q: { bit: 478, width: 2 },
  });

  const uint = (bits: number) => fc.integer({ min: 0, max: 2 ** bits - 1 });
  const values = fc.record({
    a: uint(8),
    b: uint(16),
    c: uint(16),
    d: uint(32),
    e: uint(32),
    f: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
    g: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
    h: fc.uint8Array({ minLength: 3, maxLength: 3 }),
    i: fc.stringMatching(/^[\x20-\x7e]{0,8}$/),
    j: uint(1),
    k: uint(3),
    l: uint(12),
    m: uint(16),
    n: uint(32),
    o: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
    p: uint(30),
    q: uint(2),
  });

  it('encode → decode is the identity for every field kind', () => {
    fc.assert(
      fc.property(values, (v) => {
        const bytes = Mixed.encode(v);
        expect(bytes.length).toBe(64);
        expect(Mixed.decode(bytes)).toEqual(v);
        for (const key of Object.keys(v) as (keyof typeof v)[]) expect(Mixed.get(bytes, key)).toEqual(v[key]);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('decode → encode reproduces the bytes the fields cover', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 64, maxLength: 64 }), (raw) => {
        const d = Mixed.decode(raw);
        const again = Mixed.encode({ ...d, i: undefined as never });
        // Bytes 0..31 and 40..59 are fully covered by non-string fields; the rest stays zero.
        expect(hex(again.subarray(0, 32))).toBe(hex(raw.subarray(0, 32)));
        expect(hex(again.subarray(40, 60))).toBe(hex(raw.subarray(40, 60)));
        expect(hex(again.subarray(60, 64))).toBe('00000000');
      }),
      { seed: SEED, numRuns: 200 },
    );
  });

  it('decode and get of random bytes (0..64) either succeed or throw only AccelError', () => {
    const keys = Object.keys(Mixed.fields) as (keyof typeof Mixed.fields)[];
    fc.assert(
      // Lengths drawn uniformly (fast-check's default size would keep arrays short).
      fc.property(
        fc.integer({ min: 0, max: 64 }).chain((n) => fc.uint8Array({ minLength: n, maxLength: n })),
        fc.integer({ min: -2, max: 70 }),
        (raw, offset) => {
        const attempts: (() => unknown)[] = [() => Mixed.decode(raw), () => Mixed.decode(raw, offset)];
        for (const key of keys) attempts.push(() => Mixed.get(raw, key), () => Mixed.get(raw, key, offset));
        for (const attempt of attempts) {
          try {
            attempt();
          } catch (error) {
            if (!isAccelError(error)) throw error;
            expect(error.code).toBe('ACCELCTL_E_MALFORMED_REPLY');
          }
        }
        },
      ),
      { seed: SEED, numRuns: 300 },
    );
  });
});

describe('fields at any byteOffset, on Uint8Arrays and Buffers', () => {
  // DataView on the backing buffer is the reference, written independently of the
  // struct's readers: arrays that start inside a larger buffer, and Node Buffers.
  const Ints = defineStruct('ints', 32, {
    u8: { at: 0, type: 'u8' },
    u16le: { at: 1, type: 'u16le' },
    u16be: { at: 3, type: 'u16be' },
    u32le: { at: 5, type: 'u32le' },
    u32be: { at: 9, type: 'u32be' },
    u64le: { at: 13, type: 'u64le' },
    u64be: { at: 21, type: 'u64be' },
    bits: { bit: 232, width: 13 },
  });
  const reference = (dv: DataView, o: number) => ({
    u8: dv.getUint8(o),
    u16le: dv.getUint16(o + 1, true),
    u16be: dv.getUint16(o + 3, false),
    u32le: dv.getUint32(o + 5, true),
    u32be: dv.getUint32(o + 9, false),
    u64le: dv.getBigUint64(o + 13, true),
    u64be: dv.getBigUint64(o + 21, false),
    bits: (dv.getUint32(o + 28, false) >>> (32 - 8 - 13)) & 0x1fff,
  });
  const placed = fc.record({
    lead: fc.nat({ max: 7 }),
    offset: fc.nat({ max: 5 }),
    body: fc.uint8Array({ minLength: 37, maxLength: 37 }),
    asBuffer: fc.boolean(),
  });

  it('decode equals DataView reads at any byteOffset and struct offset, for Uint8Array and Buffer', () => {
    fc.assert(
      fc.property(placed, ({ lead, offset, body, asBuffer }) => {
        const backing = new Uint8Array(lead + body.length);
        backing.set(body, lead);
        const bytes = asBuffer ? Buffer.from(backing.buffer, lead, body.length) : backing.subarray(lead);
        expect(Ints.decode(bytes, offset)).toEqual(reference(new DataView(backing.buffer, lead, body.length), offset));
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('write lays down what DataView would, and touches nothing outside the fields', () => {
    fc.assert(
      fc.property(placed, ({ lead, offset, body }) => {
        const source = reference(new DataView(body.buffer, body.byteOffset, body.byteLength), 0);
        const backing = new Uint8Array(lead + 48).fill(0x5a);
        const target = backing.subarray(lead);
        Ints.write(target, source, offset);
        expect(Ints.decode(target, offset)).toEqual(source);
        expect([...backing.subarray(0, lead + offset)].every((b) => b === 0x5a)).toBe(true);
        expect([...backing.subarray(lead + offset + 32)].every((b) => b === 0x5a)).toBe(true);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  // Short fields are copied byte by byte, long ones in one go: both must copy.
  it.each([2, 64, 65, 300])('a bytes field of %i bytes decoded from a Buffer is a plain Uint8Array copy', (length) => {
    const T = defineStruct('t', length + 2, { b: { at: 1, type: 'bytes', length } });
    const raw = Buffer.from(Array.from({ length: length + 2 }, (_, i) => (i * 7 + 1) & 0xff));
    const out = T.decode(raw).b;
    expect(Object.getPrototypeOf(out)).toBe(Uint8Array.prototype);
    expect(hex(out)).toBe(hex(raw.subarray(1, 1 + length)));
    out[0] = 99;
    expect(raw[1]).toBe(8);
  });

  it('a string field reads latin1 up to the first NUL, for any bytes and length', () => {
    // Bytes with NULs, and without (text longer than the 4096 chars made at a time).
    const bytes = (n: number) => fc.oneof(fc.uint8Array({ minLength: n, maxLength: n }), fc.uint8Array({ min: 1, max: 255, minLength: n, maxLength: n }));
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9000 }).chain((n) => fc.tuple(fc.constant(n), bytes(n + 3))), ([length, raw]) => {
        const T = defineStruct('t', length + 3, { s: { at: 3, type: 'string', length } });
        const field = Buffer.from(raw.subarray(3));
        const nul = field.indexOf(0);
        expect(T.decode(raw).s).toBe(field.subarray(0, nul === -1 ? field.length : nul).toString('latin1'));
      }),
      { seed: SEED, numRuns: 200 },
    );
  });

  it('a string field refuses text that is not latin1 instead of mangling it', () => {
    const T = defineStruct('t', 8, { s: { at: 0, type: 'string', length: 8 } });
    expect(hex(T.encode({ s: 'caf\u00e9' }))).toBe('636166e900000000');
    expect(codeOf(() => T.encode({ s: 'snow\u2603' }))).toBe('ACCELCTL_E_BAD_INPUT');
  });

  it('write at a negative or fractional offset is refused with an AccelError', () => {
    const T = defineStruct('t', 4, { x: { at: 0, type: 'u32le' } });
    expect(codeOf(() => T.write(new Uint8Array(8), { x: 1 }, -1))).toBe('ACCELCTL_E_INTERNAL');
    expect(codeOf(() => T.write(new Uint8Array(8), { x: 1 }, 1.5))).toBe('ACCELCTL_E_INTERNAL');
  });
});

describe('slice', () => {
  const bytes = new Uint8Array([0, 1, 2, 3, 4, 5]);
  it('returns the sub-range', () => {
    expect([...slice(bytes, 2, 3, 'x')]).toEqual([2, 3, 4]);
    expect(slice(bytes, 6, 0, 'x').length).toBe(0);
    expect([...slice(bytes, 0, 6, 'x')]).toEqual([0, 1, 2, 3, 4, 5]);
  });
  it.each([
    [5, 2],
    [7, 0],
    [-1, 1],
    [0, -1],
    [1.5, 1],
    [0, 2.5],
    [0, 7],
    [Number.NaN, 1],
  ])('rejects offset %s length %s with MALFORMED_REPLY naming what', (offset, length) => {
    expect(codeOf(() => slice(bytes, offset, length, 'payload'))).toBe('ACCELCTL_E_MALFORMED_REPLY');
    expect(() => slice(bytes, offset, length, 'payload')).toThrow(/payload/);
  });
  it('never throws anything but AccelError, and when it returns it returns exactly `length` bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 32 }), fc.integer({ min: -4, max: 40 }), fc.integer({ min: -4, max: 40 }), (raw, off, len) => {
        try {
          const out = slice(raw, off, len, 'x');
          expect(out.length).toBe(len);
          expect([...out]).toEqual([...raw].slice(off, off + len));
        } catch (error) {
          if (!isAccelError(error)) throw error;
          expect(off < 0 || len < 0 || off + len > raw.length).toBe(true);
        }
      }),
      { seed: SEED, numRuns: 300 },
    );
  });
});

describe('concatBytes', () => {
  it('joins parts in order', () => {
    expect(hex(concatBytes([new Uint8Array([1]), new Uint8Array([]), new Uint8Array([2, 3])]))).toBe('010203');
    expect(concatBytes([]).length).toBe(0);
  });
  it('respects subarray views', () => {
    const base = new Uint8Array([9, 8, 7, 6]);
    expect(hex(concatBytes([base.subarray(1, 3), base.subarray(0, 1)]))).toBe('080709');
  });
  it('equals the flattened arrays (fast-check)', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 16 }), { maxLength: 8 }), (parts) => {
        expect([...concatBytes(parts)]).toEqual(parts.flatMap((p) => [...p]));
      }),
      { seed: SEED, numRuns: 200 },
    );
  });
});
