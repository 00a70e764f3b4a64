/**
 * The bnxt firmware image format accelctl flashes and the simulator builds.
 *
 * Modelled on the single-item firmware file bnxt_en's `ethtool -f` path takes
 * (bnxt_ethtool.c bnxt_flash_firmware(): a `struct bnxt_fw_header` with
 * signature 0x1a4d4342, code type, device family and version string, then the
 * payload, then a little-endian CRC-32 of everything before it). accelctl adds
 * a small extension after the 28-byte bnxt header so the file names its target
 * chip and NVM directory type; the real header has only a device-family byte.
 *
 *   0  u32le signature      0x1a4d4342
 *   4  u8    flags          0
 *   5  u8    code_type      3 (NVM dir type CHIMP_PATCH: the NIC firmware item)
 *   6  u8    device         0 (family; unchecked)
 *   7  u8    media          0
 *   8  char  version[16]    "230.0.170.0", NUL padded
 *  24  u8    build, revision, minor_ver, major_ver
 *  28  u16le chip_num       target ASIC (0x1750 = BCM57508)       ┐ accelctl
 *  30  u16le dir_type       NVM directory type to write           │ extension
 *  32  u32le payload_len                                          │
 *  36  u32le reserved (0)                                         ┘
 *  40  payload[payload_len]
 *  40+payload_len  u32le crc32 of bytes [0, size-4)
 */
import { AccelError, type FirmwareImageInfo, crc32 } from 'accelctl/sdk';
import { chipName } from './decode';
import { BNX_DIR_TYPE } from './layouts-nvm';

export const IMAGE_SIGNATURE = 0x1a4d4342;
export const IMAGE_HEADER_SIZE = 40;
export const IMAGE_TRAILER_SIZE = 4;
/** Largest image accepted: the simulated NVM firmware item is 4 MiB. */
export const IMAGE_MAX_SIZE = 4 * 1024 * 1024;
export const IMAGE_FORMAT = 'bnxt-fw (bnxt_fw_header + accelctl target extension + CRC-32)';
/** The only component the image carries: the NIC firmware directory item. */
export const FW_COMPONENT = 'fw';

export interface ParsedImage extends FirmwareImageInfo {
  chipNum: number;
  dirType: number;
  payloadLength: number;
}

const bad = (message: string, hint?: string): AccelError => new AccelError('ACCELCTL_E_BAD_IMAGE', message, hint === undefined ? {} : { hint });

/** What an image's version string must look like: four dotted numbers, as 230.0.170.0. */
const DOTTED_VERSION = /^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;

function readVersion(image: Uint8Array): string {
  const raw = image.subarray(8, 24);
  const end = raw.indexOf(0);
  const text = Buffer.from(raw.subarray(0, end === -1 ? raw.length : end)).toString('latin1');
  if (!DOTTED_VERSION.test(text)) throw bad(`image version "${text.replace(/[^\x20-\x7e]/g, '?')}" is not a dotted firmware version`);
  return text;
}

/** Parse and check an image (format, size, checksum). Throws only ACCELCTL_E_BAD_IMAGE. */
export function parseImage(image: Uint8Array): ParsedImage {
  if (image.length < IMAGE_HEADER_SIZE + IMAGE_TRAILER_SIZE) {
    throw bad(`image is ${image.length} bytes, shorter than the ${IMAGE_HEADER_SIZE}-byte header and 4-byte CRC`, 'is this a truncated download?');
  }
  if (image.length > IMAGE_MAX_SIZE) throw bad(`image is ${image.length} bytes; the firmware NVM item holds at most ${IMAGE_MAX_SIZE}`);
  const dv = new DataView(image.buffer, image.byteOffset, image.byteLength);
  const signature = dv.getUint32(0, true);
  if (signature !== IMAGE_SIGNATURE) {
    throw bad(`not a bnxt firmware file (signature 0x${signature.toString(16).padStart(8, '0')}, expected 0x1a4d4342)`);
  }
  const payloadLength = dv.getUint32(32, true);
  const expected = IMAGE_HEADER_SIZE + payloadLength + IMAGE_TRAILER_SIZE;
  if (image.length !== expected) {
    throw bad(`image is ${image.length} bytes but its header describes ${expected}`, image.length < expected ? 'the file is truncated' : 'the file has trailing bytes');
  }
  const stored = dv.getUint32(image.length - 4, true);
  const computed = crc32(image.subarray(0, image.length - 4));
  if (stored !== computed) {
    throw bad(`image CRC-32 mismatch (file says 0x${stored.toString(16).padStart(8, '0')}, contents give 0x${computed.toString(16).padStart(8, '0')})`, 'the file is corrupt');
  }
  const dirType = dv.getUint16(30, true);
  if (dirType !== BNX_DIR_TYPE.CHIMP_PATCH || image[5] !== BNX_DIR_TYPE.CHIMP_PATCH) {
    throw bad(`image carries NVM item type ${dirType} (code type ${image[5]}); accelctl flashes only the NIC firmware item (type ${BNX_DIR_TYPE.CHIMP_PATCH})`);
  }
  const chipNum = dv.getUint16(28, true);
  return {
    format: IMAGE_FORMAT,
    version: readVersion(image),
    target: chipName(chipNum),
    components: [FW_COMPONENT],
    size: image.length,
    chipNum,
    dirType,
    payloadLength,
  };
}

/** Chip number for a target given as "BCM57508" or "0x1750". */
export function chipNumFromTarget(target: string, names: Readonly<Record<number, string>>): number | undefined {
  if (/^0x[0-9a-f]{1,4}$/i.test(target)) return Number.parseInt(target, 16);
  const found = Object.entries(names).find(([, name]) => name.toLowerCase() === target.toLowerCase());
  return found === undefined ? undefined : Number(found[0]);
}

/** Build an image (the simulator's buildImage and tests). `corrupt` breaks the CRC. */
export function buildImageBytes(options: { version: string; chipNum: number; payloadSize: number; corrupt?: boolean; seed?: number }): Uint8Array {
  const { version, chipNum, payloadSize } = options;
  // Nothing parseImage would refuse: the version string is the image's, and its four
  // parts are also packed into one byte each.
  if (!DOTTED_VERSION.test(version) || version.split('.').some((part) => Number(part) > 255)) {
    throw new AccelError('ACCELCTL_E_BAD_INPUT', `version "${version}" is not four dotted numbers of 0..255, e.g. 230.0.170.0`);
  }
  const image = new Uint8Array(IMAGE_HEADER_SIZE + payloadSize + IMAGE_TRAILER_SIZE);
  const dv = new DataView(image.buffer);
  dv.setUint32(0, IMAGE_SIGNATURE, true);
  image[5] = BNX_DIR_TYPE.CHIMP_PATCH;
  image.set(Buffer.from(version, 'latin1'), 8);
  const parts = version.split('.').map(Number);
  image[24] = parts[2]!;
  image[25] = parts[3]!;
  image[26] = parts[1]!;
  image[27] = parts[0]!;
  dv.setUint16(28, chipNum, true);
  dv.setUint16(30, BNX_DIR_TYPE.CHIMP_PATCH, true);
  dv.setUint32(32, payloadSize, true);
  let x = (options.seed ?? 0x9e3779b9) >>> 0;
  for (let i = 0; i < payloadSize; i++) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    image[IMAGE_HEADER_SIZE + i] = x >>> 24;
  }
  const crc = crc32(image.subarray(0, image.length - 4));
  dv.setUint32(image.length - 4, options.corrupt ? (crc ^ 0xdeadbeef) >>> 0 : crc, true);
  return image;
}
