/**
 * The bug-report dump: complete even with a hung and a garbage-answering device,
 * inspect-only (counted by the simulated kernel), atomic with --out, and
 * redactable.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, lstatSync, readdirSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, freshSimDir, run, runJson, tempDir } from '../helpers/cli';

async function fleet(spec: string): Promise<string> {
  const dir = freshSimDir();
  const init = await run(['sim', 'init', dir, '--fleet', spec]);
  expect(init.code, init.stderr).toBe(0);
  return dir;
}

/** `accelctl ARGS | head -c 1`: a reader that closes the pipe after the first chunk. */
async function readerLeavesEarly(args: string[]): Promise<{ code: number; stderr: string }> {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const closed = once(child, 'close');
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d));
  child.stdout.once('data', () => child.stdout.destroy());
  const [code] = (await closed) as [number];
  return { code, stderr };
}

describe('accelctl dump', () => {
  it('dumps every device of the default fleet, sending only inspect RPCs and never tainting', async () => {
    const dir = freshSimDir();
    const { stdout, code, stderr } = await run(['dump'], { simDir: dir });
    expect(code, stderr).toBe(0);
    // Every device answered: no warning.
    expect(stderr).toBe('');
    const dump = JSON.parse(stdout);
    // Written piece by piece as devices finish, yet the same text JSON.stringify would
    // give for the whole document (manifest and summary included), so dumps diff cleanly.
    expect(stdout).toBe(`${JSON.stringify(dump, null, 2)}\n`);
    expect(dump.schema_version).toBe(1);
    expect(dump.manifest).toMatchObject({ accelctl_version: expect.any(String), simulated: true, kernel_taint: { fwctl: false }, host: hostname() });
    expect(dump.manifest.plugins.map((p: { name: string }) => p.name).sort()).toEqual(['bnxt', 'cxl', 'mlx5', 'pds']);
    expect(dump.devices.map((d: { plugin: string }) => d.plugin)).toEqual(['mlx5', 'cxl', 'pds', 'bnxt']);
    for (const device of dump.devices) {
      expect(device.error).toBeUndefined();
      expect(device.commands.length).toBeGreaterThan(0);
      for (const command of device.commands) expect(typeof command.duration_ms).toBe('number');
    }
    expect(dump.summary).toMatchObject({ devices: 4, failed_devices: 0, kernel_taint_changed: false });
    const stats = await runJson(['sim', 'stats'], { simDir: dir });
    expect(stats.json.kernel_tainted_fwctl).toBe(false);
    for (const d of stats.json.devices) expect(d.requested.debug_write + d.requested.debug_write_full).toBe(0);
  });

  it('through a pipe whose reader is slow, the dump is whole; a reader that stops early ends it quietly', async () => {
    const dir = await fleet('mlx5=6');
    // Nothing is read for a while, so the pipe (64 KiB) fills long before the dump ends.
    const slow = spawn(process.execPath, [BIN, '--sim-dir', dir, 'dump'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const slowClosed = once(slow, 'close');
    slow.stdout.pause();
    const chunks: Buffer[] = [];
    let stderr = '';
    slow.stderr.on('data', (d: Buffer) => (stderr += d));
    slow.stdout.on('data', (d: Buffer) => chunks.push(d));
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    slow.stdout.resume();
    const [code] = (await slowClosed) as [number];
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const text = Buffer.concat(chunks).toString();
    expect(text.length).toBeGreaterThan(65_536);
    expect(JSON.parse(text).devices).toHaveLength(6);

    // `accelctl dump | head -c 100`: the reader leaves; no error, no stack trace.
    expect(await readerLeavesEarly(['--sim-dir', dir, 'dump'])).toEqual({ code: 0, stderr: '' });
  });

  it('a hung device costs one timeout and a garbage device records its errors; the rest is complete', async () => {
    const dir = await fleet('mlx5=3');
    await run(['sim', 'fault', 'fwctl0', '--set', 'hang'], { simDir: dir });
    await run(['sim', 'fault', 'fwctl1', '--set', 'garbage'], { simDir: dir });
    const started = Date.now();
    const { stdout, stderr, code } = await run(['dump', '--timeout', '400'], { simDir: dir });
    const elapsed = Date.now() - started;
    expect(code).toBe(0);
    // The document is whole, and whoever sent it to a file still learns which device did not answer.
    expect(stderr).toBe('warning: 1 of 3 devices could not be dumped completely: fwctl0 (ACCELCTL_E_TIMEOUT); their errors are in the dump\n');
    const dump = JSON.parse(stdout);
    const [hung, garbage, healthy] = dump.devices;
    expect(hung.hung).toBe(true);
    expect(JSON.stringify(hung)).toContain('ACCELCTL_E_TIMEOUT');
    // Garbage is read as a reply whose status byte says failure: every command records an error.
    expect(garbage.commands.length).toBeGreaterThan(0);
    for (const command of garbage.commands) expect(command.error.code).toMatch(/^ACCELCTL_E_(DEVICE_STATUS|MALFORMED_REPLY)$/);
    expect(healthy.error).toBeUndefined();
    expect(healthy.commands.every((c: { error?: unknown; command: string }) => c.error === undefined || c.command === 'mlx5 diag-counters')).toBe(true);
    expect(dump.summary.failed_devices).toBe(1);
    // One timeout for the hung device, not one per command (plus process start-up).
    expect(elapsed).toBeLessThan(400 * 4 + 3000);
  });

  it('--out writes the file only when complete, and nothing to stdout', async () => {
    const dir = await fleet('bnxt=2');
    const out = join(tempDir(), 'dump.json');
    const { stdout, code } = await run(['dump', '--out', out], { simDir: dir });
    expect(code).toBe(0);
    expect(stdout).toBe('');
    expect(JSON.parse(readFileSync(out, 'utf8')).devices).toHaveLength(2);
    expect(readdirSync(dirname(out))).toEqual(['dump.json']);
  });

  it('--out to an unwritable place fails cleanly without leaving a partial file', async () => {
    const dir = await fleet('bnxt=1');
    const out = join(tempDir(), 'missing-dir', 'dump.json');
    const { code, stderr } = await run(['dump', '--out', out], { simDir: dir });
    expect(code).toBe(1);
    expect(stderr).toContain('cannot write');
    expect(existsSync(out)).toBe(false);
  });

  it('--out /dev/stdout writes through the link into the pipe (a rename would have replaced it)', async () => {
    const dir = await fleet('bnxt=1');
    const { code, stdout, stderr } = await run(['dump', '--out', '/dev/stdout'], { simDir: dir });
    expect(code, stderr).toBe(0);
    expect(JSON.parse(stdout).devices).toHaveLength(1);
    expect(lstatSync('/dev/stdout').isSymbolicLink()).toBe(true);
  });

  it('--out /dev/stdout into a reader that leaves early ends quietly, as plain stdout does', async () => {
    const dir = await fleet('mlx5=6');
    // It was "accelctl: cannot write /dev/stdout: EPIPE", exit 1.
    expect(await readerLeavesEarly(['--sim-dir', dir, 'dump', '--out', '/dev/stdout'])).toEqual({ code: 0, stderr: '' });
  });

  it('--out a directory is a usage error that leaves nothing in it (a rename onto it was an internal error)', async () => {
    const dir = await fleet('bnxt=1');
    const out = tempDir();
    const { code, stderr } = await run(['dump', '--out', out], { simDir: dir });
    expect(code).toBe(2);
    expect(stderr).toBe(`accelctl: --out: ${out} is a directory\n  hint: name a file in it\n`);
    expect(readdirSync(out)).toEqual([]);
  });

  it('--redact replaces serials and the host name with stable pseudonyms', async () => {
    const dir = await fleet('mlx5=2');
    const plain = JSON.parse((await run(['dump'], { simDir: dir })).stdout);
    // fwctl1 finishes first; pseudonyms still follow the document (fwctl0 is serial 1).
    expect((await run(['sim', 'fault', 'fwctl0', '--latency-ms', '40'], { simDir: dir })).code).toBe(0);
    const { stdout, code } = await run(['dump', '--redact'], { simDir: dir });
    expect(code).toBe(0);
    const serials = plain.devices.map((d: { serial: string }) => d.serial);
    for (const serial of serials) expect(stdout).not.toContain(serial);
    expect(stdout).not.toContain(hostname());
    const redacted = JSON.parse(stdout);
    expect(redacted.devices.map((d: { serial: string }) => d.serial)).toEqual(['redacted-serial-1', 'redacted-serial-2']);
    expect(redacted.manifest).toMatchObject({ host: 'redacted-host-1', redacted: true });
  });

  it('dumps only the named devices, and an unknown one exits 3', async () => {
    const dir = await fleet('bnxt=3');
    const one = JSON.parse((await run(['dump', 'fwctl2'], { simDir: dir })).stdout);
    expect(one.devices.map((d: { name: string }) => d.name)).toEqual(['fwctl2']);
    expect((await run(['dump', 'fwctl9'], { simDir: dir })).code).toBe(3);
  });
});
