/**
 * src/core/discovery.ts against a fake sysfs tree laid out as the kernel does:
 *   ROOT/sys/class/fwctl/fwctlN → ../../devices/…/<parent>/fwctl/fwctlN
 *   …/fwctl/fwctlN/device → ../../ (the PCI function, or the CXL memdev memN)
 *   <pci>/driver → ../../../../bus/pci/drivers/<name>
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { describeDevice, discoverDevices } from '../../src/core/discovery';
import { buildVpd } from '../../src/core/vpd';

let root: string;

/** Make a relative symlink at `at` pointing to the absolute `target`, as sysfs does. */
function link(target: string, at: string): void {
  mkdirSync(dirname(at), { recursive: true });
  symlinkSync(relative(dirname(at), target), at);
}

interface Fn {
  pciPath: string; // under sys/devices
  vendor: string;
  device: string;
  driver?: string;
  vpd?: Uint8Array;
}

function pciFunction(fn: Fn): string {
  const dir = join(root, 'sys/devices', fn.pciPath);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'vendor'), `${fn.vendor}\n`);
  writeFileSync(join(dir, 'device'), `${fn.device}\n`);
  if (fn.vpd) writeFileSync(join(dir, 'vpd'), fn.vpd);
  if (fn.driver) {
    mkdirSync(join(root, 'sys/bus/pci/drivers', fn.driver), { recursive: true });
    link(join(root, 'sys/bus/pci/drivers', fn.driver), join(dir, 'driver'));
  }
  return dir;
}

