/**
 * Device selectors, as operators write them: `fwctl0`, `/dev/fwctl/fwctl0`, a PCI
 * address (`0000:3b:00.0` or the short `3b:00.0`), or a serial number.
 */
import { basename } from 'node:path';
import type { DeviceEntry } from './discovery';
import { AccelError } from './errors';

function matches(entry: DeviceEntry, selector: string): boolean {
  const s = selector.trim();
  if (s === entry.name || s === entry.path) return true;
  if (s.startsWith('/dev/fwctl/') && basename(s) === entry.name) return true;
  if (entry.pci) {
    const lower = s.toLowerCase();
    if (lower === entry.pci || `0000:${lower}` === entry.pci) return true;
  }
  if (entry.memdev && s === entry.memdev) return true;
  return entry.serial !== undefined && s === entry.serial;
}

export function selectDevice(entries: readonly DeviceEntry[], selector: string): DeviceEntry {
  const found = entries.filter((entry) => matches(entry, selector));
  if (found.length === 1) return found[0]!;
  if (found.length > 1) {
    throw new AccelError('ACCELCTL_E_USAGE', `'${selector}' matches ${found.length} devices: ${found.map((e) => e.name).join(', ')}`, {
      hint: 'use the fwctl name (fwctlN) to pick one',
    });
  }
  const known = entries.map((e) => e.name).join(', ');
  throw new AccelError('ACCELCTL_E_DEVICE_NOT_FOUND', `no fwctl device matches '${selector}'`, {
    hint: entries.length === 0 ? "no fwctl devices here; try 'accelctl --sim list'" : `devices: ${known} (see 'accelctl list')`,
  });
}
