/**
 * `accelctl list`: every fwctl device with its plugin and identity. Identity
 * comes from sysfs (PCI address, VPD serial) and the plugin's inspect-only
 * identify(); one device failing shows its error in its row, the rest still list.
 */
import type { Command } from 'commander';
import type { App } from '../core/app';
import type { DeviceEntry } from '../core/discovery';
import { isAccelError } from '../core/errors';
import { table } from '../sdk/view';
import { action } from '../cli/action';

export interface ListedDevice {
  name: string;
  path: string;
  plugin: string | null;
  device_type: number | null;
  pci: string | null;
  model: string | null;
  firmware: string | null;
  serial: string | null;
  driver: string | null;
  error?: { code: string; message: string };
}

export async function describeForList(app: App, entry: DeviceEntry): Promise<ListedDevice> {
  const base: ListedDevice = {
    name: entry.name,
    path: entry.path,
    plugin: null,
    device_type: null,
    pci: entry.pci ?? null,
    model: entry.boardName ?? null,
    firmware: null,
    serial: entry.serial ?? null,
    driver: entry.driver ?? null,
  };
  try {
    const device = await app.open(entry, { inspectOnly: true, dryRun: false });
    base.plugin = device.plugin.meta.name;
    base.device_type = device.info.deviceType;
    const identity = device.plugin.identify ? await device.plugin.identify(device.pipeline.commandContext()) : {};
    base.model = identity.model ?? base.model;
    base.firmware = identity.firmware ?? null;
    base.serial = base.serial ?? identity.serial ?? null;
  } catch (error) {
    if (!isAccelError(error)) throw error;
    base.error = { code: error.code, message: error.message };
  }
  return base;
}

export function register(program: Command): void {
  program
    .command('list')
    .description('List fwctl devices with their plugin, PCI address, model, firmware and serial')
    .action(
      action(async (runtime) => {
        const app = await runtime.app();
        const devices = await Promise.all(app.devices().map((entry) => describeForList(app, entry)));
        await runtime.output.result({ devices }, () => [
          table(
            undefined,
            ['NAME', 'PLUGIN', 'PCI', 'MODEL', 'FIRMWARE', 'SERIAL'],
            devices.map((d) => [d.name, d.plugin, d.pci, d.model, d.error ? `error: ${d.error.message}` : d.firmware, d.serial]),
            runtime.globals.sim ? 'no simulated devices' : "no fwctl devices found (is the fwctl module loaded?); try 'accelctl --sim list'",
          ),
        ]);
      }),
    );
}
