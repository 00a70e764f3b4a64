/**
 * End to end (issue 5): `fw show|flash|activate` through bin/accelctl on one
 * simulated fleet (a device of each plugin, 2 ms firmware latency). mlx5 and
 * bnxt flash: the full cycle, refused images (nothing written), power loss
 * mid-flash, a SIGKILLed flash, JSON progress events. cxl and pds cannot flash
 * through fwctl and say what to use instead, sending nothing.
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BIN, freshSimDir, run, runJson } from '../helpers/cli';

interface Versions {
  device: string;
  fixed: Record<string, string>;
  running: Record<string, string>;
  stored: Record<string, string>;
  active_bank: string | null;
  pending_activation: boolean;
}

interface Stats {
  requested: Record<string, number>;
  refused: number;
}

let simDir: string;
const byPlugin: Record<string, string> = {};

const cli = (...args: string[]) => run(args, { simDir, timeoutMs: 30_000 });
const json = <T = any>(...args: string[]) => runJson<T>(args, { simDir, timeoutMs: 30_000 });
/** bnxt's NVM_WRITE/NVM_MODIFY are debug_write in the kernel's table: mutate-debug. */
const flashFlags = (plugin: string) => ['--yes', ...(plugin === 'bnxt' ? ['--allow-mutate'] : [])];
/** The version every component of the image carries (mlx5: fw.version; bnxt: fw). */
const mainKey = (plugin: string) => (plugin === 'mlx5' ? 'fw.version' : 'fw');
/** A real board/chip that is not the simulated one. */
const OTHER = { mlx5: 'MT_0000000999', bnxt: 'BCM57414' } as const;
const NEXT = { mlx5: ['28.40.1000', '28.41.2000'], bnxt: ['231.0.1.0', '231.1.2.0'] } as const;

async function fwShow(dev: string): Promise<Versions> {
  const r = await json<Versions>('fw', 'show', dev);
  expect(r.code, r.stderr).toBe(0);
  return r.json;
}

async function stats(dev: string): Promise<Stats> {
  const r = await json<{ devices: Stats[] }>('sim', 'stats', dev);
  expect(r.code, r.stderr).toBe(0);
  return r.json.devices[0]!;
}

const totalRpcs = (s: Stats) => Object.values(s.requested).reduce((a, b) => a + b, 0);

async function image(plugin: string, out: string, ...extra: string[]): Promise<string> {
  const file = join(simDir, out);
  // `--version V` with a space: the fw-image option, not the global version flag.
  const r = await cli('sim', 'fw-image', '--plugin', plugin, '--out', file, ...extra);
  expect(r.code, r.stderr).toBe(0);
  return file;
}

/** Flash events: JSON progress lines, then the result line. */
function jsonLines(stdout: string): any[] {
  return stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
}

beforeAll(async () => {
  simDir = freshSimDir();
  const init = await run(['sim', 'init', simDir, '--latency-ms', '2']);
  expect(init.code, init.stderr).toBe(0);
  const list = await runJson<{ devices: { name: string; plugin: string }[] }>(['list'], { simDir });
  for (const d of list.json.devices) byPlugin[d.plugin] = d.name;
  expect(Object.keys(byPlugin).sort()).toEqual(['bnxt', 'cxl', 'mlx5', 'pds']);
});

