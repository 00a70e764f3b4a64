/**
 * src/core/selector.ts: fwctlN, /dev/fwctl/fwctlN, PCI address (full or
 * short, any case), serial number, CXL memdev.
 */
import { describe, expect, it } from 'vitest';
import { selectDevice } from '../../src/core/selector';
import type { DeviceEntry } from '../../src/core/discovery';
import { thrown } from '../helpers/errors';

function entry(name: string, extra: Partial<DeviceEntry> = {}): DeviceEntry {
  return {
    name,
    path: `/sim/fleet/dev/fwctl/${name}`,
    sysfsPath: `/sim/fleet/sys/class/fwctl/${name}`,
    pci: undefined,
    memdev: undefined,
    vendorId: undefined,
    deviceId: undefined,
    driver: undefined,
    serial: undefined,
    boardName: undefined,
    ...extra,
  };
}

const devices: DeviceEntry[] = [
  entry('fwctl0', { pci: '0000:3b:00.0', serial: 'MT2328X01234', driver: 'mlx5_core' }),
  entry('fwctl1', { pci: '0000:5e:00.0', memdev: 'mem0', serial: '0x1234abcd', driver: 'cxl_pci' }),
  entry('fwctl2', { pci: '0000:af:00.1', serial: 'FLM12345', driver: 'pds_core' }),
  entry('fwctl10', { pci: '0001:02:00.0', driver: 'bnxt_en' }),
];


describe('selectDevice finds one device', () => {
  it.each([
    ['fwctl0', 'fwctl0'],
    ['fwctl1', 'fwctl1'],
    ['fwctl10', 'fwctl10'],
    ['/dev/fwctl/fwctl2', 'fwctl2'],
    ['/sim/fleet/dev/fwctl/fwctl10', 'fwctl10'],
    ['0000:3b:00.0', 'fwctl0'],
    ['3b:00.0', 'fwctl0'],
    ['0000:AF:00.1', 'fwctl2'],
    ['AF:00.1', 'fwctl2'],
    ['0001:02:00.0', 'fwctl10'],
    ['MT2328X01234', 'fwctl0'],
    ['FLM12345', 'fwctl2'],
    ['0x1234abcd', 'fwctl1'],
    ['mem0', 'fwctl1'],
    ['  fwctl1  ', 'fwctl1'],
  ])('%j → %s', (selector, name) => {
    expect(selectDevice(devices, selector).name).toBe(name);
  });

  it('returns the entry object itself', () => {
    expect(selectDevice(devices, 'fwctl2')).toBe(devices[2]);
  });

  it('fwctl1 does not also match fwctl10 (no prefix matching)', () => {
    expect(selectDevice(devices, 'fwctl1').name).toBe('fwctl1');
    expect(selectDevice(devices, '/dev/fwctl/fwctl1').name).toBe('fwctl1');
  });

  it('a short address only expands to domain 0000', () => {
    // 02:00.0 is on domain 0001 here, so the short form does not name it.
    expect(thrown(() => selectDevice(devices, '02:00.0')).code).toBe('ACCELCTL_E_DEVICE_NOT_FOUND');
  });
});

describe('selectDevice errors', () => {
  it('not found: ACCELCTL_E_DEVICE_NOT_FOUND, exit code 3, hint lists the devices', () => {
    const error = thrown(() => selectDevice(devices, 'fwctl7'));
    expect(error.code).toBe('ACCELCTL_E_DEVICE_NOT_FOUND');
    expect(error.exitCode).toBe(3);
    expect(error.message).toContain('fwctl7');
    for (const name of ['fwctl0', 'fwctl1', 'fwctl2', 'fwctl10']) expect(error.hint).toContain(name);
  });

  it.each(['', 'mem1', '3b:00.1', '/dev/fwctl/fwctl9', 'mt2328x01234', 'fwctl'])('no match for %j', (selector) => {
    expect(thrown(() => selectDevice(devices, selector)).code).toBe('ACCELCTL_E_DEVICE_NOT_FOUND');
  });

  it('with no devices at all the hint says so', () => {
    const error = thrown(() => selectDevice([], 'fwctl0'));
    expect(error.code).toBe('ACCELCTL_E_DEVICE_NOT_FOUND');
    expect(error.exitCode).toBe(3);
    expect(error.hint).toMatch(/no fwctl devices/);
  });

  it('ambiguous (two functions of one card share a VPD serial): ACCELCTL_E_USAGE naming both', () => {
    const twoPorts = [
      entry('fwctl0', { pci: '0000:3b:00.0', serial: 'MT2328X01234' }),
      entry('fwctl1', { pci: '0000:3b:00.1', serial: 'MT2328X01234' }),
    ];
    const error = thrown(() => selectDevice(twoPorts, 'MT2328X01234'));
    expect(error.code).toBe('ACCELCTL_E_USAGE');
    expect(error.exitCode).toBe(2);
    expect(error.message).toContain('fwctl0');
    expect(error.message).toContain('fwctl1');
    expect(error.hint).toMatch(/fwctlN/);
    // The fwctl name still picks one.
    expect(selectDevice(twoPorts, 'fwctl1').pci).toBe('0000:3b:00.1');
  });
});
