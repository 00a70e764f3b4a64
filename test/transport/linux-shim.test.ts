/**
 * The real Linux transport end to end, without hardware (as nvme-cli tests its
 * ioctl paths): bin/accelctl runs with no --sim, ACCELCTL_ROOT=<fleet> and
 * LD_PRELOAD=fwctl-shim.so. Its discovery reads the fleet's sysfs; its open(2)
 * and ioctl(2) — koffi → the shim — reach the simulated kernel in this process
 * (test/native/sim-host.ts), which reads and writes the CLI's memory by address.
 * So the FFI, the struct building in native memory, indirect pds payloads,
 * errno mapping and truncation retries all run for real.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFleet } from '../../src/sim/fleet';
import { readDeviceState, readDeviceStats, writeDeviceState } from '../../src/sim/state-store';
import { run, runJson, type RunOptions } from '../helpers/cli';
import { buildNative } from '../native/build';
import { SimHost, deviceNode } from '../native/sim-host';

const native = buildNative();
if (native.skip) console.warn(`[linux-shim] skipped: ${native.skip}`);

// mlx5 QUERY_HCA_CAP (general, current): 16-byte PRM header, inspect at any scope.
const QUERY_HCA_CAP = '01000000000000000000000000000001';
// bnxt HWRM_VER_GET as `bnxt version` sends it (req_type 0, resp_addr 0, hwrm_intf 1.10.3).
const HWRM_VER_GET = '0000ffff0000ffff0000000000000000010a030000000000';

const CASES: [string, string[], string, Record<string, number>][] = [
  ['mlx5 caps', ['mlx5', 'caps', 'fwctl0'], 'fwctl0', { configuration: 1, debug_read_only: 0 }],
  ['cxl features', ['cxl', 'features', 'fwctl1'], 'fwctl1', { debug_read_only: 0 }],
  ['pds endpoints (FWCTL_INFO only)', ['pds', 'endpoints', 'fwctl2'], 'fwctl2', { configuration: 0, debug_read_only: 0 }],
  ['bnxt version', ['bnxt', 'version', 'fwctl3'], 'fwctl3', { configuration: 0, debug_read_only: 1 }],
];
const PDS_CALL = ['pds', 'call', 'fwctl2', 'port', 'get_stats', '--payload', '00000000'];
const COMPARED = [['info', 'fwctl0'], PDS_CALL, ...CASES.map((c) => c[1])];

/** Set or clear an injected fault straight in the device state (what `accelctl sim fault` does). */
function setFault(root: string, name: string, fault: string | undefined): void {
  const state = readDeviceState(deviceNode(root, name));
  state.faults = fault ? [fault as (typeof state.faults)[number]] : [];
  writeDeviceState(deviceNode(root, name), state);
}