describe('firmware e2e', () => {
  it.each(['mlx5', 'bnxt'] as const)('%s: bad images refused with nothing written; flash → stored ≠ running → activate → running', async (plugin) => {
    const dev = byPlugin[plugin]!;
    const [v1] = NEXT[plugin];
    const good = await image(plugin, `${plugin}-good.bin`, '--version', v1);
    const wrong = await image(plugin, `${plugin}-wrong.bin`, '--version', v1, '--target', OTHER[plugin]);
    const corrupt = await image(plugin, `${plugin}-corrupt.bin`, '--version', v1, '--corrupt');
    const bytes = readFileSync(good);
    const truncated = join(simDir, `${plugin}-truncated.bin`);
    writeFileSync(truncated, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const empty = join(simDir, `${plugin}-empty.bin`);
    writeFileSync(empty, '');

    const before = await fwShow(dev);
    expect(before.pending_activation).toBe(false);
    expect(before.stored[mainKey(plugin)]).toBe(before.running[mainKey(plugin)]);

    for (const [what, file, pattern] of [
      ['wrong target', wrong, new RegExp(OTHER[plugin])],
      ['corrupt', corrupt, /corrupt|checksum|CRC/i],
      ['truncated', truncated, /truncated|header describes/i],
      ['empty', empty, /empty/i],
    ] as const) {
      const s0 = await stats(dev);
      const r = await cli('fw', 'flash', dev, file, ...flashFlags(plugin), '-o', 'json');
      expect(r.code, `${plugin} ${what}: ${r.stderr}`).toBe(2);
      const error = JSON.parse(r.stderr).error;
      expect(error.code, `${plugin} ${what}`).toBe('ACCELCTL_E_BAD_IMAGE');
      expect(error.message).toMatch(pattern);
      expect(r.stdout, 'no progress before the image is checked').toBe('');
      const s1 = await stats(dev);
      // A malformed image is refused before any RPC; a well-formed one for another
      // board after the target check's identity read(s) — never a write (the
      // smallest image needs dozens of write RPCs; bnxt's writes are debug_write).
      if (what === 'wrong target') {
        for (const scope of ['debug_write', 'debug_write_full']) expect(s1.requested[scope], `${plugin} ${what} ${scope}`).toBe(s0.requested[scope]);
        expect(totalRpcs(s1) - totalRpcs(s0), `${plugin} ${what}: only the identity read`).toBeLessThanOrEqual(2);
      } else expect(totalRpcs(s1), `${plugin} ${what}: nothing sent`).toBe(totalRpcs(s0));
    }
    expect(await fwShow(dev)).toEqual(before);

    // Without --yes (non-TTY): refused, nothing written.
    const refused = await cli('fw', 'flash', dev, good);
    expect(refused.code, refused.stderr).toBe(4);
    expect(await fwShow(dev)).toEqual(before);

    // Flash, JSON mode: progress events as JSON lines, then the verified result.
    const flashed = await cli('fw', 'flash', dev, good, ...flashFlags(plugin), '-o', 'json');
    expect(flashed.code, flashed.stderr).toBe(0);
    const events = jsonLines(flashed.stdout);
    const result = events.at(-1);
    expect(result).toMatchObject({ schema_version: 1, event: 'result', device: dev, verified: true, image: { version: v1 } });
    expect(result.activation).toMatch(/activate|reset/);
    const progress = events.slice(0, -1);
    expect(progress.length).toBeGreaterThanOrEqual(3);
    for (const e of progress) {
      expect(e).toMatchObject({ schema_version: 1, event: 'progress' });
      expect(['prepare', 'write', 'verify', 'done']).toContain(e.phase);
      expect(e.done).toBeLessThanOrEqual(e.total);
    }
    const writes = progress.filter((e) => e.phase === 'write');
    expect(writes.length).toBeGreaterThan(0);
    expect(writes.at(-1).done).toBe(writes.at(-1).total);
    for (let i = 1; i < writes.length; i++) expect(writes[i].done).toBeGreaterThanOrEqual(writes[i - 1].done);

    const flashedShow = await fwShow(dev);
    expect(flashedShow).toMatchObject({ running: before.running, pending_activation: true });
    expect(flashedShow.stored[mainKey(plugin)]).toBe(v1);
    expect(flashedShow.stored[mainKey(plugin)]).not.toBe(flashedShow.running[mainKey(plugin)]);
    const text = await cli('fw', 'show', dev);
    expect(text.stdout).toMatch(/pending activation\s+yes/);
    expect(text.stdout).toContain('fw activate');

    const activated = await json('fw', 'activate', dev, ...flashFlags(plugin));
    expect(activated.code, activated.stderr).toBe(0);
    const after = await fwShow(dev);
    expect(after.running[mainKey(plugin)]).toBe(v1);
    expect(after.pending_activation).toBe(false);
    // Nothing left to activate.
    expect((await cli('fw', 'activate', dev, ...flashFlags(plugin))).code).toBe(2);
  }, 90_000);

  it.each(['mlx5', 'bnxt'] as const)('%s: power loss mid-flash fails cleanly, old image keeps running, a second flash succeeds; reset activates', async (plugin) => {
    const dev = byPlugin[plugin]!;
    const [, v2] = NEXT[plugin];
    const file = await image(plugin, `${plugin}-next.bin`, '--version', v2);
    const before = await fwShow(dev);
    expect((await cli('sim', 'fault', dev, '--set', 'power-loss', '--after-bytes', '100000')).code).toBe(0);
    const lost = await cli('fw', 'flash', dev, file, ...flashFlags(plugin));
    expect(lost.code, lost.stderr).not.toBe(0);
    expect(lost.stderr).toMatch(/firmware flash failed (after \d+ of \d+ bytes|in its first chunk)/);
    expect(lost.stderr).toMatch(/running firmware is untouched/);
    expect(lost.stderr).not.toMatch(/internal error|at .*\.js/);
    const broken = await fwShow(dev);
    expect(broken.running).toEqual(before.running);
    expect(broken.pending_activation).toBe(false);
    // The interrupted image is not offered as stored.
    expect(broken.stored[mainKey(plugin)]).not.toBe(v2);
    // Activation has nothing to run.
    expect((await cli('fw', 'activate', dev, ...flashFlags(plugin))).code).toBe(2);

    // The fault fired once (power came back): the same flash now goes through.
    const again = await cli('fw', 'flash', dev, file, ...flashFlags(plugin));
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/verified\s+yes/);
    expect(await fwShow(dev)).toMatchObject({ running: before.running, stored: { [mainKey(plugin)]: v2 }, pending_activation: true });
    const reset = await json('reset', dev, '--yes', ...(plugin === 'bnxt' ? ['--allow-mutate'] : []));
    expect(reset.code, reset.stderr).toBe(0);
    expect(reset.json.firmware_activated).toBe(true);
    expect((await fwShow(dev)).running[mainKey(plugin)]).toBe(v2);
  }, 90_000);

  it.each(['mlx5', 'bnxt'] as const)('%s: a flash process SIGKILLed mid-write leaves the old image running and the device takes the flash again', async (plugin) => {
    const dev = byPlugin[plugin]!;
    const [big, small] = plugin === 'mlx5' ? ['28.50.0001', '28.50.0002'] : ['232.0.1.0', '232.0.2.0'];
    const file = await image(plugin, `${plugin}-big.bin`, '--version', big, '--size', String(2 * 1024 * 1024));
    const before = await fwShow(dev);
    const child = spawn(process.execPath, [BIN, 'fw', 'flash', dev, file, ...flashFlags(plugin), '-o', 'json'], { env: { ...process.env, ACCELCTL_SIM_DIR: simDir }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    // Kill once the write phase is under way (a few chunks in).
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no write progress in time: ${out}`)), 20_000);
      const check = () => {
        const writes = out.split('\n').filter((l) => l.includes('"phase":"write"'));
        if (writes.length >= 3) {
          clearTimeout(timer);
          resolve();
        } else setTimeout(check, 10);
      };
      check();
    });
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    expect(out).not.toContain('"event":"result"');

    const after = await fwShow(dev);
    expect(after.running).toEqual(before.running);
    expect(after.pending_activation).toBe(false);
    const again = await json('fw', 'show', dev);
    expect(again.code).toBe(0);
    // Takes the flash again (a smaller image keeps the test short).
    const smallFile = await image(plugin, `${plugin}-after-kill.bin`, '--version', small);
    const retry = await cli('fw', 'flash', dev, smallFile, ...flashFlags(plugin));
    expect(retry.code, retry.stderr).toBe(0);
    expect(await fwShow(dev)).toMatchObject({ running: before.running, stored: { [mainKey(plugin)]: small }, pending_activation: true });
  }, 90_000);

  it('a reader of the JSON progress that goes away mid-flash does not stop the flash: it completes, and the exit code is its own', async () => {
    const dev = byPlugin.mlx5!;
    const version = '28.52.0001';
    const file = await image('mlx5', 'mlx5-reader-gone.bin', '--version', version);
    const before = await fwShow(dev);
    // `accelctl fw flash … -o json | head -1`: the pipe closes after the first event.
    const child = spawn(process.execPath, [BIN, 'fw', 'flash', dev, file, ...flashFlags('mlx5'), '-o', 'json'], { env: { ...process.env, ACCELCTL_SIM_DIR: simDir }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(await fwShow(dev)).toMatchObject({ running: before.running, stored: { [mainKey('mlx5')]: version }, pending_activation: true });
  }, 90_000);

  it.each(['cxl', 'pds'] as const)('%s: fw flash / activate are unsupported with a hint, and nothing is sent', async (plugin) => {
    const dev = byPlugin[plugin]!;
    const someImage = join(simDir, 'mlx5-good.bin');
    const s0 = await stats(dev);
    for (const file of [someImage, join(simDir, 'does-not-exist.bin')]) {
      const r = await cli('fw', 'flash', dev, file, '--yes', '--allow-mutate', '-o', 'json');
      expect(r.code, r.stderr).toBe(1);
      const error = JSON.parse(r.stderr).error;
      expect(error.code).toBe('ACCELCTL_E_UNSUPPORTED');
      expect(error.message).toMatch(/fwctl/);
      expect(error.hint).toMatch(plugin === 'cxl' ? /cxl update-firmware/ : /devlink dev flash/);
    }
    const act = await cli('fw', 'activate', dev, '--yes', '--allow-mutate', '-o', 'json');
    expect(act.code).toBe(1);
    expect(JSON.parse(act.stderr).error.code).toBe('ACCELCTL_E_UNSUPPORTED');
    const s1 = await stats(dev);
    expect(s1.requested).toEqual(s0.requested);
    // fw show still works.
    expect((await cli('fw', 'show', dev)).code).toBe(0);
  }, 60_000);
});
