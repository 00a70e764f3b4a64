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
}

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
