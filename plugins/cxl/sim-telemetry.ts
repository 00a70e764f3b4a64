/**
 * The simulated device's telemetry feature (vendor, invented layout — see
 * features.ts TELEMETRY_FIELDS): computed when it is read, from the device's
 * clock, so temperatures wander and counters grow with time, and from the
 * injected faults, so `health-error` shows up as degraded media with an
 * uncorrected error recorded once per fault episode.
 */
import { UUID, TELEMETRY_SIZE, type SimFeature } from './sim-catalog';

/** What the device sees of the outside world while it answers. */
export interface DeviceEnv {
  now: number;
  faults: readonly string[];
}

/** Persistent health bookkeeping plus the power-on time (volatile: a power cycle restarts it). */
export interface SimHealth {
  /** Power-on time, ms since the epoch; 0 until the first command after power-on. */
  boot_ms: number;
  /** Varies the figures between fleet devices. */
  seed: number;
  uncorrected: number;
  last_error_s: number;
  fault_active: boolean;
  throttle_events: number;
  throttled: boolean;
}

export function createHealth(seed: number): SimHealth {
  // The device boots when it is created (or reset), not when someone first reads it.
  return { boot_ms: Date.now(), seed, uncorrected: 0, last_error_s: 0, fault_active: false, throttle_events: 0, throttled: false };
}

function thermalPolicy(features: readonly SimFeature[]): { enabled: boolean; threshold: number } {
  const f = features.find((x) => x.uuid === UUID.THERMAL_THROTTLE);
  if (!f) return { enabled: false, threshold: 255 };
  const b = Buffer.from(f.current, 'hex');
  return { enabled: b[0] === 1, threshold: b[1] ?? 255 };
}

/** The telemetry bytes at `env.now`; updates the health bookkeeping in place. */
export function telemetryImage(health: SimHealth, features: readonly SimFeature[], env: DeviceEnv): Uint8Array {
  // Reading telemetry must not change the device: derive everything from the clock.
  const elapsedMs = Math.max(0, env.now - health.boot_ms);
  const elapsedS = elapsedMs / 1000;

  const temperature = Math.round(41 + (health.seed % 4) + 6 * Math.sin((2 * Math.PI * elapsedS) / 600));
  const policy = thermalPolicy(features);
  const throttled = policy.enabled && temperature >= policy.threshold;
  if (throttled && !health.throttled) health.throttle_events += 1;
  health.throttled = throttled;

  const faulted = env.faults.includes('health-error');
  if (faulted && !health.fault_active) {
    health.uncorrected += 1;
    health.last_error_s = Math.floor(env.now / 1000);
  }
  health.fault_active = faulted;

  const out = new Uint8Array(TELEMETRY_SIZE);
  const dv = new DataView(out.buffer);
  dv.setUint16(0, temperature, true);
  out[2] = throttled ? 1 : 0;
  out[3] = faulted ? 1 : 0;
  dv.setUint16(4, Math.round(12_500 + 40 * (temperature - 40) + 900 * Math.sin(elapsedS / 45)), true);
  dv.setUint32(8, (Math.floor(elapsedS / 900) + (health.seed % 3)) >>> 0, true);
  dv.setUint32(12, health.uncorrected >>> 0, true);
  dv.setUint32(16, health.last_error_s >>> 0, true);
  dv.setUint32(20, Math.floor(elapsedS) >>> 0, true);
  // 1.6 GB/s read, 0.7 GB/s write on average; u64 counters that stay below 2^53 for months.
  dv.setBigUint64(24, BigInt(Math.floor(elapsedMs * 1_600_000)), true);
  dv.setBigUint64(32, BigInt(Math.floor(elapsedMs * 700_000)), true);
  dv.setUint32(40, Math.floor(elapsedS / 86_400) >>> 0, true);
  dv.setUint32(44, health.throttle_events >>> 0, true);
  return out;
}
