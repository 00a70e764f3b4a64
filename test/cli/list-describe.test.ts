/**
 * src/commands/list.ts describeForList: one row per device, whatever its plugin's
 * identify() does. A reason listed under the table names its device even when the
 * error came from a plugin's decoder, which does not know the device.
 */
import { describe, expect, it } from 'vitest';
import type { App } from '../../src/core/app';
import type { DeviceEntry } from '../../src/core/discovery';
import { AccelError, malformedReply } from '../../src/core/errors';
import { describeForList } from '../../src/commands/list';

const entry: DeviceEntry = {
  name: 'fwctl3',
  path: '/dev/fwctl/fwctl3',
  sysfsPath: '/sys/class/fwctl/fwctl3',
  pci: '0000:17:00.0',
  memdev: undefined,
  vendorId: 0x15b3,
  deviceId: 0x1021,
  driver: 'mlx5_core',
  serial: 'SN1',
  boardName: 'Board from VPD',
};

/** An App whose one device answers FWCTL_INFO and runs `identify` as its plugin's. */
function appWith(identify: () => Promise<Record<string, string | undefined>>, firstFailure?: AccelError): App {
  const device = {
    plugin: { meta: { name: 'mlx5' }, identify },
    info: { deviceType: 1 },
    pipeline: { firstFailure, commandContext: () => ({}) },
  };
  return { open: async () => device } as unknown as App;
}

describe('describeForList', () => {
  it('lists what identify learned', async () => {
    const row = await describeForList(appWith(async () => ({ model: 'ConnectX-7', firmware: '28.39.1002' })), entry);
    expect(row).toMatchObject({ name: 'fwctl3', plugin: 'mlx5', device_type: 1, model: 'ConnectX-7', firmware: '28.39.1002', serial: 'SN1' });
    expect(row.error).toBeUndefined();
  });

  it('names the device in the reason when a decoder in identify threw', async () => {
    const row = await describeForList(
      appWith(async () => {
        throw malformedReply('query_adapter_out: need 256 bytes at offset 0, have 16');
      }),
      entry,
    );
    expect(row.error).toEqual({ code: 'ACCELCTL_E_MALFORMED_REPLY', message: 'fwctl3: query_adapter_out: need 256 bytes at offset 0, have 16' });
    // What sysfs said stays.
    expect(row).toMatchObject({ model: 'Board from VPD', serial: 'SN1', firmware: null });
  });

  it('does not name the device twice', async () => {
    const row = await describeForList(
      appWith(async () => {
        throw new AccelError('ACCELCTL_E_DEVICE_STATUS', 'fwctl3: QUERY_ADAPTER failed in the device: BAD_OP (status 0x2)');
      }),
      entry,
    );
    expect(row.error?.message).toBe('fwctl3: QUERY_ADAPTER failed in the device: BAD_OP (status 0x2)');
  });

  it('a device whose identify swallowed every failure is still shown as failed', async () => {
    const failure = new AccelError('ACCELCTL_E_TIMEOUT', 'fwctl3: QUERY_ADAPTER timed out after 300 ms');
    const row = await describeForList(appWith(async () => ({}), failure), entry);
    expect(row.error).toEqual({ code: 'ACCELCTL_E_TIMEOUT', message: 'fwctl3: QUERY_ADAPTER timed out after 300 ms' });
  });
});
