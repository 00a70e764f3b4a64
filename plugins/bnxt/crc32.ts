/**
 * CRC-32 (IEEE 802.3, reflected 0xEDB88320), the checksum bnxt_en's
 * bnxt_flash_firmware() checks on a firmware file's trailer
 * (`~crc32(~0, data, size - 4)`). Small table-driven version; `crc32Update`
 * works on the raw register so the simulator can checksum an image chunk by chunk.
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

export const CRC32_INIT = 0xffffffff;

/** Feed bytes into a CRC register (start from CRC32_INIT; finish with crc32Final). */
export function crc32Update(register: number, bytes: Uint8Array): number {
  let c = register >>> 0;
  for (const b of bytes) c = (TABLE[(c ^ b) & 0xff] as number) ^ (c >>> 8);
  return c >>> 0;
}

export const crc32Final = (register: number): number => (register ^ 0xffffffff) >>> 0;

export const crc32 = (bytes: Uint8Array): number => crc32Final(crc32Update(CRC32_INIT, bytes));
