/**
 * Persistent simulated-device state: one JSON file per device at
 * SIM/dev/fwctl/fwctlN, where the real device node would be.
 *
 * Every change is a locked read-modify-write followed by an atomic replace
 * (write a temporary file, rename), so concurrent accelctl processes never lose
 * an update and a killed process leaves either the old or the new state. The
 * lock is proper-lockfile's (it also recovers locks left by killed processes).
 *
 * Cost matters here: the simulated kernel reads the state at every RPC, so the
 * firmware latency it models (not this file's I/O) must dominate: a state text
 * identical to the last one this process read or wrote is not parsed and
 * validated again (see loadDeviceState), RPCs that leave the state as it was
 * write nothing and take no lock (the kernel checks), per-RPC counters go to an
 * append-only log instead of the state (recordRpc), and a needed write runs off
 * the event loop (storeDeviceState).
 */
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import { rename as renameAsync, writeFile as writeFileAsync } from 'node:fs/promises';
import { z } from 'zod';
import { AccelError } from '../core/errors';
import { SCOPE_NAMES, type Scope } from '../core/scope';

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
  /**
   * Counters from fleets of accelctl ≤ 0.x that kept them here; new counts go to the
   * device's RPC log (recordRpc) and readDeviceStats adds both.
   */
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

/** Parse and validate a device state text (the full zod check). */
function parseDeviceState(path: string, text: string): DeviceState {
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

function readStateText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new AccelError(code === 'ENOENT' ? 'ACCELCTL_E_DEVICE_NOT_FOUND' : 'ACCELCTL_E_IO', `cannot read simulated device ${path}: ${code ?? error}`);
  }
}

/** A fresh, validated copy of a device's state (callers may change it freely). */
export function readDeviceState(path: string): DeviceState {
  return parseDeviceState(path, readStateText(path));
}

/**
 * The last state text this process read or wrote per device, with its parsed
 * value and that value serialized (`canonical`, computed when first asked for).
 * The text is always read again (another process may have changed it); only when
 * it is byte-for-byte what was parsed before is the parse skipped.
 */
interface KnownState {
  text: string;
  state: DeviceState;
  canonical?: string;
}
const known = new Map<string, KnownState>();

function loadKnown(path: string): KnownState {
  const text = readStateText(path);
  const hit = known.get(path);
  if (hit && hit.text === text) return hit;
  const entry: KnownState = { text, state: parseDeviceState(path, text) };
  known.set(path, entry);
  return entry;
}

/**
 * The device's state for the simulated kernel: read every time, parsed and
 * validated only when the text changed since this process last saw it. The
 * object is shared with the cache: a caller that changes it must either
 * `storeDeviceState` it or `forgetDeviceState` the path.
 */
export function loadDeviceState(path: string): DeviceState {
  return loadKnown(path).state;
}

/**
 * loadDeviceState, plus the state as JSON as it was loaded: comparing it with
 * `JSON.stringify(state)` later tells whether anything changed the object.
 */
export function loadDeviceStateForChange(path: string): { state: DeviceState; canonical: string } {
  const entry = loadKnown(path);
  entry.canonical ??= JSON.stringify(entry.state);
  return { state: entry.state, canonical: entry.canonical };
}

/** Drop the cached state of a device (after changing it without writing it). */
export function forgetDeviceState(path: string): void {
  known.delete(path);
}

export function writeDeviceState(path: string, state: DeviceState): void {
  writeFileAtomic(path, `${JSON.stringify(state)}\n`, false);
}

/**
 * writeDeviceState for a state from loadDeviceState, off the event loop: the
 * write and the rename (which on ext4 waits for the new data to be allocated,
 * often milliseconds) run on libuv's thread pool, so other devices' RPCs go on
 * meanwhile (a dump of many devices). The cache keeps the written text and object.
 */
export async function storeDeviceState(path: string, state: DeviceState): Promise<void> {
  const canonical = JSON.stringify(state);
  const text = `${canonical}\n`;
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  known.delete(path);
  await writeFileAsync(tmp, text, { mode: 0o644 });
  await renameAsync(tmp, path);
  known.set(path, { text, state, canonical });
}