describe.skipIf(native.skip !== undefined)('Linux transport through the LD_PRELOAD shim', () => {
  let dir: string;
  let root: string;
  let host: SimHost;
  /** The same commands through the in-process simulated transport, run up front in parallel. */
  const viaSim = new Map<string, Record<string, any>>();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'accelctl-shim-'));
    root = join(dir, 'root');
    const fleet = ['mlx5', 'cxl', 'pds', 'bnxt'].map((plugin) => ({ plugin, count: 1 }));
    await createFleet(root, { fleet, latencyMs: 0, force: false });
    host = new SimHost(root, join(dir, 'kernel.sock'));
    await Promise.all([
      host.ready,
      ...COMPARED.map(async (args) => {
        const result = await runJson(args, sim());
        expect(result.code, result.stderr).toBe(0);
        viaSim.set(args.join(' '), result.json);
      }),
    ]);
  });

  afterAll(async () => {
    await host?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** bin/accelctl on the "host": no --sim, the real transport, the shim in front of the kernel. */
  const real = (): RunOptions => ({
    env: {
      LD_PRELOAD: native.shim,
      FWCTL_SHIM_ROOT: root,
      FWCTL_SHIM_SOCKET: join(dir, 'kernel.sock'),
      ACCELCTL_ROOT: root,
      ACCELCTL_SIM: undefined,
      ACCELCTL_SIM_DIR: undefined,
    },
  });
  /** The same fleet through the in-process simulated transport, for comparison. */
  const sim = (): RunOptions => ({ simDir: root });
  const stats = (name: string) => readDeviceStats(deviceNode(root, name));

  it('list: every device identified by a real FWCTL_INFO', async () => {
    const before = host.stats.ioctls;
    const { json, code, stderr } = await runJson(['list'], real());
    expect(code, stderr).toBe(0);
    const devices = json.devices as { name: string; plugin: string }[];
    expect(devices.map((d) => [d.name, d.plugin])).toEqual([
      ['fwctl0', 'mlx5'],
      ['fwctl1', 'cxl'],
      ['fwctl2', 'pds'],
      ['fwctl3', 'bnxt'],
    ]);
    expect(host.stats.ioctls).toBeGreaterThan(before);
  });

  it('info: device type and the driver data match the simulated transport', async () => {
    const viaShim = await runJson(['info', 'fwctl0'], real());
    expect(viaShim.code, viaShim.stderr).toBe(0);
    expect(viaShim.json).toEqual(viaSim.get('info fwctl0'));
  });

  // [label, argv, device, expected change of the kernel's per-scope counters]
  it.each(CASES)('%s: same answer as --sim, counted by the kernel at the minimum scope', async (_label, args, device, expectedDelta) => {
    const before = stats(device).requested;
    const viaShim = await runJson(args, real());
    expect(viaShim.code, viaShim.stderr).toBe(0);
    const after = stats(device).requested;
    const delta = Object.fromEntries(Object.entries(after).map(([scope, n]) => [scope, n - before[scope as keyof typeof before]]));
    expect(delta).toMatchObject({ ...expectedDelta, debug_write: 0, debug_write_full: 0 });
    expect(viaShim.json).toEqual(viaSim.get(args.join(' ')));
  });

  it('pds call on a READ op: indirect payloads travel both ways through user memory', async () => {
    const before = stats('fwctl2').requested;
    const viaShim = await runJson(PDS_CALL, real());
    expect(viaShim.code, viaShim.stderr).toBe(0);
    expect(viaShim.json).toMatchObject({ name: 'get_stats', class: 'inspect', scope: 'configuration', retval: 0, status: 'PDS_RC_SUCCESS', in_len: 4, out_len: 48 });
    // The firmware wrote its counters into the output payload buffer (copy_to_user by address).
    expect(viaShim.json.payload_hex).toMatch(/^[0-9a-f]{96}$/);
    expect(viaShim.json.payload_hex).not.toMatch(/^0+$/);
    expect(BigInt(viaShim.json.decoded.rx_packets)).toBeGreaterThan(0n);
    expect(stats('fwctl2').requested.configuration - before.configuration).toBeGreaterThanOrEqual(1);
    // Counters move with time; everything else matches the simulated transport.
    const stable = (j: Record<string, unknown>) => ({ ...j, decoded: Object.keys(j.decoded as object), payload_hex: undefined });
    expect(stable(viaShim.json)).toEqual(stable(viaSim.get(PDS_CALL.join(' '))!));
  });

  it('a truncated reply is retried with the size the kernel reported', async () => {
    const before = stats('fwctl0').requested.configuration;
    const { json, code, stderr } = await runJson(['rpc', 'fwctl0', '--in', QUERY_HCA_CAP, '--out-len', '32'], real());
    expect(code, stderr).toBe(0);
    expect(json.status).toEqual({ ok: true });
    expect((json.reply as string).length / 2).toBeGreaterThan(32);
    expect(stats('fwctl0').requested.configuration - before).toBe(2);
  });

  it('an RPC the kernel refuses: errno mapped, exit 1, counted as refused', async () => {
    const before = stats('fwctl3').refused;
    // The bnxt driver refuses a reply buffer smaller than the HWRM output header (EINVAL).
    const { code, stderr } = await run(['rpc', 'fwctl3', '--in', HWRM_VER_GET, '--out-len', '4'], real());
    expect(code).toBe(1);
    expect(stderr).toMatch(/refused HWRM_VER_GET as invalid \(EINVAL\)/);
    expect(stats('fwctl3').refused - before).toBe(1);
  });

  it('a device node the user may not open: a clear permission error (exit 4)', async () => {
    const node = deviceNode(root, 'fwctl1');
    chmodSync(node, 0o000);
    try {
      const { code, stderr } = await run(['info', 'fwctl1'], real());
      expect(code).toBe(4);
      expect(stderr).toMatch(/permission denied \(EACCES\)/);
    } finally {
      chmodSync(node, 0o644);
    }
  });

  it('a device that is gone: ENODEV at open (exit 3)', async () => {
    setFault(root, 'fwctl3', 'gone');
    try {
      const { code, stderr } = await run(['bnxt', 'version', 'fwctl3'], real());
      expect(code).toBe(3);
      expect(stderr).toMatch(/gone \(ENODEV\)/);
    } finally {
      setFault(root, 'fwctl3', undefined);
    }
  });

  it('an ioctl that never returns: --timeout fires (exit 5) while the worker thread is stuck in the kernel', async () => {
    setFault(root, 'fwctl0', 'hang');
    try {
      const started = performance.now();
      const { code, stderr } = await run(['mlx5', 'caps', 'fwctl0', '--timeout', '500'], real());
      expect(code, stderr).toBe(5);
      expect(performance.now() - started).toBeLessThan(10_000);
    } finally {
      setFault(root, 'fwctl0', undefined);
    }
  });

  it('RPCs to different devices run in parallel (the event loop is not blocked in ioctl)', async () => {
    const names = ['fwctl0', 'fwctl1', 'fwctl2', 'fwctl3'];
    const setLatency = (ms: number) => {
      for (const name of names) {
        const state = readDeviceState(deviceNode(root, name));
        state.latency_ms = ms;
        writeDeviceState(deviceNode(root, name), state);
      }
    };
    setLatency(400);
    try {
      // (An ioctl abandoned by an earlier test may still be "in the kernel": count from here.)
      const base = host.stats.inFlight;
      host.stats.maxInFlight = base;
      const { code, stderr } = await run(['list'], real());
      expect(code, stderr).toBe(0);
      // Each device's firmware takes 400 ms; a serial CLI would never have two RPCs in the kernel at once.
      expect(host.stats.maxInFlight - base).toBeGreaterThanOrEqual(2);
    } finally {
      setLatency(0);
    }
  });

  it('the kernel taint stays clear: nothing above debug_read_only was requested', () => {
    for (const name of ['fwctl0', 'fwctl1', 'fwctl2', 'fwctl3']) {
      const { requested } = stats(name);
      expect(requested.debug_write + requested.debug_write_full, name).toBe(0);
    }
    expect(host.stats.opens).toBeGreaterThan(0);
  });
});
