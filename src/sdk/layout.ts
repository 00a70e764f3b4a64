/**
 * Binary layout helpers: every field names its endianness, every read is bounds
 * checked, and the only error a decoder can throw is AccelError
 * (ACCELCTL_E_MALFORMED_REPLY). Plugins describe their wire structs with
 * `defineStruct` and never touch byte offsets by hand.
 *
 * Two kinds of field:
 *  - byte fields: `{ at: byteOffset, type: 'u16le' | 'u32be' | ... }`
 *  - PRM bit fields (mlx5 "ifc" style): `{ bit: bitOffset, width }`, where the bit
 *    offset counts from the most significant bit of big-endian dword 0, exactly as
 *    the kernel's MLX5_GET/MLX5_SET macros do. Width 1..32 must stay inside one
 *    dword; width 64 must be dword aligned (MLX5_GET64).
 */
import { AccelError, malformedReply } from '../core/errors';

export type IntType = 'u8' | 'u16le' | 'u16be' | 'u32le' | 'u32be';
export type BigIntType = 'u64le' | 'u64be';

export interface IntField {
  at: number;
  type: IntType;
}
export interface BigIntField {
  at: number;
  type: BigIntType;
}
export interface BytesField {
  at: number;
  type: 'bytes';
  length: number;
}
/** NUL-padded ASCII text. */
export interface StringField {
  at: number;
  type: 'string';
  length: number;
}
export interface BitField {
  bit: number;
  width: number;
}

export type FieldSpec = IntField | BigIntField | BytesField | StringField | BitField;

export type FieldValue<F extends FieldSpec> = F extends BigIntField
  ? bigint
  : F extends BytesField
    ? Uint8Array
    : F extends StringField
      ? string
      : F extends BitField
        ? F['width'] extends 64
          ? bigint
          : number
        : number;

export type StructValues<Fields extends Record<string, FieldSpec>> = {
  [K in keyof Fields]: FieldValue<Fields[K]>;
};

export interface Struct<Fields extends Record<string, FieldSpec>> {
  readonly name: string;
  /** Size in bytes of the fixed part. */
  readonly size: number;
  readonly fields: Fields;
  /** Decode every field; throws ACCELCTL_E_MALFORMED_REPLY if `bytes` is too short. */
  decode(bytes: Uint8Array, offset?: number): StructValues<Fields>;
  /** Read one field. */
  get<K extends keyof Fields>(bytes: Uint8Array, field: K, offset?: number): FieldValue<Fields[K]>;
  /** Encode into a new zeroed buffer of `size` (or `totalSize`) bytes; unset fields stay zero. */
  encode(values: Partial<StructValues<Fields>>, totalSize?: number): Uint8Array;
  /** Write fields into an existing buffer. */
  write(bytes: Uint8Array, values: Partial<StructValues<Fields>>, offset?: number): void;
}

const INT_SIZES: Record<IntType | BigIntType, number> = {
  u8: 1,
  u16le: 2,
  u16be: 2,
  u32le: 4,
  u32be: 4,
  u64le: 8,
  u64be: 8,
};

function fieldEnd(spec: FieldSpec): number {
  // Bit fields are read and written a whole big-endian dword (or two) at a time.
  if ('bit' in spec) return Math.floor(spec.bit / 32) * 4 + (spec.width === 64 ? 8 : 4);
  if (spec.type === 'bytes' || spec.type === 'string') return spec.at + spec.length;
  return spec.at + INT_SIZES[spec.type];
}

function checkBitField(structName: string, name: string, spec: BitField): void {
  const ok =
    spec.width === 64
      ? spec.bit % 32 === 0
      : spec.width >= 1 && spec.width <= 32 && Math.floor(spec.bit / 32) === Math.floor((spec.bit + spec.width - 1) / 32);
  if (!ok) {
    throw new AccelError('ACCELCTL_E_PLUGIN', `${structName}.${name}: bit field at ${spec.bit} width ${spec.width} crosses a dword`);
  }
}

// Fields are read and written byte by byte on the Uint8Array itself, not through a
// DataView: a DataView needs `bytes.buffer`, and for a small typed array (V8 keeps
// up to 64 bytes inside the object, as most requests and headers are) the first
// `.buffer` moves the bytes out to a new ArrayBuffer — an allocation and a copy
// per decode, thousands per dump.

