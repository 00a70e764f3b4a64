/**
 * The simulated expander's features: what its firmware reports in Get Supported
 * Features and the data behind each one. One feature per case the kernel's
 * Set Feature rule distinguishes (immediate, reset-only, background, reserved
 * bits, no effects), a kernel-owned one (patrol scrub) and a read-only one.
 * Spec features carry their spec UUIDs; vendor ones carry invented UUIDs.
 */
import { Effect } from './effects';
import { FeatFlag } from './uapi';

export interface SimFeature {
  uuid: string;
  get_size: number;
  set_size: number;
  flags: number;
  get_ver: number;
  set_ver: number;
  effects: number;
  /** Readable data, hex: current, default and saved selections. */
  current: string;
  default: string;
  saved: string;
  /**
   * A reset-only change sent without saved-across-reset: applied at the next
   * reset, not kept after it. (The kernel always sets the saved bit, so only
   * direct mailbox tests reach this.)
   */
  pending?: string;
}

export const UUID = {
  PATROL_SCRUB: '96dad7d6-fde8-482b-a733-75774e06db8a',
  THERMAL_THROTTLE: '5f3c9a10-6b2e-4d8a-9c41-2e7b0d5a8f01',
  MEDIA_POLICY: '5f3c9a10-6b2e-4d8a-9c41-2e7b0d5a8f08',
  ASSET_TAG: '5f3c9a10-6b2e-4d8a-9c41-2e7b0d5a8f09',
  TELEMETRY: '5f3c9a10-6b2e-4d8a-9c41-2e7b0d5a8f0a',
} as const;

/** Size of the telemetry feature (its value is computed at read time, see sim-telemetry.ts). */
export const TELEMETRY_SIZE = 48;

const COLD_RESET_PERSISTENT = 4 << 1;
const hex = (bytes: readonly number[]): string => Buffer.from(bytes).toString('hex');

function feature(f: Omit<SimFeature, 'current' | 'default' | 'saved'>, data: readonly number[]): SimFeature {
  const h = hex(data);
  return { ...f, current: h, default: h, saved: h };
}

/** 384-byte vendor event filter table: 96 little-endian u32 event masks. */
function eventFilterTable(): number[] {
  const out = new Array<number>(384).fill(0);
  const masks = [0x0000_001f, 0x0000_0007, 0x0000_0003, 0x0000_0001];
  masks.forEach((m, i) => {
    out[i * 4] = m & 0xff;
  });
  return out;
}

