/**
 * CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320) for the firmware image
 * format. Small and table driven; `zlib.crc32` would do but only exists from
 * Node 20.15/22.2, and the simulator must not depend on node:zlib either.
 */
const TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** Continue a CRC over more bytes: crc32(b, crc32(a)) === crc32(a ++ b). */
export function crc32(bytes: Uint8Array, previous = 0): number {
  let c = (previous ^ 0xffffffff) >>> 0;
  for (let i = 0; i < bytes.length; i++) c = (TABLE[(c ^ (bytes[i] ?? 0)) & 0xff] ?? 0) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
