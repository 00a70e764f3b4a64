/**
 * Many real accelctl processes against one simulated fleet: reads (raw rpc),
 * configure writes (mlx5 port-state) and a dump at the same time, dumps of a device
 * that is being flashed, and a process SIGKILLed in the middle of a long run of
 * writes (fw flash). Afterwards every
 * device's state file is whole, parses, and holds a value that was written.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readDeviceState } from '../../src/sim/state-store';
import { BIN, run, tempDir } from '../helpers/cli';
import { FUZZING } from './runs';

/** mlx5 QUERY_ADAPTER mailbox (opcode 0x101): an inspect RPC. */
const QUERY_ADAPTER = '01010000000000000000000000000000';
const ROUNDS = FUZZING ? 6 : 2;

interface PortState {
  ports: { admin_status: number }[];
}

function assertWhole(dir: string, devices: string[]): void {
  for (const name of devices) {
    const path = join(dir, 'dev/fwctl', name);
    expect(() => JSON.parse(readFileSync(path, 'utf8')), `${name} is valid JSON`).not.toThrow();
    const state = readDeviceState(path);
    expect(state.plugin).toBe('mlx5');
    expect([1, 2]).toContain((state.firmware as PortState).ports[0]!.admin_status);
  }
}

describe('concurrency: many processes, one fleet', () => {
  it('6 processes reading and writing at once, plus a dump, leave every device consistent', async () => {
    const dir = join(tempDir(), 'fleet');
    expect((await run(['sim', 'init', dir, '--fleet', 'mlx5=2'])).code).toBe(0);
    const devices = ['fwctl0', 'fwctl1'];
    const written: Record<string, Set<number>> = { fwctl0: new Set([1]), fwctl1: new Set([1]) };
    for (let round = 0; round < ROUNDS; round++) {
      const jobs: Promise<{ what: string; code: number | null; stdout: string; stderr: string }>[] = [];
      for (let p = 0; p < 6; p++) {
        const dev = devices[p % 2]!;
        if (p < 3) {
          jobs.push(run(['--sim-dir', dir, '-o', 'json', 'rpc', dev, '--in', QUERY_ADAPTER], { timeoutMs: 30_000 }).then((r) => ({ what: `rpc ${dev}`, ...r })));
        } else {
          const state = (round + p) % 2 ? 'down' : 'up';
          written[dev]!.add(state === 'up' ? 1 : 2);
          jobs.push(run(['--sim-dir', dir, 'mlx5', 'port-state', dev, '--port', '1', state, '--yes'], { timeoutMs: 30_000 }).then((r) => ({ what: `port-state ${dev} ${state}`, ...r })));
        }
      }
      if (round === 0) jobs.push(run(['--sim-dir', dir, 'dump'], { timeoutMs: 30_000 }).then((r) => ({ what: 'dump', ...r })));
      for (const job of await Promise.all(jobs)) {
        expect(job.code, `${job.what}: ${job.stderr}`).toBe(0);
        if (job.what === 'dump') {
          const dump = JSON.parse(job.stdout) as { devices: { name: string; error?: unknown }[] };
          expect(dump.devices.map((d) => d.name)).toEqual(devices);
          expect(dump.devices.every((d) => d.error === undefined)).toBe(true);
        } else if (job.what.startsWith('rpc')) {
          expect(JSON.parse(job.stdout)).toMatchObject({ rpc: 'QUERY_ADAPTER', class: 'inspect', sent: true });
        }
      }
      assertWhole(dir, devices);
      for (const dev of devices) {
        expect(written[dev]).toContain((readDeviceState(join(dir, 'dev/fwctl', dev)).firmware as PortState).ports[0]!.admin_status);
      }
    }
    // Every RPC was counted: nothing lost to a race between read-modify-write cycles.
    const stats = JSON.parse((await run(['--sim-dir', dir, '-o', 'json', 'sim', 'stats'])).stdout) as { devices: { requested: Record<string, number> }[] };
    const total = stats.devices.reduce((n, d) => n + Object.values(d.requested).reduce((a, b) => a + b, 0), 0);
    expect(total).toBeGreaterThanOrEqual(ROUNDS * 6);
  }, 120_000);

  it('dumps while a flash runs on the same device: each sees the old or the new image, never an error of its own', async () => {
    const dir = join(tempDir(), 'fleet');
    const image = join(tempDir(), 'fw.bin');
    expect((await run(['sim', 'init', dir, '--fleet', 'mlx5=1', '--latency-ms', '2'])).code).toBe(0);
    const made = await run(['sim', 'fw-image', '--plugin', 'mlx5', '--version=28.40.1000', '--size=1048576', '--out', image]);
    expect(made.code, made.stderr).toBe(0);
    let flashing = true;
    const flash = run(['--sim-dir', dir, '-o', 'json', 'fw', 'flash', 'fwctl0', image, '--yes'], { timeoutMs: 60_000 }).finally(() => (flashing = false));
    const dumps: { code: number | null; stdout: string; stderr: string }[] = [];
    // Dumps one after another for as long as the flash runs (~270 writes × 2 ms)...
    while (flashing) dumps.push(await run(['--sim-dir', dir, 'dump'], { timeoutMs: 30_000 }));
    const flashed = await flash;
    expect(flashed.code, flashed.stderr).toBe(0);
    // ...and one after it.
    dumps.push(await run(['--sim-dir', dir, 'dump'], { timeoutMs: 30_000 }));
    const stored = new Set<string>();
    for (const dump of dumps) {
      expect(dump.code, dump.stderr).toBe(0);
      expect(dump.stderr).toBe('');
      const device = (JSON.parse(dump.stdout) as { devices: { error?: unknown; hung?: boolean; firmware: { stored: Record<string, string> } }[] }).devices[0]!;
      expect(device.error).toBeUndefined();
      expect(device.hung).toBeUndefined();
      stored.add(device.firmware.stored['fw.version']!);
    }
    // A flash writes the inactive bank and switches at the end: a reader sees one image or the other.
    expect([...stored].every((v) => v === '28.39.1002' || v === '28.40.1000')).toBe(true);
    const last = JSON.parse(dumps.at(-1)!.stdout) as { devices: { firmware: { stored: Record<string, string> } }[] };
    expect(last.devices[0]!.firmware.stored['fw.version']).toBe('28.40.1000');
    assertWhole(dir, ['fwctl0']);
  }, 120_000);

  it('a process SIGKILLed in the middle of many writes leaves valid state, and the fleet keeps working', async () => {
    const dir = join(tempDir(), 'fleet');
    const image = join(tempDir(), 'fw.bin');
    expect((await run(['sim', 'init', dir, '--fleet', 'mlx5=1'])).code).toBe(0);
    // --version=V: the bare `--version V` would be taken by the global -V/--version.
    const made = await run(['sim', 'fw-image', '--plugin', 'mlx5', '--version=28.40.1000', '--size=1048576', '--out', image]);
    expect(made.code, made.stderr).toBe(0);
    for (const delayMs of FUZZING ? [150, 300, 450, 600, 900, 1200] : [500]) {
      const child = spawn(process.execPath, [BIN, '--sim-dir', dir, 'fw', 'flash', 'fwctl0', image, '--yes'], { stdio: 'ignore', env: { ...process.env, NO_COLOR: '1' } });
      const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      child.kill('SIGKILL');
      await exited;
      assertWhole(dir, ['fwctl0']);
      // The next process gets the device (a lock left by the dead process is recovered).
      const read = await run(['--sim-dir', dir, '-o', 'json', 'rpc', 'fwctl0', '--in', QUERY_ADAPTER], { timeoutMs: 30_000 });
      expect(read.code, read.stderr).toBe(0);
    }
    // And a whole flash still goes through afterwards.
    const flash = await run(['--sim-dir', dir, '-o', 'json', 'fw', 'flash', 'fwctl0', image, '--yes'], { timeoutMs: 60_000 });
    expect(flash.code, flash.stderr).toBe(0);
    assertWhole(dir, ['fwctl0']);
  }, 120_000);
});
