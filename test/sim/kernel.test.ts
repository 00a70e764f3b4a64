/**
 * The simulated kernel applies the fwctl core rules of drivers/fwctl/main.c:
 * struct sizes, the 2 MiB limit, scope values, CAP_SYS_RAWIO for
 * DEBUG_WRITE_FULL, and taint for the *requested* scope before the driver
 * validates the RPC.
 */
import { existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Scope } from '../../src/core/scope';
import { SimKernel } from '../../src/sim/kernel';
import { readDeviceState, readDeviceStats, STATE_RECHECK_MS, updateDeviceState } from '../../src/sim/state-store';
import { UserMemory } from '../../src/sim/user-memory';
import { FwctlErrno } from '../../src/transport/types';
import { FWCTL_INFO, FWCTL_RPC, FwctlInfoStruct, FwctlRpcStruct } from '../../src/transport/uapi';
import { DemoReply, demoSimulator, req } from '../fixtures/demo-plugin';
import { demoFleet } from '../fixtures/demo-fleet';

const taintOf = (root: string) => Number(readFileSync(join(root, 'proc/sys/kernel/tainted'), 'utf8'));
const TAINT_FWCTL = 1 << 19;

async function errnoOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof FwctlErrno) return error.errno;
    throw error;
  }
  return 'ok';
}

function rawRpc(
  root: string,
  device: string,
  fields: Partial<Record<'size' | 'scope' | 'in_len' | 'out_len', number>>,
  input = req(1),
  structBytes = 32,
  tweak: (arg: Uint8Array) => void = () => undefined,
) {
  const kernel = new SimKernel(root, async () => demoSimulator as never);
  const file = kernel.open(device);
  const memory = new UserMemory();
  const out = new Uint8Array(64);
  const arg = new Uint8Array(structBytes);
  FwctlRpcStruct.write(arg, { size: structBytes, scope: 0, in_len: input.length, out_len: 8, in: memory.map(input), out: memory.map(out), ...fields });
  tweak(arg);
  return { promise: file.ioctl(FWCTL_RPC, arg, memory), arg, out };
}

afterEach(() => {
  delete process.env.ACCELCTL_DROP_RAWIO;
});

/** What another process does to a device state: write a temporary file, rename it over. */
function setFaultsFromOutside(device: string, faults: string[]): void {
  const state = JSON.parse(readFileSync(device, 'utf8')) as Record<string, unknown>;
  writeFileSync(`${device}.other`, JSON.stringify({ ...state, faults }));
  renameSync(`${device}.other`, device);
}

describe("the simulated kernel's view of another process's change", () => {
  it('a handle that may change the device sees it at its next RPC (a read under a device lock must)', async () => {
    const { device, transport } = demoFleet();
    const handle = await transport.open(device);
    expect(await errnoOf(handle.rpc(Scope.CONFIGURATION, req(1), 8))).toBe('ok');
    setFaultsFromOutside(device, ['gone']);
    expect(await errnoOf(handle.rpc(Scope.CONFIGURATION, req(1), 8))).toBe('ENODEV');
  });

  it('an inspect-only handle sees it within STATE_RECHECK_MS', async () => {
    const { device, transport } = demoFleet();
    const handle = await transport.open(device, { inspectOnly: true });
    expect(await errnoOf(handle.rpc(Scope.CONFIGURATION, req(1), 8))).toBe('ok');
    setFaultsFromOutside(device, ['gone']);
    await new Promise((resolve) => setTimeout(resolve, STATE_RECHECK_MS + 10));
    expect(await errnoOf(handle.rpc(Scope.CONFIGURATION, req(1), 8))).toBe('ENODEV');
  });
});

