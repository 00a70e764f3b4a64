/**
 * A simulated fleet is a directory that mirrors the real paths, so discovery runs
 * the same code on both:
 *
 *   DIR/.accelctl-sim                         marker (what `--force` may delete)
 *   DIR/sys/devices/pci0000:00/0000:00:0N.0/0000:BB:00.0/   PCI function (vendor, device, class, vpd, driver ->)
 *   DIR/sys/devices/.../0000:BB:00.0[/memM]/fwctl/fwctlN/   the fwctl class device (dev, uevent, device ->)
 *   DIR/sys/class/fwctl/fwctlN -> ../../devices/.../fwctl/fwctlN
 *   DIR/sys/bus/pci/drivers/<driver>/
 *   DIR/dev/fwctl/fwctlN                      the device's persistent state (JSON)
 *   DIR/proc/sys/kernel/{tainted,osrelease}
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { AccelError } from '../core/errors';
import { loadAllPlugins, loadPlugin, loadSimulator, pluginNames } from '../core/plugins';
import { buildVpd } from '../core/vpd';
import type { Plugin } from '../sdk/plugin';
import { flushRpcLogs, writeDeviceState, writeFileAtomic, type DeviceState } from './state-store';

export const SIM_MARKER = '.accelctl-sim';
/** Char-device major the fleet pretends fwctl got (dynamic on a real system). */
const FWCTL_MAJOR = 236;

export interface FleetEntry {
  plugin: string;
  count: number;
}

export interface FleetOptions {
  fleet: FleetEntry[];
  latencyMs: number;
  force: boolean;
  /** Where plugins come from (the registry; the conformance kit passes the plugin it checks). */
  resolvePlugin?: (name: string) => Promise<Plugin>;
}

export interface CreatedDevice {
  name: string;
  plugin: string;
  pci: string;
  serial: string;
}

export function defaultSimDir(): string {
  const state = process.env.XDG_STATE_HOME || join(homedir(), '.local', 'state');
  return join(state, 'accelctl', 'sim');
}

/** One device of every plugin that has a simulated device. */
export async function defaultFleet(): Promise<FleetEntry[]> {
  return (await loadAllPlugins()).filter((p) => p.simulator).map((p) => ({ plugin: p.meta.name, count: 1 }));
}

/** Parse `mlx5=2,cxl=1` (a bare name means one device). */
export function parseFleetSpec(spec: string): FleetEntry[] {
  const entries: FleetEntry[] = [];
  for (const part of spec.split(',').map((s) => s.trim()).filter(Boolean)) {
    const match = /^([a-z][a-z0-9-]*)(?:=(\d+))?$/.exec(part);
    if (!match) {
      throw new AccelError('ACCELCTL_E_USAGE', `bad fleet entry '${part}'`, { hint: 'write PLUGIN=COUNT[,PLUGIN=COUNT...], e.g. mlx5=2,cxl=1' });
    }
    const count = match[2] === undefined ? 1 : Number(match[2]);
    if (count < 1 || count > 1024) throw new AccelError('ACCELCTL_E_USAGE', `fleet count for ${match[1]} must be 1..1024`);
    if (!pluginNames().includes(match[1]!)) {
      throw new AccelError('ACCELCTL_E_USAGE', `no plugin named '${match[1]}'`, { hint: `known plugins: ${pluginNames().join(', ')}` });
    }
    entries.push({ plugin: match[1]!, count });
  }
  if (entries.length === 0) throw new AccelError('ACCELCTL_E_USAGE', 'the fleet is empty');
  return entries;
}

function prepareDirectory(dir: string, force: boolean): void {
  if (!existsSync(dir)) return;
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new AccelError('ACCELCTL_E_SIM', code === 'ENOTDIR' ? `${dir} is a file, not a simulated fleet` : `cannot read ${dir}: ${code ?? String(error)}`, {
      hint: 'choose an empty or new directory',
    });
  }
  if (entries.length === 0) return;
  if (!entries.includes(SIM_MARKER)) {
    throw new AccelError('ACCELCTL_E_SIM', `${dir} exists and is not a simulated fleet; refusing to touch it`, {
      hint: 'choose an empty or new directory',
    });
  }
  if (!force) {
    throw new AccelError('ACCELCTL_E_SIM', `a simulated fleet already exists in ${dir}`, { hint: 'add --force to replace it' });
  }
  rmSync(dir, { recursive: true, force: true });
}

function hex(value: number, digits: number): string {
  return `0x${value.toString(16).padStart(digits, '0')}\n`;
}

/**
 * Build the fleet in a sibling temporary directory and rename it into place, so a
 * fleet is either complete or absent, and two processes creating the default
 * fleet at once do not trip over each other.
 */
