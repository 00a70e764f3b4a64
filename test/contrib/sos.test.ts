/**
 * contrib/sos/accelctl.py with the real sos report (Debian's `sosreport`
 * package): the plugin is copied into sos's plugin directory, sos runs it
 * against a simulated fleet, and the archive tree must hold `accelctl list`
 * and a complete `accelctl dump`, while the simulated kernel saw nothing
 * above debug_read_only and was not tainted.
 *
 * Needs root (or passwordless sudo): sos report refuses to run otherwise, and
 * the plugin and an `accelctl` shim must be installed system-wide (sos resets
 * PATH to its policy's, e.g. /usr/sbin:/usr/bin:... on Debian). Skipped with
 * the reason when sos or privileges are missing, except under CI (env CI set),
 * where that fails. CI installs sos with:
 *   apt-get install -y --no-install-recommends sosreport
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, freshSimDir, run, runJson, tempDir } from '../helpers/cli';

const PLUGIN_SRC = fileURLToPath(new URL('../../contrib/sos/accelctl.py', import.meta.url));
/** First directory of Debian's sos policy PATH: a shim here wins over any other accelctl. */
const SHIM_PATH = '/usr/sbin/accelctl';
const SHIM_MARK = '# accelctl test shim (test/contrib/sos.test.ts)';

interface Sos {
  /** argv prefix that runs `sos report` (or sosreport). */
  report: string[];
  pluginDir: string;
}

