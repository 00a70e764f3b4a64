/**
 * Persistent simulated-device state: one JSON file per device at
 * SIM/dev/fwctl/fwctlN, where the real device node would be.
 *
 * Every change is a locked read-modify-write (proper-lockfile, which also
 * recovers locks left by killed processes) followed by an atomic replace
 * (write a temporary file, fsync, rename), so concurrent accelctl processes never
 * lose an update and a killed process leaves either the old or the new state.
 */
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import lockfile from 'proper-lockfile';
import { z } from 'zod';
import { AccelError } from '../core/errors';
import { SCOPE_NAMES } from '../core/scope';

/**
 * Injected faults. hang, garbage and gone are the simulated kernel's own; fw-error
 * makes it answer with the plugin's error reply; health-error is for the firmware
 * model (a health reporter goes to error); power-loss cuts power once
 * `power_loss_after_bytes` more flash bytes have been written.
 */
export const FaultSchema = z.enum(['hang', 'garbage', 'gone', 'fw-error', 'health-error', 'power-loss']);
export type Fault = z.infer<typeof FaultSchema>;

const scopeCounts = z.object(Object.fromEntries(SCOPE_NAMES.map((s) => [s, z.number().int().nonnegative().default(0)])) as Record<
  (typeof SCOPE_NAMES)[number],
  z.ZodDefault<z.ZodNumber>
>);

export const DeviceStateSchema = z.object({
  schema_version: z.literal(1),
  plugin: z.string(),
  device_type: z.number().int(),
  serial: z.string(),
  latency_ms: z.number().nonnegative().default(0),
  faults: z.array(FaultSchema).default([]),
  power_loss_after_bytes: z.number().int().nonnegative().optional(),
  stats: z
    .object({
      /** RPCs the simulated kernel received, by requested scope (delivered or not). */
      requested: scopeCounts.prefault({}),
      /** RPCs refused by the fwctl core or the driver (errno). */
      refused: z.number().int().nonnegative().default(0),
    })
    .prefault({}),
  firmware: z.unknown(),
});
export type DeviceState = z.infer<typeof DeviceStateSchema>;

/**
 * Replace a file atomically: write a temporary file, then rename it over the
 * old one, so a reader (or a process killed half way) sees the old or the new
 * contents, never a mix. `durable` adds an fsync before the rename, so the new
 * contents also survive a host crash: wanted for files users keep (images,
 * fleets), not for the simulator's per-RPC device state, where it would make
 * the simulated kernel — not the modelled device — the bottleneck.
 */
export function writeFileAtomic(path: string, text: string | Uint8Array, durable = true): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  const fd = openSync(tmp, 'w', 0o644);
  try {
    writeFileSync(fd, text);
    if (durable) fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}

export function readDeviceState(path: string): DeviceState {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new AccelError(code === 'ENOENT' ? 'ACCELCTL_E_DEVICE_NOT_FOUND' : 'ACCELCTL_E_IO', `cannot read simulated device ${path}: ${code ?? error}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new AccelError('ACCELCTL_E_SIM', `simulated device state ${path} is not valid JSON`, {
      hint: "re-create the fleet with 'accelctl sim init DIR --force'",
    });
  }
  const result = DeviceStateSchema.safeParse(parsed);
  if (!result.success) {
    throw new AccelError('ACCELCTL_E_SIM', `simulated device state ${path} is invalid: ${result.error.issues[0]?.message ?? 'bad shape'}`, {
      hint: "re-create the fleet with 'accelctl sim init DIR --force'",
    });
  }
  return result.data;
}

export function writeDeviceState(path: string, state: DeviceState): void {
  writeFileAtomic(path, `${JSON.stringify(state)}\n`, false);
}

/** Run `fn` holding the file's lock; other processes wait (bounded) for it. */
export async function withFileLock<T>(path: string, fn: () => T | Promise<T>): Promise<T> {
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(path, {
      realpath: false,
      // Held for one RPC at most; a lock older than this was left by a killed process.
      stale: 2_000,
      retries: { retries: 200, factor: 1.3, minTimeout: 2, maxTimeout: 50, randomize: true },
    });
  } catch (error) {
    throw new AccelError('ACCELCTL_E_IO', `cannot lock ${path}: ${(error as Error).message}`);
  }
  try {
    return await fn();
  } finally {
    await release().catch(() => undefined);
  }
}

/** Locked read-modify-write of one device's state. */
export function updateDeviceState<T>(path: string, fn: (state: DeviceState) => T): Promise<T> {
  return withFileLock(path, () => {
    const state = readDeviceState(path);
    const result = fn(state);
    writeDeviceState(path, state);
    return result;
  });
}
