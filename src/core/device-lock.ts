/**
 * A host-wide advisory lock per device, held while accelctl changes a device in
 * several RPCs that must not interleave with another accelctl doing the same:
 * a configuration write is read-modify-write of whole TLVs/features (two
 * processes setting different fields of one feature would otherwise lose one
 * update), and a firmware flash is a multi-step state machine in the device.
 * The kernel serialises single RPCs, not these sequences. proper-lockfile gives
 * the lock, with recovery of locks left by killed processes.
 */
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DeviceEntry } from './discovery';
import { AccelError } from './errors';
import { properLockfile } from './lockfile';
import { critical } from './critical';

/** One lock file per device node path, in the host's temporary directory. */
function lockTarget(entry: DeviceEntry): string {
  const dir = join(process.env.ACCELCTL_LOCK_DIR || tmpdir(), 'accelctl-locks');
  try {
    mkdirSync(dir, { recursive: true, mode: 0o1777 });
  } catch (error) {
    throw new AccelError('ACCELCTL_E_IO', `cannot create the lock directory ${dir}: ${(error as NodeJS.ErrnoException).code ?? error}`, {
      hint: 'set ACCELCTL_LOCK_DIR to a directory every accelctl user can write',
    });
  }
  return join(dir, encodeURIComponent(entry.path));
}

export async function withDeviceLock<T>(entry: DeviceEntry, fn: () => Promise<T>): Promise<T> {
  let release: () => Promise<void>;
  try {
    release = await (await properLockfile()).lock(lockTarget(entry), {
      realpath: false,
      // Refreshed every second while held (a flash may take minutes); a lock not
      // refreshed for 3 s was left by a killed accelctl and is taken over.
      stale: 3_000,
      update: 1_000,
      retries: { retries: 600, factor: 1.2, minTimeout: 5, maxTimeout: 200, randomize: true },
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOCKED') {
      throw new AccelError('ACCELCTL_E_IO', `${entry.name}: another accelctl is changing this device`, { hint: 'wait for it to finish, then try again' });
    }
    throw new AccelError('ACCELCTL_E_IO', `${entry.name}: cannot take the device lock: ${(error as Error).message}`, {
      hint: 'set ACCELCTL_LOCK_DIR to a directory every accelctl user can write',
    });
  }
  try {
    // What runs under the lock changes the device: it must not stop half way.
    return await critical(fn);
  } finally {
    await release().catch(() => undefined);
  }
}
