/**
 * PCI Vital Product Data (PCI Local Bus spec §6.4 / PCIe "VPD"): the identifier
 * string and the read-only keywords (PN, SN, EC, ...), as found in the sysfs
 * `vpd` file of a PCI function. Used for serial numbers and board names: every
 * NIC and DPU carries them, no firmware RPC needed.
 */

export interface Vpd {
  identifier?: string;
  keywords: Record<string, string>;
}

const TAG_ID_STRING = 0x82;
const TAG_VPD_R = 0x90;
const TAG_VPD_W = 0x91;
const TAG_END = 0x78;

/** Tolerant parser: stops at the first malformed resource and keeps what it read. */
export function parseVpd(bytes: Uint8Array): Vpd {
  const vpd: Vpd = { keywords: {} };
  let at = 0;
  while (at < bytes.length) {
    const tag = bytes[at]!;
    if (tag === TAG_END || (tag & 0x80) === 0) break;
    if (at + 3 > bytes.length) break;
    const length = bytes[at + 1]! | (bytes[at + 2]! << 8);
    const start = at + 3;
    const end = start + length;
    if (end > bytes.length) break;
    if (tag === TAG_ID_STRING) {
      vpd.identifier = Buffer.from(bytes.subarray(start, end)).toString('latin1').trim();
    } else if (tag === TAG_VPD_R || tag === TAG_VPD_W) {
      let k = start;
      while (k + 3 <= end) {
        const keyword = String.fromCharCode(bytes[k]!, bytes[k + 1]!);
        const size = bytes[k + 2]!;
        if (k + 3 + size > end) break;
        if (keyword !== 'RV' && keyword !== 'RW') {
          vpd.keywords[keyword] = Buffer.from(bytes.subarray(k + 3, k + 3 + size)).toString('latin1').replace(/\0+$/, '').trim();
        }
        k += 3 + size;
      }
    }
    at = end;
  }
  return vpd;
}

/** Build a VPD image (identifier + read-only keywords + checksum keyword + end tag). */
export function buildVpd(identifier: string, keywords: Record<string, string>): Uint8Array {
  const id = Buffer.from(identifier, 'latin1');
  const ro: number[] = [];
  for (const [key, value] of Object.entries(keywords)) {
    const data = Buffer.from(value, 'latin1').subarray(0, 255);
    ro.push(key.charCodeAt(0), key.charCodeAt(1), data.length, ...data);
  }
  // RV: checksum byte making the sum of all bytes up to and including it zero.
  const head = [TAG_ID_STRING, id.length & 0xff, id.length >> 8, ...id];
  const roLength = ro.length + 4;
  const body = [...head, TAG_VPD_R, roLength & 0xff, roLength >> 8, ...ro, 0x52, 0x56, 1];
  const sum = body.reduce((s, b) => (s + b) & 0xff, 0);
  return new Uint8Array([...body, (0x100 - sum) & 0xff, TAG_END]);
}