/** Big-endian dword at `at` as the int32 with the same bits. */
function int32be(bytes: Uint8Array, at: number): number {
  return (bytes[at]! << 24) | (bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!;
}
function int32le(bytes: Uint8Array, at: number): number {
  return bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16) | (bytes[at + 3]! << 24);
}
function setInt32be(bytes: Uint8Array, at: number, value: number): void {
  bytes[at] = value >>> 24;
  bytes[at + 1] = value >>> 16;
  bytes[at + 2] = value >>> 8;
  bytes[at + 3] = value;
}
function setInt32le(bytes: Uint8Array, at: number, value: number): void {
  bytes[at] = value;
  bytes[at + 1] = value >>> 8;
  bytes[at + 2] = value >>> 16;
  bytes[at + 3] = value >>> 24;
}
function u64(high: number, low: number): bigint {
  return (BigInt(high >>> 0) << 32n) | BigInt(low >>> 0);
}

type Reader = (bytes: Uint8Array, base: number) => number | bigint | Uint8Array | string;

/**
 * NUL-padded latin1 text: one char per byte, up to the first NUL (no Buffer per
 * field). Made in one piece from the char codes: appended a char at a time, it was a
 * rope that the first regex test or trim had to flatten, twice the cost per field.
 */
function readString(bytes: Uint8Array, at: number, length: number): string {
  let end = at;
  while (end < at + length && bytes[end] !== 0) end++;
  let text = '';
  // In slices: apply() takes its arguments on the stack.
  for (let from = at; from < end; from += 4096) {
    const codes = new Array<number>(Math.min(4096, end - from));
    for (let i = 0; i < codes.length; i++) codes[i] = bytes[from + i]!;
    text += String.fromCharCode.apply(null, codes);
  }
  return text;
}

/** A copy of `length` bytes at `at`: callers keep it, and it must not alias the reply buffer. */
function copyBytes(bytes: Uint8Array, at: number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  // subarray() would need bytes.buffer, too; past 64 bytes the array is outside its object already.
  if (length > 64) out.set(bytes.subarray(at, at + length));
  else for (let i = 0; i < length; i++) out[i] = bytes[at + i]!;
  return out;
}

/** A reader for one field, chosen once when the struct is defined (not per read). */
function fieldReader(spec: FieldSpec): Reader {
  if ('bit' in spec) {
    const dwordOffset = Math.floor(spec.bit / 32) * 4;
    if (spec.width === 64) return (bytes, base) => u64(int32be(bytes, base + dwordOffset), int32be(bytes, base + dwordOffset + 4));
    const shift = 32 - (spec.bit % 32) - spec.width;
    if (spec.width === 32) return (bytes, base) => int32be(bytes, base + dwordOffset) >>> 0;
    // Unsigned shift and mask: exact for widths 1..31 inside one dword, and every step
    // stays a small integer (no heap-allocated numbers in code V8 has not optimised,
    // which is most of a short run).
    const mask = 2 ** spec.width - 1;
    return (bytes, base) => (int32be(bytes, base + dwordOffset) >>> shift) & mask;
  }
  const at = spec.at;
  switch (spec.type) {
    case 'u8':
      return (bytes, base) => bytes[base + at]!;
    case 'u16le':
      return (bytes, base) => bytes[base + at]! | (bytes[base + at + 1]! << 8);
    case 'u16be':
      return (bytes, base) => (bytes[base + at]! << 8) | bytes[base + at + 1]!;
    case 'u32le':
      return (bytes, base) => int32le(bytes, base + at) >>> 0;
    case 'u32be':
      return (bytes, base) => int32be(bytes, base + at) >>> 0;
    case 'u64le':
      return (bytes, base) => u64(int32le(bytes, base + at + 4), int32le(bytes, base + at));
    case 'u64be':
      return (bytes, base) => u64(int32be(bytes, base + at), int32be(bytes, base + at + 4));
    case 'bytes': {
      const length = spec.length;
      return (bytes, base) => copyBytes(bytes, base + at, length);
    }
    case 'string': {
      const length = spec.length;
      return (bytes, base) => readString(bytes, base + at, length);
    }
  }
}

