import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DeviceEntry } from '../../src/core/discovery';
import { withDeviceLock } from '../../src/core/device-lock';
import { tempDir } from '../helpers/cli';

const entry = (path: string): DeviceEntry => ({ name: 'fwctl0', path, sysfsPath: '', pci: undefined, memdev: undefined, vendorId: undefined, deviceId: undefined, driver: undefined, serial: undefined, boardName: undefined });

describe('withDeviceLock', () => {
  it('never lets two changes of one device overlap, and lets other devices run alongside', async () => {
    process.env.ACCELCTL_LOCK_DIR = tempDir();
    const log: string[] = [];
    const change = (device: string, id: string) =>
      withDeviceLock(entry(device), async () => {
        log.push(`${id}+`);
        await new Promise((r) => setTimeout(r, 30));
        log.push(`${id}-`);
      });
    await Promise.all([change('/dev/fwctl/fwctl0', 'a'), change('/dev/fwctl/fwctl0', 'b'), change('/dev/fwctl/fwctl1', 'c')]);
    const onFirst = log.filter((e) => e.startsWith('a') || e.startsWith('b')).join(' ');
    expect(['a+ a- b+ b-', 'b+ b- a+ a-']).toContain(onFirst);
    // The other device did not wait for the first one's two changes.
    expect(log.indexOf('c+')).toBeLessThan(log.indexOf(onFirst.endsWith('b-') ? 'b+' : 'a+'));
    delete process.env.ACCELCTL_LOCK_DIR;
  });
});

describe('withDeviceLock errors', () => {
  it('a lock directory that cannot be created is a typed error with a hint, and nothing runs', async () => {
    // A regular file where the lock directory should go: mkdir fails with ENOTDIR.
    const file = join(tempDir(), 'not-a-directory');
    writeFileSync(file, '');
    process.env.ACCELCTL_LOCK_DIR = file;
    let ran = false;
    const error = await withDeviceLock(entry('/dev/fwctl/fwctl0'), async () => {
      ran = true;
    }).catch((e) => e);
    expect(ran).toBe(false);
    expect(error.code).toBe('ACCELCTL_E_IO');
    expect(error.hint).toContain('ACCELCTL_LOCK_DIR');
    delete process.env.ACCELCTL_LOCK_DIR;
  });
});
