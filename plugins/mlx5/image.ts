/**
 * The firmware image format accelctl's mlx5 plugin flashes ("accelctl-mlx5-fw").
 *
 * Modelled on what `devlink dev flash` takes for mlx5 (an MFA2 archive: a
 * PSID-keyed set of components, each identified by its MCQS identifier, each
 * sent whole through MCC/MCDA), without MFA2's XZ compression and signatures:
 *
 *   container header (64 bytes, big-endian)
 *     0  magic "ACCELCTL-MLX5-FW" (16)     16 u16 format version (1)
 *     18 u16 number of components          20 u32 total image size
 *     24 psid[16] (target, NUL padded)     40 u32 fw version (major<<24 | minor<<16 | sub_minor,
 *                                             the MCQI version encoding)
 *     44 u32 build time (unix seconds)     48..59 reserved (0)
 *     60 u32 CRC-32 of bytes 0..59 and the component table
 *   component table: 16 bytes per component
 *     u16 identifier (MCQS: 1 boot_img ...), u16 reserved, u32 offset, u32 size, u32 CRC-32 of the data
 *   component data (each size a multiple of 4: MCDA moves dwords)
 *
 * The boot_img component starts with the 32-byte image info the firmware itself
 * checks on VERIFY_COMPONENT (magic "MTFW", version, psid, length, CRC-32 of the
 * rest), as a real image carries its own IMAGE_INFO and CRCs.
 */
import { AccelError, crc32 } from 'accelctl/sdk';
import { COMPONENT_BOOT_IMG, COMPONENT_IDS } from './prm-mgmt';

export const IMAGE_FORMAT = 'accelctl-mlx5-fw';
export const IMAGE_MAGIC = 'ACCELCTL-MLX5-FW';
export const HEADER_SIZE = 64;
export const ENTRY_SIZE = 16;
export const MAX_COMPONENTS = 8;
export const INFO_SIZE = 32;
export const INFO_MAGIC = 'MTFW';

export interface ImageComponent {
  identifier: number;
  name: string;
  offset: number;
  size: number;
  crc: number;
}

export interface ParsedImage {
  version: number;
  versionString: string;
  psid: string;
  buildTime: number;
  components: ImageComponent[];
  size: number;
}

export interface ImageInfoBlock {
  version: number;
  psid: string;
  length: number;
  crc: number;
}

const bad = (message: string, hint?: string): AccelError => new AccelError('ACCELCTL_E_BAD_IMAGE', message, hint ? { hint } : undefined);

const view = (bytes: Uint8Array): DataView => new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);

const ascii = (bytes: Uint8Array): string => {
  const end = bytes.indexOf(0);
  return String.fromCharCode(...(end < 0 ? bytes : bytes.subarray(0, end)));
};

function putAscii(target: Uint8Array, at: number, text: string, length: number): void {
  for (let i = 0; i < Math.min(text.length, length); i++) target[at + i] = text.charCodeAt(i) & 0x7f;
}

/** "28.39.1002" ↔ 0x1c2703ea: the mlx5 devlink/MCQI split (8.8.16 bits). */
export function formatFwVersion(version: number): string {
  return `${(version >>> 24) & 0xff}.${(version >>> 16) & 0xff}.${(version & 0xffff).toString().padStart(4, '0')}`;
}

export function parseFwVersion(text: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,5})$/.exec(text.trim());
  if (!m) return undefined;
  const [major, minor, sub] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (major > 0xff || minor > 0xff || sub > 0xffff) return undefined;
  return ((major << 24) | (minor << 16) | sub) >>> 0;
}

/** Parse the 32-byte image info at the start of a boot_img component (firmware side too). */
export function parseInfoBlock(bytes: Uint8Array): ImageInfoBlock | undefined {
  if (bytes.length < INFO_SIZE || ascii(bytes.subarray(0, 4)) !== INFO_MAGIC) return undefined;
  const dv = view(bytes);
  return { version: dv.getUint32(4), psid: ascii(bytes.subarray(8, 24)), length: dv.getUint32(24), crc: dv.getUint32(28) };
}

