/**
 * `accelctl info DEV`: what FWCTL_INFO and sysfs say about one device, with the
 * driver's device data decoded by the plugin.
 */
import type { Command } from 'commander';
import { readTaint } from '../core/privilege';
import { toHex } from '../sdk/hex';
import { fields } from '../sdk/view';
import { DEVICE_TYPES } from '../transport/uapi';
import { action } from '../cli/action';
import { DEVICE_ARG_HELP } from '../cli/plugin-commands';

export function register(program: Command): void {
  program
    .command('info')
    .description('Show fwctl information for a device: type, parent, driver, and the decoded FWCTL_INFO device data')
    .argument('<device>', DEVICE_ARG_HELP)
    .action(
      action(async (runtime, [selector]) => {
        const app = await runtime.app();
        const device = await app.openSelected(String(selector));
        const { entry, info, plugin } = device;
        const decoded = plugin.protocol.decodeInfo?.(info.deviceData) ?? {};
        const taint = readTaint(app.env.root);
        const body = {
          device: entry.name,
          path: entry.path,
          plugin: plugin.meta.name,
          device_type: info.deviceType,
          device_type_name: DEVICE_TYPES[info.deviceType] ?? 'unknown',
          pci: entry.pci ?? null,
          memdev: entry.memdev ?? null,
          driver: entry.driver ?? null,
          vendor_id: entry.vendorId === undefined ? null : `0x${entry.vendorId.toString(16).padStart(4, '0')}`,
          device_id: entry.deviceId === undefined ? null : `0x${entry.deviceId.toString(16).padStart(4, '0')}`,
          serial: entry.serial ?? null,
          firmware_version: entry.firmwareVersion ?? null,
          device_data: toHex(info.deviceData),
          device_data_decoded: decoded,
          kernel_tainted_fwctl: taint?.fwctl ?? null,
        };
        await runtime.output.result(body, () => [
          fields(undefined, [
            ['device', body.device],
            ['path', body.path],
            ['plugin', body.plugin],
            ['device type', `${body.device_type} (${body.device_type_name})`],
            ['pci', body.pci],
            ...(body.memdev ? ([['memdev', body.memdev]] as const) : []),
            ['driver', body.driver],
            ['vendor:device', `${body.vendor_id}:${body.device_id}`],
            ['serial', body.serial],
            ...(body.firmware_version ? ([['firmware (sysfs)', body.firmware_version]] as const) : []),
            ['device data', body.device_data || '(none)'],
            ['kernel fwctl taint', body.kernel_tainted_fwctl],
          ]),
          ...(Object.keys(decoded).length
            ? [fields(`${plugin.meta.name} device data`, Object.entries(decoded).map(([k, v]) => [k, typeof v === 'object' ? JSON.stringify(v) : (v as string)] as const))]
            : []),
        ]);
      }),
    );
}