export async function createFleet(finalDir: string, options: FleetOptions): Promise<CreatedDevice[]> {
  // Counts still pending for a fleet about to be replaced go to its old files, not the new ones.
  flushRpcLogs();
  prepareDirectory(finalDir, options.force);
  mkdirSync(dirname(finalDir), { recursive: true });
  const dir = `${finalDir}.${process.pid}.tmp`;
  rmSync(dir, { recursive: true, force: true });
  try {
    const created = await populateFleet(dir, options);
    try {
      if (existsSync(finalDir) && readdirSync(finalDir).length === 0) rmSync(finalDir, { recursive: true });
      renameSync(dir, finalDir);
    } catch (error) {
      // Another process won the race: its fleet is as good as ours.
      if (existsSync(join(finalDir, SIM_MARKER))) return created;
      throw error;
    }
    return created;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function populateFleet(dir: string, options: FleetOptions): Promise<CreatedDevice[]> {
  mkdirSync(join(dir, 'dev/fwctl'), { recursive: true });
  mkdirSync(join(dir, 'sys/class/fwctl'), { recursive: true });
  mkdirSync(join(dir, 'proc/sys/kernel'), { recursive: true });
  writeFileSync(join(dir, 'proc/sys/kernel/tainted'), '0\n');
  writeFileSync(join(dir, 'proc/sys/kernel/osrelease'), '6.18.0-accelctl-sim\n');

  const created: CreatedDevice[] = [];
  let index = 0;
  let memdevIndex = 0;
  for (const entry of options.fleet) {
    const plugin = await (options.resolvePlugin ?? loadPlugin)(entry.plugin);
    const sim = await loadSimulator(plugin);
    for (let n = 0; n < entry.count; n++, index++) {
      const name = `fwctl${index}`;
      const bus = (0x17 + index) & 0xff;
      const pci = `0000:${bus.toString(16).padStart(2, '0')}:00.0`;
      const rootPort = `0000:00:${((index % 31) + 1).toString(16).padStart(2, '0')}.0`;
      const pciDir = join(dir, 'sys/devices/pci0000:00', rootPort, pci);
      const serial = `${plugin.meta.name.toUpperCase()}${(0x5a000 + index * 7919).toString(16).toUpperCase()}S${String(index).padStart(4, '0')}`;

      mkdirSync(pciDir, { recursive: true });
      writeFileSync(join(pciDir, 'vendor'), hex(sim.pci.vendor, 4));
      writeFileSync(join(pciDir, 'device'), hex(sim.pci.device, 4));
      writeFileSync(join(pciDir, 'subsystem_vendor'), hex(sim.pci.subsystemVendor ?? sim.pci.vendor, 4));
      writeFileSync(join(pciDir, 'subsystem_device'), hex(sim.pci.subsystemDevice ?? sim.pci.device, 4));
      writeFileSync(join(pciDir, 'class'), hex(sim.pci.classCode, 6));
      writeFileSync(join(pciDir, 'numa_node'), '0\n');
      writeFileSync(join(pciDir, 'vpd'), buildVpd(sim.model, { PN: `SIM-${plugin.meta.name.toUpperCase()}-${sim.pci.device.toString(16)}`, SN: serial, EC: 'A1' }));
      const driverDir = join(dir, 'sys/bus/pci/drivers', sim.pci.driver);
      mkdirSync(driverDir, { recursive: true });
      symlinkSync(relative(pciDir, driverDir), join(pciDir, 'driver'));

      let parentDir = pciDir;
      if (sim.topology === 'cxl-memdev') {
        parentDir = join(pciDir, `mem${memdevIndex++}`);
        mkdirSync(parentDir, { recursive: true });
        writeFileSync(join(parentDir, 'serial'), hex(Number.parseInt(serial.replace(/\D/g, '').slice(-8) || '0', 10), 16));
        if (sim.memdevFirmwareVersion) writeFileSync(join(parentDir, 'firmware_version'), `${sim.memdevFirmwareVersion}\n`);
      }
      const classDevice = join(parentDir, 'fwctl', name);
      mkdirSync(classDevice, { recursive: true });
      writeFileSync(join(classDevice, 'dev'), `${FWCTL_MAJOR}:${index}\n`);
      writeFileSync(join(classDevice, 'uevent'), `MAJOR=${FWCTL_MAJOR}\nMINOR=${index}\nDEVNAME=fwctl/${name}\n`);
      symlinkSync(relative(classDevice, parentDir), join(classDevice, 'device'));
      symlinkSync(relative(join(dir, 'sys/class/fwctl'), classDevice), join(dir, 'sys/class/fwctl', name));

      const state: DeviceState = {
        schema_version: 1,
        plugin: plugin.meta.name,
        device_type: plugin.meta.deviceType,
        serial,
        latency_ms: options.latencyMs,
        faults: [],
        stats: { requested: { configuration: 0, debug_read_only: 0, debug_write: 0, debug_write_full: 0 }, refused: 0 },
        firmware: sim.create({ index, serial }),
      };
      writeDeviceState(join(dir, 'dev/fwctl', name), state);
      created.push({ name, plugin: plugin.meta.name, pci, serial });
    }
  }
  // Written last: a fleet without its marker is one that was never completed.
  writeFileAtomic(join(dir, SIM_MARKER), `${JSON.stringify({ schema_version: 1, created: new Date().toISOString(), devices: created.length })}\n`);
  return created;
}

/** Create the default fleet in `dir` unless it already holds one. */
export async function ensureFleet(dir: string): Promise<void> {
  if (existsSync(join(dir, SIM_MARKER))) return;
  await createFleet(dir, { fleet: await defaultFleet(), latencyMs: 0, force: false });
}