/** Check everything that can be checked without the device; throws ACCELCTL_E_BAD_IMAGE. */
export function parseImage(image: Uint8Array): ParsedImage {
  if (image.length < HEADER_SIZE) {
    throw bad(`image is truncated: ${image.length} bytes, the ${IMAGE_FORMAT} header alone is ${HEADER_SIZE}`);
  }
  const magic = ascii(image.subarray(0, 16));
  if (magic !== IMAGE_MAGIC) {
    throw bad(`not an ${IMAGE_FORMAT} image (magic '${magic.replace(/[^\x20-\x7e]/g, '?')}', expected '${IMAGE_MAGIC}')`, "build one with 'accelctl sim fw-image --plugin mlx5'");
  }
  const dv = view(image);
  const formatVersion = dv.getUint16(16);
  if (formatVersion !== 1) throw bad(`unsupported ${IMAGE_FORMAT} format version ${formatVersion} (this accelctl reads version 1)`);
  const count = dv.getUint16(18);
  const total = dv.getUint32(20);
  if (total !== image.length) {
    throw bad(total > image.length ? `image is truncated: the header says ${total} bytes, the file has ${image.length}` : `image has ${image.length - total} bytes after its declared end (${total} bytes)`);
  }
  if (count === 0 || count > MAX_COMPONENTS) throw bad(`image declares ${count} components (1..${MAX_COMPONENTS} allowed)`);
  const tableEnd = HEADER_SIZE + count * ENTRY_SIZE;
  if (tableEnd > image.length) throw bad(`image is truncated: its component table needs ${tableEnd} bytes`);
  const headerCrc = crc32(image.subarray(HEADER_SIZE, tableEnd), crc32(image.subarray(0, 60)));
  if (headerCrc !== dv.getUint32(60)) throw bad('image header checksum mismatch: the file is corrupt');

  const components: ImageComponent[] = [];
  for (let i = 0; i < count; i++) {
    const at = HEADER_SIZE + i * ENTRY_SIZE;
    const identifier = dv.getUint16(at);
    const offset = dv.getUint32(at + 4);
    const size = dv.getUint32(at + 8);
    const name = COMPONENT_IDS[identifier] ?? `component_0x${identifier.toString(16)}`;
    if (offset < tableEnd || size === 0 || offset + size > image.length) throw bad(`component ${name}: data at ${offset}+${size} lies outside the image`);
    if (size % 4 !== 0) throw bad(`component ${name}: size ${size} is not a multiple of 4 (MCDA moves dwords)`);
    if (components.some((c) => c.identifier === identifier)) throw bad(`component ${name} appears twice`);
    const crc = dv.getUint32(at + 12);
    if (crc32(image.subarray(offset, offset + size)) !== crc) throw bad(`component ${name}: checksum mismatch, the image is corrupt`);
    components.push({ identifier, name, offset, size, crc });
  }
  const version = dv.getUint32(40);
  const psid = ascii(image.subarray(24, 40));
  if (psid.length === 0) throw bad('image names no target PSID');
  const boot = components.find((c) => c.identifier === COMPONENT_BOOT_IMG);
  if (!boot) throw bad('image has no boot_img (firmware) component');
  const info = parseInfoBlock(image.subarray(boot.offset, boot.offset + boot.size));
  if (!info) throw bad('boot_img component does not start with a firmware image info block');
  if (info.version !== version || info.psid !== psid || info.length !== boot.size) {
    throw bad('boot_img image info disagrees with the image header (version, PSID or length)');
  }
  return { version, versionString: formatFwVersion(version), psid, buildTime: dv.getUint32(44), components, size: image.length };
}

/** Deterministic filler so that two builds of one version are byte-identical. */
function fill(bytes: Uint8Array, seed: number): void {
  let x = seed >>> 0 || 0x9e3779b9;
  for (let i = 0; i < bytes.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    bytes[i] = x & 0xff;
  }
}

export const DEFAULT_IMAGE_SIZE = 128 * 1024;
export const MIN_IMAGE_SIZE = HEADER_SIZE + ENTRY_SIZE + INFO_SIZE + 4;

export interface BuildOptions {
  version: string;
  size?: number;
  corrupt?: boolean;
  target: string;
  buildTime?: number;
}

/** A valid one-component (boot_img) image, or with `corrupt` one whose data fails its checksum. */
export function buildImage(options: BuildOptions): Uint8Array {
  const version = parseFwVersion(options.version);
  if (version === undefined) throw new AccelError('ACCELCTL_E_USAGE', `firmware version '${options.version}' is not MAJOR.MINOR.SUBMINOR (e.g. 28.40.1000)`);
  const size = options.size ?? DEFAULT_IMAGE_SIZE;
  if (!Number.isSafeInteger(size) || size < MIN_IMAGE_SIZE || size > 64 * 1024 * 1024) {
    throw new AccelError('ACCELCTL_E_USAGE', `image size ${size}: must be ${MIN_IMAGE_SIZE} bytes to 64 MiB`);
  }
  if (options.target.length === 0 || options.target.length > 16) throw new AccelError('ACCELCTL_E_USAGE', `target PSID '${options.target}' must be 1..16 characters`);
  const tableEnd = HEADER_SIZE + ENTRY_SIZE;
  const componentSize = (size - tableEnd) & ~3;
  const image = new Uint8Array(tableEnd + componentSize);
  const dv = view(image);
  const component = image.subarray(tableEnd);
  fill(component, version);
  // Image info: what the firmware checks on VERIFY_COMPONENT.
  const info = view(component);
  putAscii(component, 0, INFO_MAGIC, 4);
  info.setUint32(4, version);
  component.fill(0, 8, 24);
  putAscii(component, 8, options.target, 16);
  info.setUint32(24, componentSize);
  info.setUint32(28, crc32(component.subarray(INFO_SIZE)));

  putAscii(image, 0, IMAGE_MAGIC, 16);
  dv.setUint16(16, 1);
  dv.setUint16(18, 1);
  dv.setUint32(20, image.length);
  putAscii(image, 24, options.target, 16);
  dv.setUint32(40, version);
  dv.setUint32(44, options.buildTime ?? 1_735_689_600);
  dv.setUint16(HEADER_SIZE, COMPONENT_BOOT_IMG);
  dv.setUint32(HEADER_SIZE + 4, tableEnd);
  dv.setUint32(HEADER_SIZE + 8, componentSize);
  dv.setUint32(HEADER_SIZE + 12, crc32(component));
  dv.setUint32(60, crc32(image.subarray(HEADER_SIZE, tableEnd), crc32(image.subarray(0, 60))));
  if (options.corrupt) {
    // Flip one data byte after the checksums were computed: a bit rot / bad download.
    const at = tableEnd + INFO_SIZE + Math.floor((componentSize - INFO_SIZE) / 2);
    image[at] = (image[at] ?? 0) ^ 0x5a;
  }
  return image;
}
