/**
 * One invocation's view of the world: where devices are (a host root or a
 * simulated fleet), which transport reaches them, and the policy the operator
 * chose on the command line. Commands get devices from here, already paired with
 * their plugin and an RPC pipeline.
 */
import { AccelError } from './errors';
import { discoverDevices, type DeviceEntry } from './discovery';
import { errnoToError } from './errno';
import { DevicePipeline, type PolicyOptions } from './pipeline';
import { pluginForDeviceType } from './plugins';
import { selectDevice } from './selector';
import type { Plugin } from '../sdk/plugin';
import { FwctlErrno, type FwctlHandle, type FwctlInfo, type Transport } from '../transport/types';
import { DEVICE_TYPES } from '../transport/uapi';

export interface Environment {
  /** Prefix for /sys, /dev and /proc ('/' on a host). */
  root: string;
  transport: Transport;
  simulated: boolean;
}

export interface OpenDevice {
  entry: DeviceEntry;
  handle: FwctlHandle;
  info: FwctlInfo;
  plugin: Plugin;
  pipeline: DevicePipeline;
}

export class App {
  private entries: DeviceEntry[] | undefined;

  constructor(
    readonly env: Environment,
    readonly policy: PolicyOptions,
  ) {}

  devices(): DeviceEntry[] {
    this.entries ??= discoverDevices(this.env.root);
    return this.entries;
  }

  select(selector: string): DeviceEntry {
    return selectDevice(this.devices(), selector);
  }

  async open(entry: DeviceEntry, policy: Partial<PolicyOptions> = {}): Promise<OpenDevice> {
    let handle: FwctlHandle;
    let info: FwctlInfo;
    try {
      handle = await this.env.transport.open(entry.path, { inspectOnly: policy.inspectOnly ?? this.policy.inspectOnly });
      info = await handle.info();
    } catch (error) {
      if (error instanceof FwctlErrno) throw errnoToError(error, { device: entry.name });
      throw error;
    }
    const plugin = await pluginForDeviceType(info.deviceType);
    if (!plugin) {
      const known = DEVICE_TYPES[info.deviceType];
      throw new AccelError('ACCELCTL_E_PLUGIN', `${entry.name}: no plugin for fwctl device type ${info.deviceType}${known ? ` (${known})` : ''}`, {
        hint: "see 'accelctl plugin list' for installed plugins",
      });
    }
    return { entry, handle, info, plugin, pipeline: new DevicePipeline(entry, handle, plugin, { ...this.policy, ...policy }) };
  }

  async openSelected(selector: string, policy: Partial<PolicyOptions> = {}): Promise<OpenDevice> {
    return this.open(this.select(selector), policy);
  }
}
