/**
 * Many-device commands (health, metrics, dump): the named devices, or every
 * device when none is named, each opened inspect-only.
 */
import type { App, OpenDevice } from './app';
import type { DeviceEntry } from './discovery';

/** Devices worked on at once: a device mostly waits on its firmware, so many overlap well; still bounded (memory, open handles). */
export const DEVICE_CONCURRENCY = 64;

export function selectMany(app: App, selectors: readonly string[]): DeviceEntry[] {
  if (selectors.length === 0) return app.devices();
  const entries = selectors.map((s) => app.select(s));
  return entries.filter((entry, i) => entries.findIndex((e) => e.name === entry.name) === i);
}

/** `snapshot`: send each distinct inspect request once (a dump; see PolicyOptions.snapshot). */
export function openInspectOnly(app: App, entry: DeviceEntry, { snapshot = false } = {}): Promise<OpenDevice> {
  return app.open(entry, { inspectOnly: true, dryRun: false, yes: false, allowMutate: false, snapshot });
}
