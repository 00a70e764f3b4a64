/**
 * Out-of-tree plugins, end to end as an author and a user meet them: scaffold a
 * package, run its own tests, check it, install it next to accelctl in a
 * temporary npm prefix, and drive a simulated device through it. Also the other
 * discovery routes (ACCELCTL_PLUGIN_PATH) and the one that must not exist (the
 * current directory's node_modules).
 */
import { spawn } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, freshSimDir, run, runJson, tempDir, type RunResult } from '../helpers/cli';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Spawn any program (npm, an installed accelctl) with a cwd, as a user's shell would. */
function exec(command: string, args: readonly string[], options: { cwd?: string; env?: Record<string, string | undefined>; timeoutMs?: number } = {}): Promise<RunResult & { timedOut: boolean }> {
  const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1', ...options.env };
  delete env.FORCE_COLOR;
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: env as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs ?? 20_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ stdout, stderr, code, timedOut });
    });
  });
}

/** An accelctl reached through some other path (an installed bin), with -o json parsed. */
async function accelctlJson(bin: string, args: readonly string[], options: { cwd?: string; env?: Record<string, string | undefined> } = {}) {
  const result = await exec(process.execPath, [bin, ...args, '-o', 'json'], options);
  try {
    return { ...result, json: JSON.parse(result.stdout) };
  } catch {
    throw new Error(`not JSON (exit ${result.code}):\nstdout: ${result.stdout}\nstderr: ${result.stderr}`);
  }
}

const cleanup: string[] = [];
afterAll(() => {
  for (const dir of cleanup) rmSync(dir, { recursive: true, force: true });
});

