/**
 * `accelctl metrics` on a CXL memory device: Get Feature values only
 * (telemetry.ts): the thermal-throttle policy and the telemetry feature.
 * Nothing here comes from Get Health Info or the CXL PMU, which fwctl does not
 * reach; link state lives in PCI sysfs, not in a Feature.
 */
import type { CommandContext, Metric, MetricsSupport } from 'accelctl/sdk';
import { RPC_NAMES } from './protocol';
import { readTelemetry, readThermalPolicy } from './telemetry';

async function collect(context: CommandContext): Promise<Metric[]> {
  const out: Metric[] = [];
  const policy = await readThermalPolicy(context);
  if (policy) {
    out.push({ name: 'thermal_throttle_threshold_celsius', help: 'Temperature at which the device starts throttling', type: 'gauge', value: policy.throttle_temp_c });
    out.push({ name: 'thermal_throttle_enabled', help: '1 when thermal throttling is enabled', type: 'gauge', value: policy.enable ? 1 : 0 });
  }
  const t = await readTelemetry(context);
  if (t) {
    out.push(
      { name: 'temperature_celsius', help: 'Device temperature', type: 'gauge', value: t.temperature_c, labels: { sensor: 'controller' } },
      { name: 'thermal_throttle_active', help: '1 while the device throttles', type: 'gauge', value: t.throttle_active ? 1 : 0 },
      { name: 'thermal_throttle_events_total', help: 'Thermal throttle episodes', type: 'counter', value: t.throttle_events },
      { name: 'power_watts', help: 'Device power', type: 'gauge', value: t.power_mw / 1000 },
      { name: 'media_corrected_errors_total', help: 'Corrected media errors since power-on', type: 'counter', value: t.corrected_errors },
      { name: 'media_uncorrected_errors_total', help: 'Uncorrected media errors', type: 'counter', value: t.uncorrected_errors },
      { name: 'media_read_bytes_total', help: 'Bytes read from media since power-on', type: 'counter', value: t.media_read_bytes },
      { name: 'media_write_bytes_total', help: 'Bytes written to media since power-on', type: 'counter', value: t.media_write_bytes },
      { name: 'link_retrains_total', help: 'CXL link retrains since power-on', type: 'counter', value: t.link_retrains },
      { name: 'uptime_seconds', help: 'Seconds since the device powered on', type: 'gauge', value: t.uptime_s },
    );
  }
  return out;
}

export const metrics: MetricsSupport = {
  collect,
  rpcs: [RPC_NAMES.GET_SUPPORTED_FEATURES, RPC_NAMES.GET_FEATURE],
};
