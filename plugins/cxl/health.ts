/**
 * `accelctl health` on a CXL memory device: devlink-style reporters derived
 * from what fwctl can read (telemetry.ts). Get Health Info (0x4200) — the
 * spec's health status, media status and life used — is not allowed through
 * the cxl fwctl driver; `cxl list -m memN -H` (cxl-cli, through the CXL mailbox
 * ioctl) reads it. Reporters:
 *  - thermal: in error while the device throttles; error count = throttle episodes;
 *  - media: in error while media status is not normal; error count = uncorrected errors.
 */
import { AccelError, type CommandContext, type HealthReporter, type HealthSupport } from 'accelctl/sdk';
import { RPC_NAMES } from './protocol';
import { MEDIA_STATUS, readTelemetry, readThermalPolicy } from './telemetry';

const isoSeconds = (s: number): string => new Date(s * 1000).toISOString();

async function reporters(context: CommandContext): Promise<HealthReporter[]> {
  const t = await readTelemetry(context);
  if (!t) {
    throw new AccelError('ACCELCTL_E_UNSUPPORTED', 'this device exposes no health data through Features, and Get Health Info (0x4200) is not allowed through the cxl fwctl driver', {
      hint: 'read the health status with `cxl list -m memN -H` (ndctl/cxl-cli)',
    });
  }
  const policy = await readThermalPolicy(context);
  const limit = policy ? `, threshold ${policy.throttle_temp_c} °C` : '';
  const thermal: HealthReporter = {
    name: 'thermal',
    state: t.throttle_active ? 'error' : 'healthy',
    errorCount: t.throttle_events,
  };
  if (t.throttle_active) {
    thermal.lastError = { message: `thermal throttling at ${t.temperature_c} °C${limit}` };
    thermal.recommendedAction = 'check airflow and cooling; the device limits memory bandwidth while it throttles';
  } else if (t.throttle_events > 0) {
    thermal.lastError = { message: `throttled ${t.throttle_events} time(s) since the count was last cleared${limit}` };
  }
  const status = MEDIA_STATUS[t.media_status] ?? `unknown (${t.media_status})`;
  const media: HealthReporter = {
    name: 'media',
    state: t.media_status === 0 ? 'healthy' : 'error',
    errorCount: t.uncorrected_errors,
  };
  if (t.uncorrected_errors > 0) {
    media.lastError = { message: t.media_status === 0 ? "uncorrected media error" : `uncorrected media error (media ${status})`, ...(t.last_error_time_s > 0 ? { time: isoSeconds(t.last_error_time_s) } : {}) };
  }
  if (t.media_status !== 0) {
    media.recommendedAction = 'check the kernel log and the cxl_general_media/cxl_dram trace events; plan to replace the device if errors recur';
  }
  return [thermal, media];
}

export const health: HealthSupport = {
  reporters,
  rpcs: [RPC_NAMES.GET_SUPPORTED_FEATURES, RPC_NAMES.GET_FEATURE],
};
