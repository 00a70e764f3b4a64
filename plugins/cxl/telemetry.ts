/**
 * What health and metrics can honestly read on this interface. Get Health Info
 * (0x4200), the CXL source of device health, is outside the cxl fwctl
 * allow-list; only Features are readable. So both come from Get Feature:
 * the thermal-throttle policy and the read-only telemetry feature (vendor
 * features of the simulated expander, invented layouts — see README). A real
 * device without such features offers no health or metrics through fwctl.
 */
import type { CommandContext } from 'accelctl/sdk';
import { knownFeatureByName } from './features';
import { decodeFields, featureTable, readFeature } from './commands/shared';
import { Selection } from './uapi';

export interface Telemetry {
  temperature_c: number;
  throttle_active: number;
  media_status: number;
  power_mw: number;
  corrected_errors: number;
  uncorrected_errors: number;
  last_error_time_s: number;
  uptime_s: number;
  media_read_bytes: number;
  media_write_bytes: number;
  link_retrains: number;
  throttle_events: number;
}

export interface ThermalPolicy {
  enable: number;
  throttle_temp_c: number;
  hysteresis_c: number;
}

/** Current value of a known feature decoded by its read layout, or undefined when the device lacks it. */
async function readKnown(context: CommandContext, name: string): Promise<Record<string, number> | undefined> {
  const known = knownFeatureByName(name)!;
  const entry = (await featureTable(context)).find((e) => e.uuid === known.uuid);
  if (!entry) return undefined;
  const data = await readFeature(context, entry, Selection.current, 0, entry.get_feat_size);
  const values = decodeFields(known.read, data) ?? {};
  // Every field must be present: a short feature is not this layout.
  return known.read!.every((f) => values[f.name] !== undefined) ? values : undefined;
}

export async function readTelemetry(context: CommandContext): Promise<Telemetry | undefined> {
  const values = await readKnown(context, 'telemetry');
  return values as unknown as Telemetry | undefined;
}

export async function readThermalPolicy(context: CommandContext): Promise<ThermalPolicy | undefined> {
  return (await readKnown(context, 'thermal-throttle')) as ThermalPolicy | undefined;
}

export const MEDIA_STATUS = ['normal', 'degraded', 'failed'] as const;
