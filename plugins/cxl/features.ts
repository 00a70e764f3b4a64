/**
 * Features accelctl knows by UUID: the spec-defined ones the kernel names in
 * include/cxl/features.h (all of them claimed by the kernel: drivers/cxl/core/
 * features.c cxl_exclusive_feats[], used by drivers/cxl/core/edac.c), and the
 * vendor features of the simulated device. A feature not listed here is shown
 * by UUID only; its data is raw bytes.
 */
import { AccelError } from 'accelctl/sdk';

/** A little field inside a feature's data, for display and `--fields`. */
export interface FeatureField {
  name: string;
  at: number;
  type: 'u8' | 'u16le' | 'u32le' | 'u64le';
  description: string;
}

export interface KnownFeature {
  uuid: string;
  name: string;
  title: string;
  /** 'spec': UUID defined by the CXL specification; 'vendor': a vendor's own. */
  origin: 'spec' | 'vendor';
  /** In the kernel's cxl_exclusive_feats[]: Set Feature through fwctl is refused (EPERM). */
  kernelOwned: boolean;
  /** Layout of the Get Feature data. */
  read?: readonly FeatureField[];
  /** Layout of the Set Feature data when it differs from `read`. */
  write?: readonly FeatureField[];
}

const u8 = (name: string, at: number, description: string): FeatureField => ({ name, at, type: 'u8', description });
const u16 = (name: string, at: number, description: string): FeatureField => ({ name, at, type: 'u16le', description });
const u32 = (name: string, at: number, description: string): FeatureField => ({ name, at, type: 'u32le', description });
const u64 = (name: string, at: number, description: string): FeatureField => ({ name, at, type: 'u64le', description });

/** Widths of the field types, in bytes. */
export const FIELD_WIDTH: Record<FeatureField['type'], number> = { u8: 1, u16le: 2, u32le: 4, u64le: 8 };

/** Vendor telemetry layout (invented for the simulator, 48 bytes; see README). */
export const TELEMETRY_FIELDS: readonly FeatureField[] = [
  u16('temperature_c', 0, 'device (controller) temperature, °C'),
  u8('throttle_active', 2, '1: thermal throttling in effect now'),
  u8('media_status', 3, '0 normal, 1 degraded, 2 failed'),
  u16('power_mw', 4, 'device power, mW'),
  u16('reserved', 6, 'reserved'),
  u32('corrected_errors', 8, 'corrected media errors since power-on'),
  u32('uncorrected_errors', 12, 'uncorrected media errors (persistent count)'),
  u32('last_error_time_s', 16, 'time of the last uncorrected error, seconds since the epoch (0: none)'),
  u32('uptime_s', 20, 'seconds since power-on'),
  u64('media_read_bytes', 24, 'bytes read from media since power-on'),
  u64('media_write_bytes', 32, 'bytes written to media since power-on'),
  u32('link_retrains', 40, 'CXL link retrains since power-on'),
  u32('throttle_events', 44, 'thermal throttle episodes (persistent count)'),
];

/** CXL r3.2 §8.2.10.9.11.1 (kernel edac.c struct cxl_memdev_ps_rd_attrs / _wr_attrs). */
const PATROL_SCRUB_READ = [
  u8('scrub_cycle_cap', 0, 'bit 0: cycle changeable, bit 1: realtime report'),
  u8('scrub_cycle_hrs', 1, 'current scrub cycle, hours'),
  u8('min_scrub_cycle_hrs', 2, 'minimum scrub cycle, hours'),
  u8('scrub_flags', 3, 'bit 0: patrol scrub enabled'),
];
const PATROL_SCRUB_WRITE = [u8('scrub_cycle_hrs', 0, 'requested scrub cycle, hours'), u8('scrub_flags', 1, 'bit 0: enable')];