describe('plugin new, npm test, plugin check, install', () => {
  let T: string;
  let acme: string;

  beforeAll(async () => {
    T = tempDir('accelctl-plugins-');
    cleanup.push(T);
    acme = join(T, 'acme');
    const created = await runJson(['plugin', 'new', 'acme', '--dir', acme]);
    expect(created.code, created.stderr).toBe(0);
    expect(created.json.files).toEqual(expect.arrayContaining(['package.json', 'index.js', 'protocol.js', 'sim.js', 'commands/status.js', 'commands/set-fan.js', 'test/plugin.test.js', 'README.md']));
  });

  it('scaffolds a package whose own npm test passes', async () => {
    expect(lstatSync(join(acme, 'node_modules', 'accelctl')).isSymbolicLink()).toBe(true);
    const result = await exec('npm', ['test', '--silent'], { cwd: acme, timeoutMs: 60_000 });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(/# pass [1-9]/);
    expect(result.stdout).toMatch(/# fail 0/);
  });

  it('passes the conformance kit', async () => {
    const { json, code, stderr } = await runJson(['plugin', 'check', acme]);
    expect(code, stderr).toBe(0);
    expect(json.plugin).toBe('acme');
    expect(json.passed).toBe(true);
    const checks = json.findings.map((f: { check: string }) => f.check);
    for (const check of ['manifest', 'unique name and device type', 'command acme status', 'command acme set-fan', 'docs', 'run acme status', 'inspect changes no state', 'inspect never taints', 'minimum scope', 'unknown requests', 'decoders on bad replies']) {
      expect(checks).toContain(check);
    }
    expect(json.findings.filter((f: { ok: boolean }) => !f.ok)).toEqual([]);
  });

  describe('installed with npm -g into a prefix next to accelctl', () => {
    let P: string;
    let bin: string;
    let how = 'npm install -g';

    beforeAll(async () => {
      P = join(T, 'prefix');
      bin = join(P, 'bin', 'accelctl');
      // Folder installs are symlinks; --ignore-scripts: this checkout is already built.
      const npm = (folder: string) => exec('npm', ['install', '-g', '--prefix', P, '--no-audit', '--no-fund', '--offline', '--ignore-scripts', folder], { cwd: T, timeoutMs: 60_000 });
      const first = await npm(ROOT);
      const second = first.code === 0 ? await npm(acme) : first;
      if (second.code !== 0 || !existsSync(bin)) {
        // npm unavailable offline here: lay the prefix out the way npm does.
        how = `symlinks (npm failed: ${(second.stderr || second.stdout).trim().split('\n').pop()})`;
        rmSync(P, { recursive: true, force: true });
        mkdirSync(join(P, 'lib', 'node_modules'), { recursive: true });
        mkdirSync(join(P, 'bin'), { recursive: true });
        symlinkSync(ROOT, join(P, 'lib', 'node_modules', 'accelctl'), 'dir');
        symlinkSync(acme, join(P, 'lib', 'node_modules', 'accelctl-plugin-acme'), 'dir');
        symlinkSync(relative(join(P, 'bin'), join(P, 'lib', 'node_modules', 'accelctl', 'bin', 'accelctl')), bin);
      }
    }, 150_000);

    it('plugin list shows it with source npm, device type and command count', async () => {
      const { json, code, stderr } = await accelctlJson(bin, ['plugin', 'list']);
      expect(code, `${how}: ${stderr}`).toBe(0);
      const entry = json.plugins.find((p: { name: string }) => p.name === 'acme');
      expect(entry, how).toMatchObject({ name: 'acme', version: '0.1.0', source: 'npm', device_type: 200, commands: 2 });
      expect(entry.error).toBeUndefined();
      expect(entry.location).toBe(join(P, 'lib', 'node_modules', 'accelctl-plugin-acme'));
      // The built-ins are still there, first.
      expect(json.plugins.slice(0, 4).map((p: { source: string }) => p.source)).toEqual(['builtin', 'builtin', 'builtin', 'builtin']);
    });

    it('drives a simulated device through the installed accelctl', async () => {
      const D = join(T, 'fleet');
      const init = await exec(process.execPath, [bin, 'sim', 'init', D, '--fleet', 'acme=1']);
      expect(init.code, init.stderr).toBe(0);
      const status = await accelctlJson(bin, ['--sim-dir', D, 'acme', 'status', 'fwctl0']);
      expect(status.code, status.stderr).toBe(0);
      expect(status.json).toMatchObject({ device: 'fwctl0', firmware: '1.2.3', fan_rpm: 4000 });
      const list = await accelctlJson(bin, ['--sim-dir', D, 'list']);
      expect(list.code, list.stderr).toBe(0);
      expect(list.json.devices).toEqual([expect.objectContaining({ name: 'fwctl0', plugin: 'acme', model: 'Acme Widget', firmware: '1.2.3' })]);
      // A configure command through the installed plugin: refused without --yes, applied with it.
      expect((await exec(process.execPath, [bin, '--sim-dir', D, 'acme', 'set-fan', 'fwctl0', '--rpm', '6000'])).code).not.toBe(0);
      expect((await exec(process.execPath, [bin, '--sim-dir', D, 'acme', 'set-fan', 'fwctl0', '--rpm', '6000', '--yes'])).code).toBe(0);
      expect((await accelctlJson(bin, ['--sim-dir', D, 'acme', 'status', 'fwctl0'])).json.fan_rpm).toBe(6000);
    });

    it('plugin check by name finds the installed plugin', async () => {
      const { json, code, stderr } = await accelctlJson(bin, ['plugin', 'check', 'acme'], { cwd: P });
      expect(code, stderr).toBe(0);
      expect(json.passed).toBe(true);
    });
  });

  it('ACCELCTL_PLUGIN_PATH naming the parent directory finds it (source path)', async () => {
    const { json, code, stderr } = await runJson(['plugin', 'list'], { env: { ACCELCTL_PLUGIN_PATH: T } });
    expect(code, stderr).toBe(0);
    expect(json.plugins.find((p: { name: string }) => p.name === 'acme')).toMatchObject({ source: 'path', location: acme, device_type: 200, commands: 2 });
    const D = freshSimDir();
    cleanup.push(dirname(D));
    expect((await run(['sim', 'init', D, '--fleet', 'acme=1'], { env: { ACCELCTL_PLUGIN_PATH: T } })).code).toBe(0);
    const status = await runJson(['acme', 'status', 'fwctl0'], { simDir: D, env: { ACCELCTL_PLUGIN_PATH: T } });
    expect(status.code, status.stderr).toBe(0);
    expect(status.json.firmware).toBe('1.2.3');
  });

  it("does not load a plugin from the current directory's node_modules unless it is listed", async () => {
    const project = join(T, 'project');
    mkdirSync(join(project, 'node_modules'), { recursive: true });
    symlinkSync(acme, join(project, 'node_modules', 'accelctl-plugin-acme'), 'dir');
    const unlisted = await accelctlJson(BIN, ['plugin', 'list'], { cwd: project, env: { ACCELCTL_PLUGIN_PATH: undefined } });
    expect(unlisted.code, unlisted.stderr).toBe(0);
    expect(unlisted.json.plugins.map((p: { name: string }) => p.name)).not.toContain('acme');
    const unknown = await exec(process.execPath, [BIN, 'acme', 'status', 'fwctl0'], { cwd: project, env: { ACCELCTL_PLUGIN_PATH: undefined } });
    expect(unknown.code).not.toBe(0);
    const listed = await accelctlJson(BIN, ['plugin', 'list'], { cwd: project, env: { ACCELCTL_PLUGIN_PATH: 'node_modules' } });
    expect(listed.json.plugins.find((p: { name: string }) => p.name === 'acme')).toMatchObject({ source: 'path', device_type: 200 });
  });
});