/**
 * The per-device RPC log: one character per event, appended with O_APPEND (a
 * single small write, so processes never interleave inside one and need no lock):
 * '0'–'3' an RPC requested at that scope, 'x' an RPC refused. Counting RPCs this
 * way costs one write instead of a locked rewrite of the whole state, which would
 * make the simulator, not the modelled device, the limit of a many-device dump.
 */
export function rpcLogPath(devicePath: string): string {
  return join(dirname(devicePath), `.${basename(devicePath)}.rpcs`);
}

const REFUSED_MARK = 'x';

/**
 * Open RPC logs of this process, by device path. Appending through a kept
 * descriptor is one write(2) instead of open, write and close; the oldest is
 * closed past a bound, so a long-lived process (a test runner) does not collect them.
 */
const openLogs = new Map<string, number>();
const MAX_OPEN_LOGS = 128;

function logDescriptor(devicePath: string): number {
  let fd = openLogs.get(devicePath);
  if (fd !== undefined) return fd;
  if (openLogs.size >= MAX_OPEN_LOGS) {
    const [oldestPath, oldestFd] = openLogs.entries().next().value as [string, number];
    openLogs.delete(oldestPath);
    closeSync(oldestFd);
  }
  fd = openSync(rpcLogPath(devicePath), 'a', 0o644);
  openLogs.set(devicePath, fd);
  return fd;
}

/**
 * Close the kept RPC logs: a fleet about to be re-created in place must not have
 * its new logs shadowed by descriptors of the old, unlinked files.
 */
export function closeRpcLogs(): void {
  for (const fd of openLogs.values()) {
    try {
      closeSync(fd);
    } catch {
      // Already closed: nothing to release.
    }
  }
  openLogs.clear();
}

/** Count one RPC in the device's log: requested at `scope` (when known) and/or refused. */
export function recordRpc(devicePath: string, scope: Scope | undefined, refused: boolean): void {
  const marks = `${scope === undefined ? '' : String(scope)}${refused ? REFUSED_MARK : ''}`;
  if (!marks) return;
  try {
    writeSync(logDescriptor(devicePath), marks);
  } catch (error) {
    // A fleet re-created under a kept descriptor: open the log again next time.
    const fd = openLogs.get(devicePath);
    if (fd !== undefined) {
      openLogs.delete(devicePath);
      try {
        closeSync(fd);
      } catch {
        // Already closed: nothing to release.
      }
    }
    throw new AccelError('ACCELCTL_E_IO', `cannot count an RPC of simulated device ${devicePath}: ${(error as NodeJS.ErrnoException).code ?? error}`);
  }
}

export type DeviceStats = DeviceState['stats'];

/** What a simulated device received: counters kept in an older state file plus its RPC log. */
export function readDeviceStats(devicePath: string, state: DeviceState = readDeviceState(devicePath)): DeviceStats {
  const stats: DeviceStats = { requested: { ...state.stats.requested }, refused: state.stats.refused };
  let log = '';
  try {
    log = readFileSync(rpcLogPath(devicePath), 'latin1');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new AccelError('ACCELCTL_E_IO', `cannot read the RPC log of simulated device ${devicePath}: ${(error as NodeJS.ErrnoException).code ?? error}`);
    }
  }
  const counts = new Map<string, number>();
  for (const mark of log) counts.set(mark, (counts.get(mark) ?? 0) + 1);
  SCOPE_NAMES.forEach((name, scope) => {
    stats.requested[name] += counts.get(String(scope)) ?? 0;
  });
  stats.refused += counts.get(REFUSED_MARK) ?? 0;
  return stats;
}

/** Run `fn` holding the file's lock; other processes wait (bounded) for it. */
export async function withFileLock<T>(path: string, fn: () => T | Promise<T>): Promise<T> {
  let release: () => Promise<void>;
  try {
    // Loaded on first use: RPCs that change nothing take no lock.
    const { default: lockfile } = await import('proper-lockfile');
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