function checkInt(structName: string, name: string, value: unknown, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > max) {
    throw new AccelError('ACCELCTL_E_BAD_INPUT', `${structName}.${name}: ${String(value)} does not fit (0..${max})`);
  }
  return value;
}

function checkBig(structName: string, name: string, value: unknown): bigint {
  const big = typeof value === 'number' && Number.isSafeInteger(value) ? BigInt(value) : value;
  if (typeof big !== 'bigint' || big < 0n || big > 0xffffffffffffffffn) {
    throw new AccelError('ACCELCTL_E_BAD_INPUT', `${structName}.${name}: ${String(value)} does not fit in 64 bits`);
  }
  return big;
}

type Writer = (bytes: Uint8Array, base: number, value: unknown) => void;

/** A 64-bit value as its two dwords (high, low), each the int32 with the same bits. */
function dwords(value: bigint): [number, number] {
  return [Number(value >> 32n) | 0, Number(value & 0xffffffffn) | 0];
}

/** A writer for one field (range-checked), chosen once when the struct is defined (not per write). */
function fieldWriter(structName: string, name: string, spec: FieldSpec): Writer {
  if ('bit' in spec) {
    const dwordOffset = Math.floor(spec.bit / 32) * 4;
    if (spec.width === 64) {
      return (bytes, base, value) => {
        const [high, low] = dwords(checkBig(structName, name, value));
        setInt32be(bytes, base + dwordOffset, high);
        setInt32be(bytes, base + dwordOffset + 4, low);
      };
    }
    const width = spec.width;
    const max = 2 ** width - 1;
    const shift = 32 - (spec.bit % 32) - width;
    // The field's bits within the dword as an int32 pattern (width 32: all of them).
    const field = (max << shift) | 0;
    return (bytes, base, value) => {
      const v = checkInt(structName, name, value, max);
      // 32-bit operators work on signed integers and store the same bits an unsigned
      // value has; no step leaves the small-integer range.
      setInt32be(bytes, base + dwordOffset, (int32be(bytes, base + dwordOffset) & ~field) | ((v << shift) & field));
    };
  }
  const at = spec.at;
  switch (spec.type) {
    case 'u8':
      return (bytes, base, value) => {
        bytes[base + at] = checkInt(structName, name, value, 0xff);
      };
    case 'u16le':
      return (bytes, base, value) => {
        const v = checkInt(structName, name, value, 0xffff);
        bytes[base + at] = v;
        bytes[base + at + 1] = v >>> 8;
      };
    case 'u16be':
      return (bytes, base, value) => {
        const v = checkInt(structName, name, value, 0xffff);
        bytes[base + at] = v >>> 8;
        bytes[base + at + 1] = v;
      };
    case 'u32le':
      return (bytes, base, value) => setInt32le(bytes, base + at, checkInt(structName, name, value, 0xffffffff) | 0);
    case 'u32be':
      return (bytes, base, value) => setInt32be(bytes, base + at, checkInt(structName, name, value, 0xffffffff) | 0);
    case 'u64le':
      return (bytes, base, value) => {
        const [high, low] = dwords(checkBig(structName, name, value));
        setInt32le(bytes, base + at, low);
        setInt32le(bytes, base + at + 4, high);
      };
    case 'u64be':
      return (bytes, base, value) => {
        const [high, low] = dwords(checkBig(structName, name, value));
        setInt32be(bytes, base + at, high);
        setInt32be(bytes, base + at + 4, low);
      };
    case 'bytes': {
      const length = spec.length;
      return (bytes, base, value) => {
        if (!(value instanceof Uint8Array) || value.length > length) {
          throw new AccelError('ACCELCTL_E_BAD_INPUT', `${structName}.${name}: expected at most ${length} bytes`);
        }
        bytes.fill(0, base + at, base + at + length);
        bytes.set(value, base + at);
      };
    }
    case 'string': {
      const length = spec.length;
      return (bytes, base, value) => {
        const string = String(value);
        // One byte per character: a wider character would not survive.
        if (/[^\x00-\xff]/.test(string)) throw new AccelError('ACCELCTL_E_BAD_INPUT', `${structName}.${name}: text is not latin1`);
        if (string.length > length) throw new AccelError('ACCELCTL_E_BAD_INPUT', `${structName}.${name}: text longer than ${length} bytes`);
        bytes.fill(0, base + at, base + at + length);
        for (let i = 0; i < string.length; i++) bytes[base + at + i] = string.charCodeAt(i);
      };
    }
  }
}

