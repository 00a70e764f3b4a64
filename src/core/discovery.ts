/**
 * Find fwctl devices under a root prefix ('/' on a host, the fleet directory for
 * simulated devices, a host mount in a container): /sys/class/fwctl/fwctlN, its
 * `device` link to the parent (the PCI function, or the CXL memdev whose parent
 * is the PCI function), and what sysfs says about that function. No sysfs file
 * names the fwctl device type: that comes from FWCTL_INFO, later.
 */
import { readFileSync, readdirSync, readlinkSync, realpathSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { AccelError } from './errors';
import { parseVpd } from './vpd';

export interface DeviceEntry {
  /** fwctl0 */
  name: string;
  /** ROOT/dev/fwctl/fwctl0 */
  path: string;
  /** The fwctl class device's sysfs directory. */
  sysfsPath: string;
  /** PCI address of the function, e.g. 0000:3b:00.0. */
  pci: string | undefined;
  /** memN for CXL devices. */
  memdev: string | undefined;
  vendorId: number | undefined;
  deviceId: number | undefined;
  /** PCI driver bound to the function (mlx5_core, cxl_pci, ...). */
  driver: string | undefined;
  serial: string | undefined;
  /** Board name from VPD. */
  boardName: string | undefined;
  /**
   * A CXL memdev's `firmware_version`: the FW revision the kernel read with Identify
   * Memory Device. The cxl fwctl interface cannot ask for it (Get FW Info is not in
   * its allow-list), so this is the only place accelctl learns it.
   */
  firmwareVersion?: string;
}

// Domains can be wider than four digits (Intel VMD uses 10000 and up).
const PCI_ADDRESS = /^[0-9a-f]{4,8}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]$/;

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return undefined;
  }
}

function readHexNumber(path: string): number | undefined {
  const text = readText(path);
  if (text === undefined) return undefined;
  const value = Number.parseInt(text, 16);
  return Number.isFinite(value) ? value : undefined;
}

function linkName(path: string): string | undefined {
  try {
    return basename(readlinkSync(path));
  } catch {
    return undefined;
  }
}

function fwctlIndex(name: string): number {
  return Number(/(\d+)$/.exec(name)?.[1] ?? Number.MAX_SAFE_INTEGER);
}

export function describeDevice(root: string, name: string): DeviceEntry {
  const classDir = join(root, 'sys/class/fwctl', name);
  let parent: string | undefined;
  try {
    // The native realpath(3): one call, where the JavaScript one lstat()s every path component.
    parent = realpathSync.native(join(classDir, 'device'));
  } catch {
    parent = undefined;
  }
  let memdev: string | undefined;
  let pciDir = parent;
  if (parent && /^mem\d+$/.test(basename(parent))) {
    memdev = basename(parent);
    pciDir = dirname(parent);
  }
  const pci = pciDir && PCI_ADDRESS.test(basename(pciDir)) ? basename(pciDir) : undefined;
  let serial: string | undefined;
  let boardName: string | undefined;
  if (pci && pciDir) {
    try {
      const vpd = parseVpd(readFileSync(join(pciDir, 'vpd')));
      serial = vpd.keywords.SN || undefined;
      boardName = vpd.identifier || undefined;
    } catch {
      // Many functions have no readable VPD (or need root); the serial is optional.
    }
  }
  if (!serial && memdev && parent) serial = readText(join(parent, 'serial'));
  const firmwareVersion = memdev && parent ? readText(join(parent, 'firmware_version')) || undefined : undefined;
  return {
    name,
    path: join(root, 'dev/fwctl', name),
    sysfsPath: classDir,
    pci,
    memdev,
    vendorId: pciDir ? readHexNumber(join(pciDir, 'vendor')) : undefined,
    deviceId: pciDir ? readHexNumber(join(pciDir, 'device')) : undefined,
    driver: pciDir ? linkName(join(pciDir, 'driver')) : undefined,
    serial,
    boardName,
    ...(firmwareVersion ? { firmwareVersion } : {}),
  };
}

/** Every fwctl device under `root`, in minor-number order. */
export function discoverDevices(root: string): DeviceEntry[] {
  const classRoot = join(root, 'sys/class/fwctl');
  let names: string[];
  try {
    names = readdirSync(classRoot);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // No fwctl class here (the module is not loaded, or this root is not a sysfs tree).
    if (code === 'ENOENT' || code === 'ENOTDIR') return [];
    throw new AccelError('ACCELCTL_E_IO', `cannot list ${classRoot}: ${code ?? String(error)}`, { hint: code === 'EACCES' ? 'check the permissions of that directory' : undefined });
  }
  return names
    .filter((name) => /^fwctl\d+$/.test(name))
    .sort((a, b) => fwctlIndex(a) - fwctlIndex(b))
    .map((name) => describeDevice(root, name));
}
