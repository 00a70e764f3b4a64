/**
 * CRC-32 (IEEE 802.3, the zlib/PNG/Ethernet polynomial), as firmware image
 * formats use it. Node's zlib has it natively (≥ 20.15); `previous` continues a
 * running CRC, so crc32(b, crc32(a)) === crc32(a ++ b) and images can be
 * checked chunk by chunk.
 */
import { crc32 as zlibCrc32 } from 'node:zlib';

export function crc32(bytes: Uint8Array, previous = 0): number {
  return zlibCrc32(bytes, previous) >>> 0;
}