function which(name: string): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(':'), '/usr/sbin', '/usr/bin', '/sbin', '/bin'];
  for (const dir of dirs) {
    if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

/** Find sos and, through the Python its script runs with, its plugin directory. */
function findSos(): Sos | string {
  const sos = which('sos');
  const sosreport = which('sosreport');
  const script = sos ?? sosreport;
  if (script === undefined) return 'sos is not installed (apt-get install sosreport)';
  const shebang = readFileSync(script, 'utf8').split('\n')[0] ?? '';
  const words = shebang.replace(/^#!\s*/, '').trim().split(/\s+/);
  const python = words[0]?.endsWith('/env') ? (words[1] ?? 'python3') : (words[0] ?? 'python3');
  const probe = spawnSync(python, ['-c', 'import os, sos.report.plugins as p; print(os.path.dirname(p.__file__))'], { encoding: 'utf8' });
  if (probe.status !== 0) return `sos's Python (${python}) cannot import sos.report.plugins: ${probe.stderr.trim()}`;
  return { report: sos !== undefined ? [sos, 'report'] : [script], pluginDir: probe.stdout.trim() };
}

/** argv prefix for privileged commands: none as root, `sudo -n` if that works, else the reason. */
function privilege(): string[] | string {
  if (process.getuid?.() === 0) return [];
  const sudo = spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' });
  if (sudo.status === 0) return ['sudo', '-n'];
  return 'needs root or passwordless sudo (sos report runs as root; the plugin goes into sos\'s plugin directory)';
}

const sos = findSos();
const priv = privilege();
const skipReason = typeof sos === 'string' ? sos : typeof priv === 'string' ? priv : undefined;
const ci = Boolean(process.env.CI);

function sh(argv: string[], timeoutMs = 50_000): Promise<{ code: number | null; out: string }> {
  const [cmd, ...args] = [...(priv as string[]), ...argv];
  return new Promise((resolve, reject) => {
    const child = spawn(cmd!, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (out += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

if (skipReason !== undefined && ci) {
  describe('sos report plugin (contrib/sos/accelctl.py)', () => {
    it('has sos report and root available (required under CI)', () => {
      throw new Error(`CI is set but the sos plugin cannot be tested: ${skipReason}`);
    });
  });
} else if (skipReason !== undefined) {
  describe('sos report plugin (contrib/sos/accelctl.py)', () => {
    it.skip(`skipped: ${skipReason}`, () => {});
  });
} else {
  const { report, pluginDir } = sos as Sos;
  const pluginDest = join(pluginDir, 'accelctl.py');

  describe('sos report plugin (contrib/sos/accelctl.py)', () => {
    let work: string;
    let fleet: string;
    let installedShim = false;
    let installedPlugin = false;

    beforeAll(async () => {
      if (existsSync(pluginDest)) throw new Error(`${pluginDest} already exists; not overwriting it`);
      if (existsSync(SHIM_PATH) && !readFileSync(SHIM_PATH, 'utf8').includes(SHIM_MARK)) {
        throw new Error(`${SHIM_PATH} exists and is not this test's shim; not overwriting it`);
      }
      work = tempDir('accelctl-sos-');
      chmodSync(work, 0o755);
      fleet = freshSimDir();
      const init = await run(['sim', 'init', fleet]);
      expect(init.code, init.stderr).toBe(0);

      const shim = join(work, 'accelctl');
      writeFileSync(shim, `#!/bin/sh\n${SHIM_MARK}\nexec '${process.execPath}' '${BIN}' "$@"\n`, { mode: 0o755 });
      const cpShim = await sh(['install', '-m', '0755', shim, SHIM_PATH]);
      expect(cpShim.code, cpShim.out).toBe(0);
      installedShim = true;
      const cpPlugin = await sh(['install', '-m', '0644', PLUGIN_SRC, pluginDest]);
      expect(cpPlugin.code, cpPlugin.out).toBe(0);
      installedPlugin = true;
    });

    afterAll(async () => {
      const leftovers: string[] = [];
      if (installedPlugin) {
        leftovers.push(pluginDest);
        const cache = join(pluginDir, '__pycache__');
        if (existsSync(cache)) {
          for (const f of readdirSync(cache)) if (f.startsWith('accelctl.')) leftovers.push(join(cache, f));
        }
      }
      if (installedShim) leftovers.push(SHIM_PATH);
      if (leftovers.length > 0) await sh(['rm', '-f', ...leftovers]);
      if (work !== undefined) await sh(['rm', '-rf', work]);
    });

    /** Run sos report with only the accelctl plugin; return the build tree's sos_commands/accelctl. */
    async function sosReport(name: string, plugopts: string[]): Promise<{ dir: string; out: string }> {
      const tmp = join(work, name);
      const mk = await sh(['mkdir', '-p', tmp]);
      expect(mk.code, mk.out).toBe(0);
      const args = ['--batch', '--build', '--only-plugins', 'accelctl', '--tmp-dir', tmp];
      for (const opt of plugopts) args.push('-k', opt);
      const result = await sh([...report, ...args]);
      expect(result.code, result.out).toBe(0);
      // sos writes its tree as root with 0700 directories: hand it (and the
      // fleet, whose state files root just wrote) back to this user
      if ((priv as string[]).length > 0) {
        const own = `${process.getuid!()}:${process.getgid!()}`;
        const chown = await sh(['chown', '-R', own, tmp, fleet]);
        expect(chown.code, chown.out).toBe(0);
      }
      const trees = readdirSync(tmp).filter((f) => f.startsWith('sosreport-') && !/\.(tar|md5|sha256)/.test(f));
      expect(trees, result.out).toHaveLength(1);
      return { dir: join(tmp, trees[0]!, 'sos_commands', 'accelctl'), out: result.out };
    }

    it('collects accelctl list and a complete dump, sending nothing above debug_read_only', async () => {
      const before = await runJson(['sim', 'stats'], { simDir: fleet });
      expect(before.json.taint).toBe(0);

      const { dir, out } = await sosReport('plain', [`accelctl.sim_dir=${fleet}`]);
      expect(existsSync(dir), out).toBe(true);
      expect(readdirSync(dir).sort()).toEqual(['accelctl_--version', 'accelctl_dump.json', 'accelctl_list', 'accelctl_list.json']);

      const listed = await runJson(['list'], { simDir: fleet });
      const names: string[] = listed.json.devices.map((d: { name: string }) => d.name);
      expect(names.length).toBeGreaterThan(0);

      const listText = readFileSync(join(dir, 'accelctl_list'), 'utf8');
      for (const name of names) expect(listText).toContain(name);
      const listJson = JSON.parse(readFileSync(join(dir, 'accelctl_list.json'), 'utf8'));
      expect(listJson.schema_version).toBe(1);
      expect(listJson.devices.map((d: { name: string }) => d.name)).toEqual(names);

      const dump = JSON.parse(readFileSync(join(dir, 'accelctl_dump.json'), 'utf8'));
      expect(dump.schema_version).toBe(1);
      expect(dump.manifest.kernel_taint.fwctl).toBe(false);
      expect(dump.devices.map((d: { name: string }) => d.name)).toEqual(names);
      for (const device of dump.devices) expect(device.commands.length).toBeGreaterThan(0);

      const stats = await runJson(['sim', 'stats'], { simDir: fleet });
      expect(stats.json.kernel_tainted_fwctl).toBe(false);
      expect(stats.json.taint).toBe(0);
      let inspected = 0;
      for (const d of stats.json.devices) {
        expect(d.requested.debug_write, d.name).toBe(0);
        expect(d.requested.debug_write_full, d.name).toBe(0);
        inspected += d.requested.configuration + d.requested.debug_read_only;
      }
      // the dump really ran against this fleet (sim_dir was passed through)
      expect(inspected).toBeGreaterThan(0);
    }, 60_000);

    it('redact=on leaves none of the devices\' serial numbers in what it collects', async () => {
      const listed = await runJson(['list'], { simDir: fleet });
      const serials: string[] = listed.json.devices.map((d: { serial: string | null }) => d.serial).filter((s: string | null): s is string => Boolean(s));
      expect(serials.length).toBeGreaterThan(0);

      const { dir, out } = await sosReport('redacted', [`accelctl.sim_dir=${fleet}`, 'accelctl.redact=on']);
      // accelctl list has no --redact, so the plugin leaves it out when redacting
      expect(readdirSync(dir).sort(), out).toEqual(['accelctl_--version', 'accelctl_dump.json']);
      const dump = JSON.parse(readFileSync(join(dir, 'accelctl_dump.json'), 'utf8'));
      expect(dump.schema_version, out).toBe(1);
      expect(dump.devices.length).toBe(serials.length);
      for (const file of readdirSync(dir)) {
        const text = readFileSync(join(dir, file), 'utf8');
        for (const serial of serials) expect(text, file).not.toContain(serial);
      }

      const stats = await runJson(['sim', 'stats'], { simDir: fleet });
      expect(stats.json.kernel_tainted_fwctl).toBe(false);
      for (const d of stats.json.devices) expect(d.requested.debug_write + d.requested.debug_write_full).toBe(0);
    }, 60_000);
  });
}