export const KNOWN_FEATURES: readonly KnownFeature[] = [
  { uuid: '96dad7d6-fde8-482b-a733-75774e06db8a', name: 'patrol-scrub', title: 'Device Patrol Scrub Control', origin: 'spec', kernelOwned: true, read: PATROL_SCRUB_READ, write: PATROL_SCRUB_WRITE },
  { uuid: 'e5b13f22-2328-4a14-b8ba-b9691e893386', name: 'ecs', title: 'DDR5 Error Check Scrub (ECS) Control', origin: 'spec', kernelOwned: true },
  { uuid: '892ba475-fad8-474e-9d3e-692c917568bb', name: 'sppr', title: 'Soft Post Package Repair (sPPR)', origin: 'spec', kernelOwned: true },
  { uuid: '80ea4521-786f-4127-afb1-ec7459fb0e24', name: 'hppr', title: 'Hard Post Package Repair (hPPR)', origin: 'spec', kernelOwned: true },
  { uuid: '96c33386-91dd-44c7-9ecb-fdaf6503bac4', name: 'cacheline-sparing', title: 'Cacheline Memory Sparing', origin: 'spec', kernelOwned: true },
  { uuid: '450ebf67-b135-4f97-a498-c2d57f279bed', name: 'row-sparing', title: 'Row Memory Sparing', origin: 'spec', kernelOwned: true },
  { uuid: '78b79636-90ac-4b64-a4ef-faac5d18a863', name: 'bank-sparing', title: 'Bank Memory Sparing', origin: 'spec', kernelOwned: true },
  { uuid: '34dbaff5-0552-4281-8f76-da0b5e7a76a7', name: 'rank-sparing', title: 'Rank Memory Sparing', origin: 'spec', kernelOwned: true },
  // Vendor features of the simulated expander. The UUIDs are invented for the
  // simulator (no vendor publishes these); they are labelled vendor everywhere.
  {
    uuid: '5f3c9a10-6b2e-4d8a-9c41-2e7b0d5a8f01', name: 'thermal-throttle', title: 'Thermal Throttle Policy', origin: 'vendor', kernelOwned: false,
    read: [u8('enable', 0, '1: throttle when hot'), u8('throttle_temp_c', 1, 'throttle threshold, °C'), u8('hysteresis_c', 2, 'release below threshold minus this, °C')],
  },
  {
    uuid: '5f3c9a10-6b2e-4d8a-9c41-2e7b0d5a8f02', name: 'link-power', title: 'Link Power Management', origin: 'vendor', kernelOwned: false,
    read: [u8('l1_substates', 0, 'bit 0: L1.1, bit 1: L1.2'), u8('aspm_policy', 1, '0 off, 1 L0s, 2 L1, 3 L0s+L1'), u16('l1_exit_latency_us', 2, 'advertised L1 exit latency')],
  },
  {
    uuid: '5f3c9a10-6b2e-4d8a-9c41-2e7b0d5a8f03', name: 'media-refresh', title: 'Background Media Refresh', origin: 'vendor', kernelOwned: false,
    read: [u8('enable', 0, '1: refresh idle media in the background'), u8('interval_days', 1, 'days between full passes')],
  },
  {
    uuid: '5f3c9a10-6b2e-4d8a-9c41-2e7b0d5a8f04', name: 'debug-trace', title: 'Firmware Debug Trace Level', origin: 'vendor', kernelOwned: false,
    read: [u8('level', 0, '0 off .. 5 verbose'), u8('sink', 1, '0 ring buffer, 1 UART')],
  },
  {
    uuid: '5f3c9a10-6b2e-4d8a-9c41-2e7b0d5a8f05', name: 'legacy-knob', title: 'Legacy Tuning Knob', origin: 'vendor', kernelOwned: false,
    read: [u16('value', 0, 'opaque tuning value')],
  },
  { uuid: '5f3c9a10-6b2e-4d8a-9c41-2e7b0d5a8f06', name: 'event-filter', title: 'Event Log Filter Table', origin: 'vendor', kernelOwned: false },
  {
    uuid: '5f3c9a10-6b2e-4d8a-9c41-2e7b0d5a8f07', name: 'fuse-info', title: 'Manufacturing Fuse Information', origin: 'vendor', kernelOwned: false,
    read: [u16('sku', 0, 'SKU code'), u8('dram_vendor', 2, 'JEDEC DRAM vendor bank'), u8('speed_grade', 3, 'DDR5 speed grade')],
  },
  {
    uuid: '5f3c9a10-6b2e-4d8a-9c41-2e7b0d5a8f08', name: 'media-policy', title: 'Media Policy (applied at reset)', origin: 'vendor', kernelOwned: false,
    read: [u8('refresh_rate', 0, '0: 1x, 1: 2x DDR5 refresh'), u8('boot_memory_test', 1, '0 off, 1 quick, 2 full'), u16('cor_err_threshold', 2, 'corrected errors per hour before an event is logged')],
  },
  { uuid: '5f3c9a10-6b2e-4d8a-9c41-2e7b0d5a8f09', name: 'asset-tag', title: 'Asset Tag (32 ASCII bytes, NUL padded)', origin: 'vendor', kernelOwned: false },
  { uuid: '5f3c9a10-6b2e-4d8a-9c41-2e7b0d5a8f0a', name: 'telemetry', title: 'Device Telemetry (read-only)', origin: 'vendor', kernelOwned: false, read: TELEMETRY_FIELDS },
];

const BY_UUID = new Map(KNOWN_FEATURES.map((f) => [f.uuid, f]));
const BY_NAME = new Map(KNOWN_FEATURES.map((f) => [f.name, f]));

export function knownFeature(uuid: string): KnownFeature | undefined {
  return BY_UUID.get(uuid);
}

export function knownFeatureByName(name: string): KnownFeature | undefined {
  return BY_NAME.get(name.toLowerCase());
}

/** The kernel's cxl_exclusive_feats[] (drivers/cxl/core/features.c). */
export const KERNEL_EXCLUSIVE_UUIDS: readonly string[] = KNOWN_FEATURES.filter((f) => f.kernelOwned).map((f) => f.uuid);

export function isKernelOwned(uuid: string): boolean {
  return BY_UUID.get(uuid)?.kernelOwned === true;
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function isUuidText(text: string): boolean {
  return UUID_RE.test(text.toLowerCase());
}

/** uuid_t bytes → canonical text (the kernel's UUID_INIT stores the text order). */
export function uuidToText(bytes: Uint8Array): string {
  const hex = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex').padEnd(32, '0').slice(0, 32);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function uuidToBytes(text: string): Uint8Array {
  if (!isUuidText(text)) throw new AccelError('ACCELCTL_E_BAD_INPUT', `'${text}' is not a UUID`, { hint: 'write it as 8-4-4-4-12 hex digits' });
  return new Uint8Array(Buffer.from(text.toLowerCase().replace(/-/g, ''), 'hex'));
}