describe('simulated fwctl core', () => {
  it('answers an inspect RPC at CONFIGURATION without tainting', async () => {
    const { root, device, transport } = demoFleet();
    const handle = await transport.open(device);
    const result = await handle.rpc(Scope.CONFIGURATION, req(1), 8);
    expect(DemoReply.decode(result.out)).toEqual({ status: 0, value: 7 });
    expect(taintOf(root)).toBe(0);
    expect(readDeviceStats(device).requested.configuration).toBe(1);
  });

  it('taints for DEBUG_WRITE even when the driver then refuses the RPC', async () => {
    const { root, device, transport } = demoFleet();
    const handle = await transport.open(device);
    // READ_DEBUG needs only DEBUG_READ_ONLY, but opcode 0x99 is unknown: the driver refuses.
    expect(await errnoOf(handle.rpc(Scope.DEBUG_WRITE, req(0x99), 8))).toBe('EBADMSG');
    expect(taintOf(root) & TAINT_FWCTL).toBe(TAINT_FWCTL);
    expect(readDeviceStats(device).refused).toBe(1);
  });

  it('refuses DEBUG_WRITE_FULL without CAP_SYS_RAWIO (EPERM) and does not taint', async () => {
    process.env.ACCELCTL_DROP_RAWIO = '1';
    const { root, device, transport } = demoFleet();
    const handle = await transport.open(device);
    expect(await errnoOf(handle.rpc(Scope.DEBUG_WRITE_FULL, req(5), 8))).toBe('EPERM');
    expect(taintOf(root)).toBe(0);
  });

  it('rejects unknown scopes with EOPNOTSUPP and lengths over 2 MiB with EMSGSIZE', async () => {
    const { root, device } = demoFleet();
    expect(await errnoOf(rawRpc(root, device, { scope: 4 }).promise)).toBe('EOPNOTSUPP');
    expect(await errnoOf(rawRpc(root, device, { out_len: 2 * 1024 * 1024 + 1 }).promise)).toBe('EMSGSIZE');
    expect(await errnoOf(rawRpc(root, device, { in_len: 2 * 1024 * 1024 + 1 }).promise)).toBe('EMSGSIZE');
  });

  it('checks the struct size the way copy_struct_from_user does', async () => {
    const { root, device } = demoFleet();
    expect(await errnoOf(rawRpc(root, device, { size: 24 }).promise)).toBe('EINVAL');
    const larger = rawRpc(root, device, { size: 40 }, req(1), 40);
    expect(await errnoOf(larger.promise)).toBe('ok');
    const dirty = rawRpc(root, device, { size: 40 }, req(1), 40, (arg) => (arg[39] = 1));
    expect(await errnoOf(dirty.promise)).toBe('E2BIG');
  });

  it('returns ENOTTY for an ioctl that is not fwctl', async () => {
    const { root, device } = demoFleet();
    const file = new SimKernel(root, async () => demoSimulator as never).open(device);
    expect(await errnoOf(file.ioctl(0x5401, new Uint8Array(32), new UserMemory()))).toBe('ENOTTY');
  });

  it('reports the full reply length and copies only what fits (truncation)', async () => {
    const { device, transport } = demoFleet();
    const handle = await transport.open(device);
    const result = await handle.rpc(Scope.CONFIGURATION, req(6), 8);
    expect(result.outLen).toBe(64);
    expect(result.out.length).toBe(8);
  });

  it('FWCTL_INFO fills device data only when a buffer is given, and rejects flags', async () => {
    const { root, device, transport } = demoFleet();
    const info = await (await transport.open(device)).info();
    expect(info).toEqual({ deviceType: 99, deviceData: new Uint8Array([0xaa, 0xbb, 0xcc, 0xdd]) });

    const file = new SimKernel(root, async () => demoSimulator as never).open(device);
    const noBuffer = FwctlInfoStruct.encode({ size: 24 });
    await file.ioctl(FWCTL_INFO, noBuffer, new UserMemory());
    expect(FwctlInfoStruct.decode(noBuffer)).toMatchObject({ out_device_type: 99, device_data_len: 0 });
    const flagged = FwctlInfoStruct.encode({ size: 24, flags: 1 });
    expect(await errnoOf(file.ioctl(FWCTL_INFO, flagged, new UserMemory()))).toBe('EOPNOTSUPP');
  });

  it('persists firmware state across opens and counts every requested scope', async () => {
    const { device, transport } = demoFleet();
    await (await transport.open(device)).rpc(Scope.CONFIGURATION, req(3, 42), 8);
    const again = await (await transport.open(device)).rpc(Scope.DEBUG_READ_ONLY, req(2), 8);
    expect(DemoReply.get(again.out, 'value')).toBe(42);
    expect(readDeviceStats(device).requested).toMatchObject({ configuration: 1, debug_read_only: 1 });
  });

  it('a device that is gone answers ENODEV', async () => {
    const { device, transport } = demoFleet();
    const handle = await transport.open(device);
    await updateDeviceState(device, (s) => {
      s.faults = ['gone'];
    });
    expect(await errnoOf(handle.rpc(Scope.CONFIGURATION, req(1), 8))).toBe('ENODEV');
    expect(await errnoOf(transport.open(device))).toBe('ENODEV');
  });

  it('loses no update when many RPCs write the same device at once', async () => {
    const { device, transport } = demoFleet();
    const handles = await Promise.all(Array.from({ length: 12 }, () => transport.open(device)));
    // FLASH adds to what is stored: a lost read-modify-write would show as a smaller sum.
    await Promise.all(handles.map((h) => h.rpc(Scope.CONFIGURATION, req(8, 10), 8)));
    expect(readDeviceState(device).firmware).toMatchObject({ flashed: 120 });
    expect(readDeviceStats(device).requested.configuration).toBe(12);
  });

  it('an RPC that changes nothing rewrites no state and leaves no lock behind; one that changes the device is stored', async () => {
    const { device, transport } = demoFleet();
    const handle = await transport.open(device);
    const { ino, mtimeMs } = statSync(device);
    await Promise.all([handle.rpc(Scope.CONFIGURATION, req(1), 8), handle.rpc(Scope.DEBUG_READ_ONLY, req(2), 8), handle.rpc(Scope.CONFIGURATION, req(3, 5000), 8)]);
    expect(statSync(device)).toMatchObject({ ino, mtimeMs });
    expect(existsSync(`${device}.lock`)).toBe(false);
    expect(readDeviceStats(device)).toEqual({ requested: { configuration: 2, debug_read_only: 1, debug_write: 0, debug_write_full: 0 }, refused: 0 });
    await handle.rpc(Scope.CONFIGURATION, req(3, 9), 8);
    expect(statSync(device).ino).not.toBe(ino);
    expect((readDeviceState(device).firmware as { value: number }).value).toBe(9);
  });

  it('adds the counters an older state file kept to the RPC log', async () => {
    const { device, transport } = demoFleet();
    await updateDeviceState(device, (st) => {
      st.stats.requested.configuration = 5;
      st.stats.refused = 2;
    });
    await (await transport.open(device)).rpc(Scope.CONFIGURATION, req(99), 8).catch(() => undefined);
    expect(readDeviceStats(device)).toMatchObject({ requested: { configuration: 6 }, refused: 3 });
  });

  it('fw-error answers with the plugin\'s error reply instead of running firmware', async () => {
    const { device, transport } = demoFleet();
    await updateDeviceState(device, (st) => {
      st.faults = ['fw-error'];
    });
    const result = await (await transport.open(device)).rpc(Scope.CONFIGURATION, req(3, 5), 8);
    expect(DemoReply.get(result.out, 'status')).toBe(9);
    expect((readDeviceState(device).firmware as { value: number }).value).toBe(7);
  });

  it('power-loss commits only the chunks within budget, power-cycles the model, and fails with EIO once', async () => {
    const { device, transport } = demoFleet();
    await updateDeviceState(device, (st) => {
      st.faults = ['power-loss'];
      st.power_loss_after_bytes = 250;
    });
    const handle = await transport.open(device);
    expect(await errnoOf(handle.rpc(Scope.CONFIGURATION, req(8, 1000), 8))).toBe('EIO');
    const after = readDeviceState(device);
    expect(after.firmware).toMatchObject({ flashed: 200, volatile: 0 });
    expect(after.faults).toEqual([]);
    // Power is back: the next write goes through whole.
    await handle.rpc(Scope.CONFIGURATION, req(8, 1000), 8);
    expect(readDeviceState(device).firmware).toMatchObject({ flashed: 1200, volatile: 1 });
  });
});