/**
 * Describe a fixed-size wire struct. `size` is checked against the fields at
 * definition time, so a typo in an offset fails when the plugin loads, not on a device.
 */
export function defineStruct<const Fields extends Record<string, FieldSpec>>(
  name: string,
  size: number,
  fields: Fields,
): Struct<Fields> {
  for (const [fieldName, spec] of Object.entries(fields)) {
    const numbers = 'bit' in spec ? [spec.bit, spec.width] : 'length' in spec ? [spec.at, spec.length] : [spec.at];
    if (numbers.some((n) => !Number.isInteger(n) || n < 0)) {
      throw new AccelError('ACCELCTL_E_PLUGIN', `${name}.${fieldName}: offsets and sizes must be non-negative integers`);
    }
    if ('bit' in spec) checkBitField(name, fieldName, spec);
    if (fieldEnd(spec) > size) {
      throw new AccelError('ACCELCTL_E_PLUGIN', `${name}.${fieldName} ends at byte ${fieldEnd(spec)}, past the struct size ${size}`);
    }
  }
  const entries = Object.entries(fields) as [keyof Fields & string, FieldSpec][];
  const names = entries.map(([fieldName]) => fieldName);
  const readers = entries.map(([, spec]) => fieldReader(spec));
  const writers = entries.map(([fieldName, spec]) => fieldWriter(name, fieldName, spec));
  const readerOf = new Map<string, { reader: Reader; end: number }>(entries.map(([fieldName, spec], i) => [fieldName, { reader: readers[i]!, end: fieldEnd(spec) }]));

  const requireLength = (bytes: Uint8Array, offset: number, end: number): void => {
    if (offset < 0 || bytes.length < offset + end) {
      throw malformedReply(`${name}: need ${end} bytes at offset ${offset}, have ${Math.max(0, bytes.length - offset)}`);
    }
  };

  return {
    name,
    size,
    fields,
    decode(bytes, offset = 0) {
      requireLength(bytes, offset, size);
      const out: Record<string, unknown> = {};
      for (let i = 0; i < readers.length; i++) out[names[i]!] = readers[i]!(bytes, offset);
      return out as StructValues<Fields>;
    },
    get(bytes, field, offset = 0) {
      const known = readerOf.get(field as string)!;
      requireLength(bytes, offset, known.end);
      return known.reader(bytes, offset) as FieldValue<Fields[typeof field]>;
    },
    encode(values, totalSize = size) {
      const bytes = new Uint8Array(Math.max(totalSize, size));
      this.write(bytes, values);
      return bytes;
    },
    write(bytes, values, offset = 0) {
      if (!Number.isInteger(offset) || offset < 0 || bytes.length < offset + size) {
        throw new AccelError('ACCELCTL_E_INTERNAL', `${name}: buffer of ${bytes.length} bytes is too small for ${size} at offset ${offset}`);
      }
      const given = values as Record<string, unknown>;
      for (let i = 0; i < names.length; i++) {
        const value = given[names[i]!];
        if (value !== undefined) writers[i]!(bytes, offset, value);
      }
    },
  };
}

/** Bounds-checked sub-range of a reply; throws ACCELCTL_E_MALFORMED_REPLY when short. */
export function slice(bytes: Uint8Array, offset: number, length: number, what: string): Uint8Array {
  if (!Number.isInteger(offset) || !Number.isInteger(length) || offset < 0 || length < 0 || offset + length > bytes.length) {
    throw malformedReply(`${what}: need ${length} bytes at offset ${offset}, have ${Math.max(0, bytes.length - offset)}`);
  }
  return bytes.subarray(offset, offset + length);
}

/** Concatenate byte arrays. */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const total = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
