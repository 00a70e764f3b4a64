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
import { appendFileSync, closeSync, constants as fsConstants, fstatSync, fsyncSync, openSync, promises as fsPromises, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';
// zod's "mini" build of the same library: this schema is built and run once per
// process on the start-up path of every simulated command, where the classic API's
// instances (each with its ~40 methods bound) cost several milliseconds more.
import * as z from 'zod/mini';
import { monotonicMs } from '../core/clock';
import { AccelError } from '../core/errors';
import { SCOPE_NAMES, type Scope } from '../core/scope';
import { properLockfile } from '../core/lockfile';
import { FAULT_KINDS, type Fault } from './faults';

/**
 * Injected faults. hang, garbage and gone are the simulated kernel's own; fw-error
 * makes it answer with the plugin's error reply; health-error is for the firmware
 * model (a health reporter goes to error); power-loss cuts power once
 * `power_loss_after_bytes` more flash bytes have been written.
 */
// English messages (the mini build loads no locale itself; classic zod, when loaded, sets the same).
z.config(z.locales.en());

export const FaultSchema = z.enum(FAULT_KINDS);
export type { Fault };

const count = z._default(z.number().check(z.int(), z.nonnegative()), 0);
const scopeCounts = z.object(Object.fromEntries(SCOPE_NAMES.map((s) => [s, count])) as Record<(typeof SCOPE_NAMES)[number], typeof count>);

export const DeviceStateSchema = z.object({
  schema_version: z.literal(1),
  plugin: z.string(),
  device_type: z.number().check(z.int()),
  serial: z.string(),
  latency_ms: z._default(z.number().check(z.nonnegative()), 0),
  faults: z._default(z.array(FaultSchema), []),
  power_loss_after_bytes: z.optional(z.number().check(z.int(), z.nonnegative())),
  /**
   * Counters as fleets made before the RPC log kept them (here, in the state); new
   * counts go to the device's RPC log (recordRpc) and readDeviceStats adds both.
   */
  stats: z.prefault(
    z.object({
      /** RPCs the simulated kernel received, by requested scope (delivered or not). */
      requested: z.prefault(scopeCounts, {}),
      /** RPCs refused by the fwctl core or the driver (errno). */
      refused: count,
    }),
    {},
  ),
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

const RECREATE = "re-create the fleet with 'accelctl sim init DIR --force'";

/** Parse and validate a device state text (the full zod check). */
function parseDeviceState(path: string, text: string): DeviceState {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new AccelError('ACCELCTL_E_SIM', `simulated device state ${path} is not valid JSON`, {
      hint: RECREATE,
    });
  }
  const result = DeviceStateSchema.safeParse(parsed);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new AccelError('ACCELCTL_E_SIM', `simulated device state ${path} is invalid: ${issue ? `${issue.path.join('.') || '(top)'}: ${issue.message}` : 'bad shape'}`, {
      hint: RECREATE,
    });
  }
  return result.data;
}

/** Far above any real state (a few KB): a bigger file is not one, and is not read into memory. */
const MAX_STATE_BYTES = 16 * 1024 * 1024;

function readStateText(path: string): string {
  let fd: number | undefined;
  try {
    // O_NONBLOCK: a FIFO put in a device's place must not block the open.
    fd = openSync(path, fsConstants.O_RDONLY | fsConstants.O_NONBLOCK);
    const stats = fstatSync(fd);
    if (!stats.isFile()) throw new AccelError('ACCELCTL_E_SIM', `simulated device ${path} is not a regular file`, { hint: RECREATE });
    if (stats.size > MAX_STATE_BYTES) {
      throw new AccelError('ACCELCTL_E_SIM', `simulated device ${path} is ${stats.size} bytes, not a device state (at most ${MAX_STATE_BYTES})`, { hint: RECREATE });
    }
    return readFileSync(fd, 'utf8');
  } catch (error) {
    if (error instanceof AccelError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new AccelError(code === 'ENOENT' ? 'ACCELCTL_E_DEVICE_NOT_FOUND' : 'ACCELCTL_E_IO', `cannot read simulated device ${path}: ${code ?? error}`);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** A fresh, validated copy of a device's state (callers may change it freely). */
export function readDeviceState(path: string): DeviceState {
  return parseDeviceState(path, readStateText(path));
}

/**
 * The last state this process read or wrote per device: its text, the parsed
 * value, and the file's identity then (inode, size, change times). Writers replace
 * the file (write a temporary file, rename), so a file whose identity is unchanged
 * holds the same text, and the simulated kernel's per-RPC look at the state costs a
 * stat(2), not a read and parse. A changed identity with the same text skips the parse.
 *
 * Nor need every RPC pay that stat(2). A caller that only inspects (a handle opened
 * inspect-only: list, dump, health, metrics) passes `maxAgeMs`, STATE_RECHECK_MS,
 * and a state whose file was looked at less than that ago is taken as current:
 * another process's change reaches those RPCs within that time, as if they had been
 * sent that much earlier, and since none of them changes anything, nothing is built
 * on the older state. Every other caller checks at each RPC: a `config set` reads,
 * then writes under the device lock, and its read must see the write another
 * process made under that lock just before (a window there lost updates). This
 * process's own writes are seen at once either way. In a dump of 64 devices the
 * per-RPC stat(2) was ~5 % of the process's time; a device's next RPC comes 5–25 ms
 * after its last (more on a busy machine), so the window is 100 ms: that dump makes
 * 333 stat(2) calls instead of 2061.
 */
interface KnownState {
  text: string;
  state: DeviceState;
  identity: string;
  /** monotonicMs() of the stat(2) that found `identity`; -Infinity when none did. */
  checkedAt: number;
}
const known = new Map<string, KnownState>();
/** How old a look at a state file may be and still be taken as current, for inspect-only callers. */
export const STATE_RECHECK_MS = 100;

function identityOf(path: string): string {
  let stats;
  try {
    stats = statSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new AccelError(code === 'ENOENT' ? 'ACCELCTL_E_DEVICE_NOT_FOUND' : 'ACCELCTL_E_IO', `cannot read simulated device ${path}: ${code ?? error}`);
  }
  return `${stats.ino}:${stats.size}:${stats.mtimeMs}:${stats.ctimeMs}`;
}

/**
 * The device's state for the simulated kernel, current as of this call (or, with
 * `maxAgeMs`, as of at most that long ago; see KnownState): parsed and
 * validated only when the file changed since this process last saw it. `reread`
 * reads the text even when the file's identity is unchanged (the locked
 * read-modify-write does, so no coarse file system clock can hide a change from
 * it). The object is shared with the cache: a caller that changes it must either
 * `storeDeviceState` it or `forgetDeviceState` the path.
 */
export function loadDeviceState(path: string, { reread = false, maxAgeMs = 0 } = {}): DeviceState {
  const hit = known.get(path);
  const now = monotonicMs();
  if (hit && !reread && now - hit.checkedAt < maxAgeMs) return hit.state;
  const identity = identityOf(path);
  if (hit && hit.identity === identity && !reread) {
    hit.checkedAt = now;
    return hit.state;
  }
  const text = readStateText(path);
  if (hit && hit.text === text) {
    hit.identity = identity;
    hit.checkedAt = now;
    return hit.state;
  }
  const state = parseDeviceState(path, text);
  // Identity taken before the read: if the file was replaced in between, the next call reads again.
  known.set(path, { text, state, identity, checkedAt: now });
  return state;
}

/** Drop the cached state of a device (after changing it without writing it). */
export function forgetDeviceState(path: string): void {
  known.delete(path);
}

export function writeDeviceState(path: string, state: DeviceState): void {
  known.delete(path);
  writeFileAtomic(path, `${JSON.stringify(state)}\n`, false);
}

/**
 * writeDeviceState for a state from loadDeviceState, off the event loop: the
 * write and the rename (which on ext4 waits for the new data to be allocated,
 * often milliseconds) run on libuv's thread pool, so other devices' RPCs go on
 * meanwhile (a dump of many devices). The cache keeps the written text and object.
 */
export async function storeDeviceState(path: string, state: DeviceState): Promise<void> {
  const text = `${JSON.stringify(state)}\n`;
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  known.delete(path);
  // fs.promises is read here, not imported: loading it costs every start, and only writes need it.
  await fsPromises.writeFile(tmp, text, { mode: 0o644 });
  await fsPromises.rename(tmp, path);
  // No identity yet: the next load stats the new file and finds this text in it.
  known.set(path, { text, state, identity: '', checkedAt: -Infinity });
}

/**
 * The per-device RPC log: one character per event, appended with O_APPEND (small
 * writes, so processes never interleave inside one and need no lock): '0'–'3' an
 * RPC requested at that scope, 'x' an RPC refused. Counting RPCs this way costs no
 * rewrite of the whole state, which would make the simulator, not the modelled
 * device, the limit of a many-device dump.
 */
export function rpcLogPath(devicePath: string): string {
  return join(dirname(devicePath), `.${basename(devicePath)}.rpcs`);
}

const REFUSED_MARK = 'x';

/**
 * Marks not yet appended, by device. They are appended together a moment later
 * (one write per device instead of one per RPC), when this process exits, and
 * before this process reads the counts; another process sees them within
 * FLUSH_DELAY_MS. A process killed with SIGKILL loses at most that much counting.
 * A second: at 100 ms a dump of 64 devices (~250 ms) appended to every log three
 * times (open, write, close each) instead of once at exit.
 */
const pendingMarks = new Map<string, string>();
const FLUSH_DELAY_MS = 1000;
let flushTimer: NodeJS.Timeout | undefined;
let flushOnExit = false;

/** Append every pending mark to its device's log. */
export function flushRpcLogs(): void {
  if (flushTimer) clearTimeout(flushTimer);
  flushTimer = undefined;
  const batches = [...pendingMarks];
  pendingMarks.clear();
  for (const [devicePath, marks] of batches) {
    try {
      appendFileSync(rpcLogPath(devicePath), marks);
    } catch {
      // The fleet is gone (removed or re-created): nothing left to count for.
    }
  }
}

/** Count one RPC in the device's log: requested at `scope` (when known) and/or refused. */
export function recordRpc(devicePath: string, scope: Scope | undefined, refused: boolean): void {
  const marks = `${scope === undefined ? '' : String(scope)}${refused ? REFUSED_MARK : ''}`;
  if (!marks) return;
  pendingMarks.set(devicePath, (pendingMarks.get(devicePath) ?? '') + marks);
  if (!flushOnExit) {
    process.on('exit', flushRpcLogs);
    flushOnExit = true;
  }
  flushTimer ??= setTimeout(flushRpcLogs, FLUSH_DELAY_MS).unref();
}

export type DeviceStats = DeviceState['stats'];

/** What a simulated device received: counters kept in an older state file plus its RPC log. */
export function readDeviceStats(devicePath: string, state: DeviceState = readDeviceState(devicePath)): DeviceStats {
  flushRpcLogs();
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
    release = await (await properLockfile()).lock(path, {
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