/** ROOT/…/parent/fwctl/<name> with device → ../../, and the class link. */
function fwctl(parentDir: string, name: string, relativeDeviceLink = true): void {
  const dir = join(parentDir, 'fwctl', name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'dev'), '240:0\n');
  if (relativeDeviceLink) symlinkSync('../../', join(dir, 'device'));
  else symlinkSync(parentDir, join(dir, 'device'));
  link(dir, join(root, 'sys/class/fwctl', name));
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'accelctl-sysfs-'));
  // mlx5: ConnectX-7 with VPD.
  const mlx = pciFunction({
    pciPath: 'pci0000:00/0000:00:01.0/0000:3b:00.0',
    vendor: '0x15b3',
    device: '0x1021',
    driver: 'mlx5_core',
    vpd: buildVpd('NVIDIA ConnectX-7 HHHL Adapter Card', { PN: 'MCX75310AAS-NEAT', EC: 'AB', SN: 'MT2328X01234', V2: 'x' }),
  });
  fwctl(mlx, 'fwctl0');
  // CXL: memdev mem0 under the PCI function; serial from the memdev.
  const cxl = pciFunction({ pciPath: 'pci0000:5d/0000:5d:00.0/0000:5e:00.0', vendor: '0x8086', device: '0x0d93', driver: 'cxl_pci' });
  const mem0 = join(cxl, 'mem0');
  mkdirSync(mem0, { recursive: true });
  writeFileSync(join(mem0, 'serial'), '0x1234abcd\n');
  // drivers/cxl/core/memdev.c firmware_version_show: "%.16s\n" of Identify's FW Revision.
  writeFileSync(join(mem0, 'firmware_version'), 'BWFW VERSION 00\n');
  fwctl(mem0, 'fwctl1');
  // pds: no VPD file, absolute device link; minor 2.
  const pds = pciFunction({ pciPath: 'pci0000:a0/0000:a0:02.0/0000:af:00.1', vendor: '0x1dd8', device: '0x100c', driver: 'pds_core' });
  fwctl(pds, 'fwctl2', false);
  // bnxt: minor 10 — must sort after fwctl2; VPD without SN; no driver bound.
  const bnxt = pciFunction({ pciPath: 'pci0000:c0/0000:c0:01.0/0000:c1:00.0', vendor: '0x14e4', device: '0x1760', vpd: buildVpd('BCM57608', { PN: 'BCM957608' }) });
  fwctl(bnxt, 'fwctl10');
  // Noise in the class dir that is not a fwctl device.
  mkdirSync(join(root, 'sys/class/fwctl/power'), { recursive: true });
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('discoverDevices', () => {
  it('lists fwctl devices in minor-number order (fwctl10 after fwctl2), ignoring other entries', () => {
    expect(discoverDevices(root).map((d) => d.name)).toEqual(['fwctl0', 'fwctl1', 'fwctl2', 'fwctl10']);
  });

  it('describes an mlx5 PCI function: address, ids, driver, VPD serial and board name', () => {
    const [d] = discoverDevices(root);
    expect(d).toEqual({
      name: 'fwctl0',
      path: join(root, 'dev/fwctl/fwctl0'),
      sysfsPath: join(root, 'sys/class/fwctl/fwctl0'),
      pci: '0000:3b:00.0',
      memdev: undefined,
      vendorId: 0x15b3,
      deviceId: 0x1021,
      driver: 'mlx5_core',
      serial: 'MT2328X01234',
      boardName: 'NVIDIA ConnectX-7 HHHL Adapter Card',
    });
  });

  it('describes a CXL memdev: memN, the parent PCI function, and the memdev serial', () => {
    const d = discoverDevices(root).find((e) => e.name === 'fwctl1')!;
    expect(d).toMatchObject({
      memdev: 'mem0',
      pci: '0000:5e:00.0',
      vendorId: 0x8086,
      deviceId: 0x0d93,
      driver: 'cxl_pci',
      serial: '0x1234abcd',
      boardName: undefined,
      firmwareVersion: 'BWFW VERSION 00',
    });
  });

  it("reads firmware_version only from a CXL memdev (a PCI function's is not the device's firmware)", () => {
    const byName = Object.fromEntries(discoverDevices(root).map((d) => [d.name, d]));
    for (const name of ['fwctl0', 'fwctl2', 'fwctl10']) expect(byName[name]!.firmwareVersion, name).toBeUndefined();
  });

  it('handles a function without VPD and one without a bound driver or SN', () => {
    const byName = Object.fromEntries(discoverDevices(root).map((d) => [d.name, d]));
    expect(byName.fwctl2).toMatchObject({ pci: '0000:af:00.1', vendorId: 0x1dd8, deviceId: 0x100c, driver: 'pds_core', serial: undefined, memdev: undefined });
    expect(byName.fwctl10).toMatchObject({ pci: '0000:c1:00.0', vendorId: 0x14e4, driver: undefined, serial: undefined, boardName: 'BCM57608' });
  });

  it('returns [] for a root without sys/class/fwctl', () => {
    const empty = mkdtempSync(join(tmpdir(), 'accelctl-empty-'));
    try {
      expect(discoverDevices(empty)).toEqual([]);
      mkdirSync(join(empty, 'sys/class'), { recursive: true });
      expect(discoverDevices(empty)).toEqual([]);
      // A root that is not a sysfs tree at all (sys/class/fwctl a file): no devices, not "internal error: ENOTDIR".
      writeFileSync(join(empty, 'sys/class/fwctl'), '');
      expect(discoverDevices(empty)).toEqual([]);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('returns [] for an empty sys/class/fwctl', () => {
    const empty = mkdtempSync(join(tmpdir(), 'accelctl-empty-'));
    try {
      mkdirSync(join(empty, 'sys/class/fwctl'), { recursive: true });
      expect(discoverDevices(empty)).toEqual([]);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});

describe('describeDevice', () => {
  it('a class entry whose device link is dangling gives an entry with no PCI facts, not an exception', () => {
    const dir = join(root, 'sys/devices/virtual/fwctl/fwctl7');
    mkdirSync(dir, { recursive: true });
    symlinkSync('../../nowhere', join(dir, 'device'));
    link(dir, join(root, 'sys/class/fwctl/fwctl7'));
    try {
      expect(describeDevice(root, 'fwctl7')).toMatchObject({
        name: 'fwctl7',
        pci: undefined,
        memdev: undefined,
        vendorId: undefined,
        deviceId: undefined,
        driver: undefined,
        serial: undefined,
      });
      expect(discoverDevices(root).map((d) => d.name)).toEqual(['fwctl0', 'fwctl1', 'fwctl2', 'fwctl7', 'fwctl10']);
    } finally {
      rmSync(join(root, 'sys/class/fwctl/fwctl7'));
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
