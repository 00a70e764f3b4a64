/**
 * `accelctl list`: every fwctl device with its plugin and identity. Identity
 * comes from sysfs (PCI address, VPD serial) and the plugin's inspect-only
 * identify(); a device that fails says so in its row (the reason under the table),
 * the rest still list.
 */
import type { Command } from 'commander';
import type { App } from '../core/app';
import type { DeviceEntry } from '../core/discovery';
import { isAccelError, withoutDevicePrefix } from '../core/errors';
import { note, table } from '../sdk/view';
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

const STOPPED_ANSWERING = new Set(['ACCELCTL_E_TIMEOUT', 'ACCELCTL_E_DEVICE_GONE']);

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
    base.firmware = identity.firmware ?? entry.firmwareVersion ?? null;
    base.serial = base.serial ?? identity.serial ?? null;
    // identify() may be best effort (a register older firmware lacks must not hide the
    // rest) and swallow its RPCs' errors. The device has failed all the same when it
    // stopped answering, or when nothing could be learned from it.
    const failure = device.pipeline.firstFailure;
    if (failure && (STOPPED_ANSWERING.has(failure.code) || Object.values(identity).every((v) => v === undefined))) {
      base.error = { code: failure.code, message: failure.message };
    }
  } catch (error) {
    if (!isAccelError(error)) throw error;
    // The reasons are listed under the table together: each names its device once.
    base.error = { code: error.code, message: `${entry.name}: ${withoutDevicePrefix(error.message, entry.name)}` };
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
        const failed = devices.filter((d) => d.error);
        await runtime.output.result({ devices }, () => [
          table(
            undefined,
            ['NAME', 'PLUGIN', 'PCI', 'MODEL', 'FIRMWARE', 'SERIAL'],
            devices.map((d) => [d.name, d.plugin, d.pci, d.model, d.error ? 'error' : d.firmware, d.serial]),
            runtime.globals.sim ? 'no simulated devices' : "no fwctl devices found (is the fwctl module loaded?); try 'accelctl --sim list'",
          ),
          // Under the table, not in it: one long message would widen every row.
          ...(failed.length ? [note(failed.map((d) => d.error!.message).join('\n'), 'warn')] : []),
        ]);
      }),
    );
}
