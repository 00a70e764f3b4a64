/**
 * proper-lockfile, loaded with the first lock: commands (and simulated RPCs) that
 * change nothing never lock, so they need not load it. Shared by the device lock
 * (core/device-lock.ts) and the simulator's state lock (sim/state-store.ts).
 */
type Lockfile = typeof import('proper-lockfile');

let loaded: Lockfile | undefined;

export async function properLockfile(): Promise<Lockfile> {
  loaded ??= (await import('proper-lockfile')).default;
  return loaded;
}
