/**
 * Binary layout helpers: every field names its endianness, every read is bounds
 * checked, and the only error a decoder can throw is AccelError
 * (ACCELCTL_E_MALFORMED_REPLY). Plugins describe their wire structs with
 * `defineStruct` and never touch DataView offsets by hand.
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

/*
 * Fields are read and written on the bytes themselves, not through a DataView:
 * making a DataView needs the array's ArrayBuffer, and asking a small typed array
 * (V8 keeps those of up to 64 bytes inside the JS heap) for its buffer moves its
 * bytes out of the heap, an allocation and a copy on every encode and decode.
 * Callers check bounds before any of these run.
 */
function u16be(b: Uint8Array, i: number): number {
  return (b[i]! << 8) | b[i + 1]!;
}
function u16le(b: Uint8Array, i: number): number {
  return b[i]! | (b[i + 1]! << 8);
}
function u32be(b: Uint8Array, i: number): number {
  return ((b[i]! << 24) | (b[i + 1]! << 16) | (b[i + 2]! << 8) | b[i + 3]!) >>> 0;
}
function u32le(b: Uint8Array, i: number): number {
  return (b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24)) >>> 0;
}
function u64(b: Uint8Array, i: number, little: boolean): bigint {
  const high = little ? u32le(b, i + 4) : u32be(b, i);
  const low = little ? u32le(b, i) : u32be(b, i + 4);
  return (BigInt(high) << 32n) | BigInt(low);
}
function setU16(b: Uint8Array, i: number, v: number, little: boolean): void {
  b[i + (little ? 0 : 1)] = v & 0xff;
  b[i + (little ? 1 : 0)] = v >>> 8;
}
function setU32(b: Uint8Array, i: number, v: number, little: boolean): void {
  for (let k = 0; k < 4; k++) b[i + (little ? k : 3 - k)] = (v >>> (8 * k)) & 0xff;
}
function setU64(b: Uint8Array, i: number, v: bigint, little: boolean): void {
  const high = Number(v >> 32n);
  const low = Number(v & 0xffffffffn);
  setU32(b, i + (little ? 4 : 0), high, little);
  setU32(b, i + (little ? 0 : 4), low, little);
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

type Reader = (bytes: Uint8Array, base: number) => number | bigint | Uint8Array | string;

/** NUL-padded latin1 text: one char per byte, up to the first NUL (no Buffer per field). */
function readString(bytes: Uint8Array, at: number, length: number): string {
  let text = '';
  for (let i = 0; i < length; i++) {
    const byte = bytes[at + i]!;
    if (byte === 0) break;
    text += String.fromCharCode(byte);
  }
  return text;
}

/** A reader for one field, chosen once when the struct is defined (not per read). */
function fieldReader(spec: FieldSpec): Reader {
  if ('bit' in spec) {
    const dwordOffset = Math.floor(spec.bit / 32) * 4;
    if (spec.width === 64) return (b, base) => u64(b, base + dwordOffset, false);
    const shift = 32 - (spec.bit % 32) - spec.width;
    if (spec.width === 32) return (b, base) => u32be(b, base + dwordOffset);
    // Unsigned shift and mask: exact for widths 1..31 inside one dword.
    const mask = 2 ** spec.width - 1;
    return (b, base) => (u32be(b, base + dwordOffset) >>> shift) & mask;
  }
  const at = spec.at;
  switch (spec.type) {
    case 'u8':
      return (b, base) => b[base + at]!;
    case 'u16le':
      return (b, base) => u16le(b, base + at);
    case 'u16be':
      return (b, base) => u16be(b, base + at);
    case 'u32le':
      return (b, base) => u32le(b, base + at);
    case 'u32be':
      return (b, base) => u32be(b, base + at);
    case 'u64le':
      return (b, base) => u64(b, base + at, true);
    case 'u64be':
      return (b, base) => u64(b, base + at, false);
    case 'bytes': {
      const length = spec.length;
      // A plain Uint8Array copy (a Buffer's slice would alias): callers keep it, and
      // it must not alias the reply buffer.
      return (b, base) => new Uint8Array(b.subarray(base + at, base + at + length));
    }
    case 'string': {
      const length = spec.length;
      return (b, base) => readString(b, base + at, length);
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

/** A writer for one field (range-checked), chosen once when the struct is defined (not per write). */
function fieldWriter(structName: string, name: string, spec: FieldSpec): Writer {
  if ('bit' in spec) {
    const dwordOffset = Math.floor(spec.bit / 32) * 4;
    if (spec.width === 64) return (b, base, value) => setU64(b, base + dwordOffset, checkBig(structName, name, value), false);
    const width = spec.width;
    const max = 2 ** width - 1;
    const scale = 2 ** (32 - (spec.bit % 32) - width);
    return (b, base, value) => {
      const v = checkInt(structName, name, value, max);
      const old = u32be(b, base + dwordOffset);
      // Arithmetic instead of 32-bit bitwise operators, which are signed in JavaScript.
      const above = Math.floor(old / (scale * 2 ** width)) * scale * 2 ** width;
      const below = old % scale;
      setU32(b, base + dwordOffset, above + v * scale + below, false);
    };
  }
  const at = spec.at;
  switch (spec.type) {
    case 'u8':
      return (b, base, value) => {
        b[base + at] = checkInt(structName, name, value, 0xff);
      };
    case 'u16le':
    case 'u16be': {
      const little = spec.type === 'u16le';
      return (b, base, value) => setU16(b, base + at, checkInt(structName, name, value, 0xffff), little);
    }
    case 'u32le':
    case 'u32be': {
      const little = spec.type === 'u32le';
      return (b, base, value) => setU32(b, base + at, checkInt(structName, name, value, 0xffffffff), little);
    }
    case 'u64le':
    case 'u64be': {
      const little = spec.type === 'u64le';
      return (b, base, value) => setU64(b, base + at, checkBig(structName, name, value), little);
    }
    case 'bytes': {
      const length = spec.length;
      return (b, base, value) => {
        if (!(value instanceof Uint8Array) || value.length > length) {
          throw new AccelError('ACCELCTL_E_BAD_INPUT', `${structName}.${name}: expected at most ${length} bytes`);
        }
        b.fill(0, base + at, base + at + length);
        b.set(value, base + at);
      };
    }
    case 'string': {
      const length = spec.length;
      return (b, base, value) => {
        const text = String(value);
        if (text.length > length || /[^\x00-\xff]/.test(text)) {
          throw new AccelError('ACCELCTL_E_BAD_INPUT', `${structName}.${name}: text longer than ${length} bytes or not latin1`);
        }
        b.fill(0, base + at, base + at + length);
        for (let i = 0; i < text.length; i++) b[base + at + i] = text.charCodeAt(i);
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