export function createFeatures(index: number): SimFeature[] {
  const { CHANGEABLE, DEFAULT_SEL, SAVED_SEL, PERSIST_FW_UPDATE } = FeatFlag;
  return [
    // Patrol scrub (CXL r3.2 §8.2.10.9.11.1): read {cap, cycle u16 (cur | min<<8), flags}, write {cycle, flags}.
    feature(
      { uuid: '96dad7d6-fde8-482b-a733-75774e06db8a', get_size: 4, set_size: 2, flags: CHANGEABLE | COLD_RESET_PERSISTENT | PERSIST_FW_UPDATE | DEFAULT_SEL | SAVED_SEL, get_ver: 1, set_ver: 1, effects: Effect.CONFIG_CHANGE_IMMEDIATE | Effect.EFFECTS_VALID },
      [0x01, 12, 1, 0x01],
    ),
    feature(
      { uuid: '5f3c9a10-6b2e-4d8a-9c41-2e7b0d5a8f01', get_size: 4, set_size: 4, flags: CHANGEABLE | COLD_RESET_PERSISTENT | PERSIST_FW_UPDATE | DEFAULT_SEL | SAVED_SEL, get_ver: 1, set_ver: 1, effects: Effect.POLICY_CHANGE_IMMEDIATE | Effect.EFFECTS_VALID },
      [1, 95, 5, 0],
    ),
    feature(
      { uuid: '5f3c9a10-6b2e-4d8a-9c41-2e7b0d5a8f02', get_size: 4, set_size: 4, flags: CHANGEABLE | SAVED_SEL, get_ver: 1, set_ver: 1, effects: Effect.CONFIG_CHANGE_COLD_RESET | Effect.CONFIG_CHANGE_CONV_RESET | Effect.EFFECTS_VALID },
      [0x03, 2, 32, 0],
    ),
    feature(
      { uuid: '5f3c9a10-6b2e-4d8a-9c41-2e7b0d5a8f03', get_size: 2, set_size: 2, flags: CHANGEABLE | DEFAULT_SEL | SAVED_SEL, get_ver: 1, set_ver: 1, effects: Effect.DATA_CHANGE_IMMEDIATE | Effect.BACKGROUND | Effect.BGCMD_ABORT_SUPPORTED | Effect.EFFECTS_VALID },
      [1, 7],
    ),
    feature(
      // Bit 12 is reserved in r3.2: the driver does not know what this change does.
      { uuid: '5f3c9a10-6b2e-4d8a-9c41-2e7b0d5a8f04', get_size: 2, set_size: 2, flags: CHANGEABLE | DEFAULT_SEL, get_ver: 1, set_ver: 1, effects: Effect.CONFIG_CHANGE_IMMEDIATE | Effect.EFFECTS_VALID | (1 << 12) },
      [0, 0],
    ),
    feature({ uuid: '5f3c9a10-6b2e-4d8a-9c41-2e7b0d5a8f05', get_size: 2, set_size: 2, flags: CHANGEABLE, get_ver: 1, set_ver: 1, effects: 0 }, [0x34, 0x12]),
    feature(
      { uuid: '5f3c9a10-6b2e-4d8a-9c41-2e7b0d5a8f06', get_size: 384, set_size: 384, flags: CHANGEABLE | PERSIST_FW_UPDATE | DEFAULT_SEL | SAVED_SEL, get_ver: 2, set_ver: 2, effects: Effect.LOG_CHANGE_IMMEDIATE | Effect.EFFECTS_VALID },
      eventFilterTable(),
    ),
    feature(
      { uuid: '5f3c9a10-6b2e-4d8a-9c41-2e7b0d5a8f07', get_size: 16, set_size: 0, flags: 0, get_ver: 1, set_ver: 0, effects: 0 },
      [0x01, 0x2a, 0xce, 48, 0x00, 0x01, index & 0xff, 0x00, 0x5a, 0xa5, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00],
    ),
    // Added for the configuration model: a reset-only feature with default and saved
    // selections (→ debug_write), a string feature with an immediate effect
    // (→ debug_write_full) and read-only telemetry (health and metrics).
    feature(
      { uuid: UUID.MEDIA_POLICY, get_size: 4, set_size: 4, flags: CHANGEABLE | COLD_RESET_PERSISTENT | PERSIST_FW_UPDATE | DEFAULT_SEL | SAVED_SEL, get_ver: 1, set_ver: 1, effects: Effect.CONFIG_CHANGE_COLD_RESET | Effect.CONFIG_CHANGE_CXL_RESET | Effect.EFFECTS_VALID },
      [0, 1, 100, 0],
    ),
    feature(
      { uuid: UUID.ASSET_TAG, get_size: 32, set_size: 32, flags: CHANGEABLE | COLD_RESET_PERSISTENT | PERSIST_FW_UPDATE | DEFAULT_SEL | SAVED_SEL, get_ver: 1, set_ver: 1, effects: Effect.CONFIG_CHANGE_IMMEDIATE | Effect.EFFECTS_VALID },
      new Array<number>(32).fill(0),
    ),
    feature({ uuid: UUID.TELEMETRY, get_size: TELEMETRY_SIZE, set_size: 0, flags: 0, get_ver: 1, set_ver: 0, effects: 0 }, new Array<number>(TELEMETRY_SIZE).fill(0)),
  ];
}

/** Device-side value checks on the readable image after a Set Feature; a failure is Invalid Input. */
export function valuesValid(uuid: string, data: Uint8Array): boolean {
  switch (uuid) {
    case '96dad7d6-fde8-482b-a733-75774e06db8a':
      return data[1]! >= data[2]! && data[3]! <= 1;
    case '5f3c9a10-6b2e-4d8a-9c41-2e7b0d5a8f01':
      return data[0]! <= 1 && data[1]! >= 70 && data[1]! <= 110 && data[2]! >= 1 && data[2]! <= 20;
    case '5f3c9a10-6b2e-4d8a-9c41-2e7b0d5a8f02':
      return data[0]! <= 3 && data[1]! <= 3;
    case UUID.MEDIA_POLICY: {
      const threshold = data[2]! | (data[3]! << 8);
      return data[0]! <= 1 && data[1]! <= 2 && threshold >= 1 && threshold <= 1000;
    }
    case UUID.ASSET_TAG: {
      // Printable ASCII, then NUL padding only.
      const end = data.indexOf(0);
      const text = end < 0 ? data : data.subarray(0, end);
      const tail = end < 0 ? new Uint8Array(0) : data.subarray(end);
      return text.every((b) => b >= 0x20 && b < 0x7f) && tail.every((b) => b === 0);
    }
    default:
      return true;
  }
}

/**
 * Where Set Feature data lands in the readable image. Patrol scrub writes
 * {cycle, flags} into bytes 1 and 3 of its {cap, cycle, min, flags} image; the
 * vendor features write their readable layout directly.
 */
export function applyWrite(uuid: string, image: Uint8Array, offset: number, data: Uint8Array): void {
  if (uuid === '96dad7d6-fde8-482b-a733-75774e06db8a') {
    const write = new Uint8Array([image[1]!, image[3]!]);
    write.set(data, offset);
    image[1] = write[0]!;
    image[3] = write[1]!;
    return;
  }
  image.set(data, offset);
}
