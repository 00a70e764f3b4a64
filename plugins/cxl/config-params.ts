/**
 * The configuration parameters accelctl offers on a CXL memory device: named
 * pieces of Features the device supports, with a type and a codec into the
 * feature's data. Apply mode is not listed here: it follows the feature's
 * effects as the device reports them (config.ts applyMode).
 *
 * Patrol scrub is a spec feature the kernel owns (EDAC): its parameters are
 * shown read-only. The others live in the simulated expander's vendor features
 * (invented UUIDs, see features.ts); on a device without them they do not appear.
 */
import { AccelError, type ParamType, type ParamValue } from 'accelctl/sdk';
import { knownFeatureByName } from './features';

/** Where a parameter lives inside its feature's data. */
export type ParamCodec =
  | { kind: 'bit'; at: number; bit: number }
  | { kind: 'uint'; at: number; width: 1 | 2 }
  | { kind: 'index'; at: number }
  | { kind: 'ascii'; at: number; length: number };

export interface ParamSpec {
  name: string;
  /** Known feature name (features.ts). */
  feature: string;
  type: ParamType;
  codec: ParamCodec;
  description: string;
  /** Read-only whatever the effects say (kernel-owned feature). */
  readOnly?: boolean;
}

const REFRESH = ['1x', '2x'] as const;
const BOOT_TEST = ['off', 'quick', 'full'] as const;

export const PARAM_SPECS: readonly ParamSpec[] = [
  { name: 'patrol_scrub_en', feature: 'patrol-scrub', type: { kind: 'bool' }, codec: { kind: 'bit', at: 3, bit: 0 }, readOnly: true, description: 'Background patrol scrub of the media (kernel-owned: change it through the EDAC sysfs scrub controls)' },
  { name: 'patrol_scrub_cycle_hours', feature: 'patrol-scrub', type: { kind: 'int', min: 1, max: 255, unit: 'hours' }, codec: { kind: 'uint', at: 1, width: 1 }, readOnly: true, description: 'Hours per full patrol scrub pass (kernel-owned, read-only here)' },
  { name: 'thermal_throttle_en', feature: 'thermal-throttle', type: { kind: 'bool' }, codec: { kind: 'uint', at: 0, width: 1 }, description: 'Throttle memory bandwidth when the device runs hot' },
  { name: 'thermal_throttle_temp_c', feature: 'thermal-throttle', type: { kind: 'int', min: 70, max: 110, unit: '°C' }, codec: { kind: 'uint', at: 1, width: 1 }, description: 'Temperature at which throttling starts' },
  { name: 'thermal_hysteresis_c', feature: 'thermal-throttle', type: { kind: 'int', min: 1, max: 20, unit: '°C' }, codec: { kind: 'uint', at: 2, width: 1 }, description: 'Throttling ends this far below the threshold' },
  { name: 'media_refresh_rate', feature: 'media-policy', type: { kind: 'enum', values: REFRESH }, codec: { kind: 'index', at: 0 }, description: 'DDR5 refresh rate (2x for hot environments, costs bandwidth)' },
  { name: 'boot_memory_test', feature: 'media-policy', type: { kind: 'enum', values: BOOT_TEST }, codec: { kind: 'index', at: 1 }, description: 'Memory test the device runs at power-on' },
  { name: 'cor_err_event_threshold', feature: 'media-policy', type: { kind: 'int', min: 1, max: 1000, unit: 'errors/hour' }, codec: { kind: 'uint', at: 2, width: 2 }, description: 'Corrected errors per hour before the device logs an event' },
  { name: 'asset_tag', feature: 'asset-tag', type: { kind: 'string', maxLength: 32 }, codec: { kind: 'ascii', at: 0, length: 32 }, description: 'Operator asset tag kept in the device (printable ASCII)' },
];

export function featureUuid(spec: ParamSpec): string {
  const known = knownFeatureByName(spec.feature);
  if (!known) throw new AccelError('ACCELCTL_E_INTERNAL', `parameter ${spec.name} names unknown feature ${spec.feature}`);
  return known.uuid;
}

/** Bytes of feature data a codec needs. */
export function codecEnd(codec: ParamCodec): number {
  switch (codec.kind) {
    case 'bit':
    case 'index':
      return codec.at + 1;
    case 'uint':
      return codec.at + codec.width;
    case 'ascii':
      return codec.at + codec.length;
  }
}

function badValue(spec: ParamSpec, why: string): AccelError {
  return new AccelError('ACCELCTL_E_USAGE', `${spec.name}: ${why}`);
}

/** The parameter's value in `data`; a raw value outside the type is shown as the device reports it. */
export function decodeParam(spec: ParamSpec, data: Uint8Array): ParamValue {
  const c = spec.codec;
  if (codecEnd(c) > data.length) throw new AccelError('ACCELCTL_E_MALFORMED_REPLY', `${spec.name}: feature data has ${data.length} bytes, need ${codecEnd(c)}`);
  switch (c.kind) {
    case 'bit':
      return ((data[c.at]! >> c.bit) & 1) === 1;
    case 'uint': {
      const v = c.width === 1 ? data[c.at]! : data[c.at]! | (data[c.at + 1]! << 8);
      return spec.type.kind === 'bool' ? v !== 0 : v;
    }
    case 'index': {
      const values = spec.type.kind === 'enum' ? spec.type.values : [];
      return values[data[c.at]!] ?? `unknown(${data[c.at]})`;
    }
    case 'ascii': {
      const bytes = data.subarray(c.at, c.at + c.length);
      const end = bytes.indexOf(0);
      return Buffer.from(end < 0 ? bytes : bytes.subarray(0, end)).toString('latin1');
    }
  }
}

/** Write `value` into `data` (validated against the type: the umbrella does too, a plugin must not trust it). */
export function encodeParam(spec: ParamSpec, data: Uint8Array, value: ParamValue): void {
  const c = spec.codec;
  const t = spec.type;
  if (codecEnd(c) > data.length) throw new AccelError('ACCELCTL_E_INTERNAL', `${spec.name} lies outside the feature data`);
  if (t.kind === 'bool') {
    if (typeof value !== 'boolean') throw badValue(spec, 'expected true or false');
    if (c.kind === 'bit') data[c.at] = value ? data[c.at]! | (1 << c.bit) : data[c.at]! & ~(1 << c.bit);
    else data[c.at] = value ? 1 : 0;
    return;
  }
  if (t.kind === 'int') {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < t.min || value > t.max) throw badValue(spec, `expected an integer ${t.min}..${t.max}`);
    if (c.kind !== 'uint') throw new AccelError('ACCELCTL_E_INTERNAL', `${spec.name}: int needs a uint codec`);
    data[c.at] = value & 0xff;
    if (c.width === 2) data[c.at + 1] = (value >> 8) & 0xff;
    return;
  }
  if (t.kind === 'enum') {
    const index = typeof value === 'string' ? t.values.indexOf(value) : -1;
    if (index < 0) throw badValue(spec, `expected one of ${t.values.join(', ')}`);
    data[c.at] = index;
    return;
  }
  if (typeof value !== 'string' || value.length > t.maxLength || !/^[\x20-\x7e]*$/.test(value)) {
    throw badValue(spec, `expected printable ASCII, at most ${t.maxLength} characters`);
  }
  if (c.kind !== 'ascii') throw new AccelError('ACCELCTL_E_INTERNAL', `${spec.name}: string needs an ascii codec`);
  data.fill(0, c.at, c.at + c.length);
  data.set(Buffer.from(value, 'latin1'), c.at);
}
