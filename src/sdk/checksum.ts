/**
 * CRC-32 (IEEE 802.3, the zlib/PNG/Ethernet polynomial), as firmware image
 * formats use it. Node's zlib has it natively (≥ 20.15); `previous` continues a
 * running CRC, so crc32(b, crc32(a)) === crc32(a ++ b) and images can be
 * checked chunk by chunk.
 */
import { createRequire } from 'node:module';

type Zlib = typeof import('node:zlib');
let zlib: Zlib | undefined;

export function crc32(bytes: Uint8Array, previous = 0): number {
  // node:zlib is loaded on first use, not with every plugin: most commands check no image.
  zlib ??= createRequire(import.meta.url)('node:zlib') as Zlib;
  return zlib.crc32(bytes, previous) >>> 0;
}
