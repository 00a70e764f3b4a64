/**
 * End to end: bin/accelctl as an operator runs it, against simulated fleets.
 * Each test checks stdout, stderr and the exit code.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { freshSimDir, run, runJson, tempDir } from '../helpers/cli';

// mlx5 PRM mailboxes (opcode BE16 @0, op_mod BE16 @6), 16-byte headers.
const QUERY_HCA_CAP_CUR = '0100000000000001' + '0000000000000000'; // inspect, any scope
const QUERY_DIAGNOSTIC_COUNTERS = '0821000000000000' + '0000000000000000'; // inspect, debug_read_only
const ACCESS_REG_WRITE_PAOS = '0805000000000000' + '0000500600000001' + '0'.repeat(32); // configure
const SET_DIAGNOSTIC_PARAMS = '0820000000000000' + '0000000000000000' + '0'.repeat(64); // mutate-debug
const CREATE_MKEY = '0200000000000000' + '0000000000000000'; // not in the kernel allow-list

let fleet: string;
beforeAll(async () => {
  fleet = freshSimDir();
  const init = await run(['sim', 'init', fleet, '--fleet', 'mlx5=2']);
  expect(init.code).toBe(0);
});

describe('accelctl basics', () => {
  it('--version prints the package version', async () => {
    const { stdout, code } = await run(['--version']);
    expect(code).toBe(0);
    expect(stdout.trim()).toBe(JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version);
  });

  it('--help lists commands, plugins and exit codes', async () => {
    const { stdout, code } = await run(['--help']);
    expect(code).toBe(0);
    for (const word of ['list', 'info', 'rpc', 'commands', 'sim', 'mlx5', 'Exit codes', '--allow-mutate']) expect(stdout).toContain(word);
  });

  it('an unknown command is a usage error (exit 2) without a stack trace', async () => {
    const { stderr, code } = await run(['frobnicate']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^accelctl: unknown command 'frobnicate'/);
    expect(stderr).not.toMatch(/\bat .*\.js:\d+/);
  });

  it('an unknown option in JSON mode gives a JSON error document on stderr', async () => {
    const { stderr, stdout, code } = await run(['list', '--bogus', '-o', 'json'], { simDir: fleet });
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(JSON.parse(stderr)).toMatchObject({ schema_version: 1, error: { code: 'ACCELCTL_E_USAGE' } });
  });
});

describe('sim init and fleets', () => {
  it('creates a directory that mirrors sysfs, /dev and /proc', () => {
    expect(existsSync(join(fleet, 'sys/class/fwctl/fwctl0/device'))).toBe(true);
    expect(existsSync(join(fleet, 'sys/class/fwctl/fwctl1/device/driver'))).toBe(true);
    expect(existsSync(join(fleet, 'dev/fwctl/fwctl1'))).toBe(true);
    expect(readFileSync(join(fleet, 'proc/sys/kernel/tainted'), 'utf8').trim()).toBe('0');
  });

  it('refuses to overwrite a fleet without --force, and replaces it with --force', async () => {
    const dir = freshSimDir();
    expect((await run(['sim', 'init', dir, '--fleet', 'mlx5=1'])).code).toBe(0);
    const again = await run(['sim', 'init', dir]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('--force');
    const forced = await runJson(['sim', 'init', dir, '--fleet', 'mlx5=3', '--force']);
    expect(forced.code).toBe(0);
    expect(forced.json.devices).toHaveLength(3);
  });

  it('never touches a directory that is not a fleet', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'precious.txt'), 'keep me');
    const { code, stderr } = await run(['sim', 'init', dir, '--force']);
    expect(code).toBe(1);
    expect(stderr).toContain('not a simulated fleet');
    expect(readFileSync(join(dir, 'precious.txt'), 'utf8')).toBe('keep me');
    // Nor a file given as the fleet (it used to end in "internal error: ENOTDIR").
    const file = join(dir, 'precious.txt');
    for (const args of [['sim', 'init', file, '--force'], ['--sim-dir', file, 'list']]) {
      const refused = await run(args);
      expect(refused.code, refused.stderr).toBe(1);
      expect(refused.stderr).toBe(`accelctl: ${file} is a file, not a simulated fleet\n  hint: choose an empty or new directory\n`);
    }
    expect(readFileSync(file, 'utf8')).toBe('keep me');
  });

  it('rejects a bad fleet spec as a usage error', async () => {
    const { code, stderr } = await run(['sim', 'init', freshSimDir(), '--fleet', 'nosuch=2']);
    expect(code).toBe(2);
    expect(stderr).toContain("no plugin named 'nosuch'");
  });

  it('creates the default fleet on first use of --sim-dir', async () => {
    const dir = freshSimDir();
    const { json, code } = await runJson(['list'], { simDir: dir });
    expect(code).toBe(0);
    expect(json.devices.length).toBeGreaterThanOrEqual(1);
    expect(existsSync(join(dir, '.accelctl-sim'))).toBe(true);
  });
});

describe('list and info', () => {
  it('list -o json has every field for every device', async () => {
    const { json, code } = await runJson(['list'], { simDir: fleet });
    expect(code).toBe(0);
    expect(json.schema_version).toBe(1);
    expect(json.devices.map((d: { name: string }) => d.name)).toEqual(['fwctl0', 'fwctl1']);
    for (const device of json.devices) {
      expect(device).toMatchObject({ plugin: 'mlx5', device_type: 1, path: join(fleet, 'dev/fwctl', device.name) });
      expect(device.pci).toMatch(/^0000:[0-9a-f]{2}:00\.0$/);
      expect(device.serial).toMatch(/^MLX5/);
      expect(typeof device.firmware).toBe('string');
      expect(device.error).toBeUndefined();
    }
  });

  it("a CXL device's firmware comes from its memdev's sysfs firmware_version (fwctl cannot ask for it)", async () => {
    const dir = freshSimDir();
    expect((await run(['sim', 'init', dir, '--fleet', 'cxl=1'])).code).toBe(0);
    const list = await runJson(['list'], { simDir: dir });
    expect(list.json.devices[0]).toMatchObject({ plugin: 'cxl', firmware: 'BWFW VERSION 00' });
    const info = await runJson(['info', 'fwctl0'], { simDir: dir });
    expect(info.json).toMatchObject({ memdev: 'mem0', firmware_version: 'BWFW VERSION 00' });
    expect((await run(['info', 'fwctl0'], { simDir: dir })).stdout).toMatch(/^firmware \(sysfs\) +BWFW VERSION 00$/m);
    expect((await runJson(['fw', 'show', 'fwctl0'], { simDir: dir })).json.fixed).toMatchObject({ sysfs_firmware_version: 'BWFW VERSION 00' });
    expect(JSON.parse((await run(['dump'], { simDir: dir })).stdout).devices[0]).toMatchObject({ memdev: 'mem0', firmware_version: 'BWFW VERSION 00' });
    // And mlx5 has none: its firmware is what its own RPCs say.
    expect((await runJson(['info', 'fwctl0'], { simDir: fleet })).json.firmware_version).toBeNull();
  });

  it('list text shows a table with the same devices', async () => {
    const { stdout, code } = await run(['list'], { simDir: fleet });
    expect(code).toBe(0);
    expect(stdout).toMatch(/NAME\s+PLUGIN\s+PCI/);
    expect(stdout).toContain('fwctl0');
    expect(stdout).toContain('fwctl1');
  });

  it('list never sends more than inspect and never taints', async () => {
    const dir = freshSimDir();
    await run(['list'], { simDir: dir });
    const stats = await runJson(['sim', 'stats'], { simDir: dir });
    expect(stats.json.kernel_tainted_fwctl).toBe(false);
    for (const d of stats.json.devices) expect(d.requested.debug_write + d.requested.debug_write_full).toBe(0);
  });

  it('info decodes the mlx5 device data', async () => {
    const { json, code } = await runJson(['info', 'fwctl1'], { simDir: fleet });
    expect(code).toBe(0);
    expect(json).toMatchObject({ device: 'fwctl1', plugin: 'mlx5', device_type: 1, device_type_name: 'mlx5', driver: 'mlx5_core' });
    expect(json.device_data).toMatch(/^[0-9a-f]{16}$/);
    expect(Object.keys(json.device_data_decoded)).toEqual(expect.arrayContaining(['uid']));
  });

  it('selects devices by /dev path, PCI address and serial', async () => {
    const { json } = await runJson(['list'], { simDir: fleet });
    const target = json.devices[1];
    for (const selector of [`/dev/fwctl/${target.name}`, target.pci, target.pci.slice(5), target.serial]) {
      const info = await runJson(['info', selector], { simDir: fleet });
      expect(info.json.device).toBe(target.name);
    }
  });

  it('an unknown device exits 3 with a hint', async () => {
    const { code, stderr } = await run(['info', 'fwctl9'], { simDir: fleet });
    expect(code).toBe(3);
    expect(stderr).toContain("no fwctl device matches 'fwctl9'");
    expect(stderr).toContain('hint:');
  });
});

describe('rpc passthru', () => {
  it('sends an inspect RPC and reports class, minimum scope, request and reply', async () => {
    const { json, code } = await runJson(['rpc', 'fwctl0', '--in', QUERY_HCA_CAP_CUR], { simDir: fleet });
    expect(code).toBe(0);
    expect(json).toMatchObject({ sent: true, rpc: 'QUERY_HCA_CAP', class: 'inspect', scope: 'configuration', request: QUERY_HCA_CAP_CUR, status: { ok: true } });
    expect(json.reply.length).toBeGreaterThan(32);
  });

  it('uses debug_read_only where the kernel needs it, and reports a firmware status as exit 1', async () => {
    // Counters were never enabled: the firmware answers BAD_SYS_STATE inside a delivered reply.
    const { json, code, stderr } = await runJson(['rpc', 'fwctl0', '--in', QUERY_DIAGNOSTIC_COUNTERS], { simDir: fleet });
    expect(json).toMatchObject({ scope: 'debug_read_only', sent: true, status: { ok: false, message: 'BAD_SYS_STATE' } });
    expect(code).toBe(1);
    expect(JSON.parse(stderr).error.code).toBe('ACCELCTL_E_DEVICE_STATUS');
  });

  it('--dry-run shows the classification and sends nothing', async () => {
    const dir = freshSimDir();
    const { json, code } = await runJson(['rpc', 'fwctl0', '--in', SET_DIAGNOSTIC_PARAMS, '--dry-run'], { simDir: dir });
    expect(code).toBe(0);
    expect(json).toMatchObject({ sent: false, class: 'mutate-debug', scope: 'debug_write', gate: 'allow-mutate', request: SET_DIAGNOSTIC_PARAMS });
    const stats = await runJson(['sim', 'stats', 'fwctl0'], { simDir: dir });
    expect(stats.json.devices[0].requested).toEqual({ configuration: expect.any(Number), debug_read_only: expect.any(Number), debug_write: 0, debug_write_full: 0 });
    expect(stats.json.kernel_tainted_fwctl).toBe(false);
  });

  it('refuses configure without --yes (exit 4, names the flag) and sends it with --yes', async () => {
    const refused = await run(['rpc', 'fwctl0', '--in', ACCESS_REG_WRITE_PAOS], { simDir: fleet });
    expect(refused.code).toBe(4);
    expect(refused.stderr).toContain('--yes');
    const sent = await runJson(['rpc', 'fwctl0', '--in', ACCESS_REG_WRITE_PAOS, '--yes'], { simDir: fleet });
    expect(sent.json).toMatchObject({ class: 'configure', scope: 'configuration', sent: true });
  });

  it('refuses mutate-debug without --allow-mutate (exit 4) and taints the kernel with it', async () => {
    const dir = freshSimDir();
    const refused = await run(['rpc', 'fwctl0', '--in', SET_DIAGNOSTIC_PARAMS], { simDir: dir });
    expect(refused.code).toBe(4);
    expect(refused.stderr).toContain('--allow-mutate');
    expect(refused.stderr).toContain('taint');
    expect((await runJson(['sim', 'stats'], { simDir: dir })).json.kernel_tainted_fwctl).toBe(false);
    const sent = await runJson(['rpc', 'fwctl0', '--in', SET_DIAGNOSTIC_PARAMS, '--allow-mutate'], { simDir: dir });
    expect(sent.json).toMatchObject({ class: 'mutate-debug', scope: 'debug_write' });
    expect((await runJson(['sim', 'stats'], { simDir: dir })).json.kernel_tainted_fwctl).toBe(true);
  });

  it('refuses an opcode outside the kernel allow-list (exit 4) without sending it', async () => {
    const dir = freshSimDir();
    const { code, stderr } = await run(['rpc', 'fwctl0', '--in', CREATE_MKEY, '--yes', '--allow-mutate'], { simDir: dir });
    expect(code).toBe(4);
    expect(stderr).toContain('cannot classify');
    const stats = await runJson(['sim', 'stats', 'fwctl0'], { simDir: dir });
    expect(stats.json.devices[0].refused).toBe(0);
  });

  it('bad hex is a usage error naming the problem', async () => {
    const odd = await run(['rpc', 'fwctl0', '--in', '0100z'], { simDir: fleet });
    expect(odd.code).toBe(2);
    expect(odd.stderr).toContain("'z' is not a hex digit");
    const half = await run(['rpc', 'fwctl0', '--in', '010'], { simDir: fleet });
    expect(half.code).toBe(2);
    expect(half.stderr).toContain('odd number of hex digits');
  });

  it('reads the request from @FILE and reports a missing file clearly', async () => {
    const dir = tempDir();
    const file = join(dir, 'req.bin');
    writeFileSync(file, Buffer.from(QUERY_HCA_CAP_CUR, 'hex'));
    const ok = await runJson(['rpc', 'fwctl0', '--in', `@${file}`], { simDir: fleet });
    expect(ok.json.rpc).toBe('QUERY_HCA_CAP');
    const missing = await run(['rpc', 'fwctl0', '--in', `@${join(dir, 'nope.bin')}`], { simDir: fleet });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(`accelctl: --in: cannot read ${join(dir, 'nope.bin')}: no such file\n`);
  });

  it('-v traces class, scope and bytes on stderr, leaving stdout JSON', async () => {
    const { stdout, stderr, code } = await run(['rpc', 'fwctl0', '--in', QUERY_HCA_CAP_CUR, '-v', '-o', 'json'], { simDir: fleet });
    expect(code).toBe(0);
    expect(JSON.parse(stdout).rpc).toBe('QUERY_HCA_CAP');
    expect(stderr).toContain('QUERY_HCA_CAP class=inspect scope=configuration');
    expect(stderr).toContain(`> ${QUERY_HCA_CAP_CUR}`);
  });
});

describe('faults', () => {
  it('a hung device times out at --timeout with exit 5', async () => {
    const dir = freshSimDir();
    await run(['sim', 'init', dir, '--fleet', 'mlx5=1']);
    // The short form, as `sim fault --help` shows it first; `--set hang` does the same (below).
    expect((await run(['sim', 'fault', 'fwctl0', 'hang'], { simDir: dir })).code).toBe(0);
    const { code, stderr } = await run(['rpc', 'fwctl0', '--in', QUERY_HCA_CAP_CUR, '--timeout', '300'], { simDir: dir });
    expect(code).toBe(5);
    expect(stderr).toContain('no answer within 300 ms');
  });

  it('sim fault takes faults as arguments or with --set, and refuses unknown ones', async () => {
    const dir = freshSimDir();
    await run(['sim', 'init', dir, '--fleet', 'mlx5=1']);
    const both = await runJson(['sim', 'fault', 'fwctl0', 'garbage', '--set', 'fw-error'], { simDir: dir });
    expect(both.code).toBe(0);
    expect(both.json.faults).toEqual(['garbage', 'fw-error']);
    const bad = await run(['sim', 'fault', 'fwctl0', 'melt'], { simDir: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("'melt' is invalid");
    expect(bad.stderr).toContain('hang, garbage, gone, fw-error, health-error, power-loss');
    // Nothing changed by the refused call.
    expect((await runJson(['sim', 'fault', 'fwctl0'], { simDir: dir })).json.faults).toEqual(['garbage', 'fw-error']);
  });

  it('list flags a device that stopped answering or told nothing, though identify is best effort; a hung one costs one timeout', async () => {
    const dir = freshSimDir();
    await run(['sim', 'init', dir, '--fleet', 'mlx5=3']);
    await run(['sim', 'fault', 'fwctl0', 'hang'], { simDir: dir });
    await run(['sim', 'fault', 'fwctl1', 'garbage'], { simDir: dir });
    const text = await run(['list', '--timeout', '300'], { simDir: dir });
    expect(text.code, text.stderr).toBe(0);
    const rows = text.stdout.split('\n');
    // mlx5's identify() swallows its RPCs' errors; the row says error all the same.
    expect(rows.filter((r) => /^fwctl[01] .* error +\S+$/.test(r))).toHaveLength(2);
    expect(rows.find((r) => r.startsWith('fwctl2 '))).toContain('28.39.1002');
    // The reasons under the table, one line each, in device order.
    expect(rows.filter((r) => r.startsWith('warning: '))).toEqual([
      'warning: fwctl0: no answer within 300 ms',
      expect.stringMatching(/^warning: fwctl1: \S+ failed in the device: /),
    ]);
    const { json } = await runJson(['list', '--timeout', '300'], { simDir: dir });
    expect(json.devices.map((d: { error?: { code: string } }) => d.error?.code)).toEqual(['ACCELCTL_E_TIMEOUT', 'ACCELCTL_E_DEVICE_STATUS', undefined]);
    // Each list sent the hung mlx5 device one RPC (its identify would send two), not one per --timeout.
    const stats = (await runJson(['sim', 'stats'], { simDir: dir })).json.devices;
    const sent = (name: string) => Object.values(stats.find((d: { name: string }) => d.name === name).requested as Record<string, number>).reduce((a, b) => a + b, 0);
    expect(sent('fwctl0')).toBe(2);
    expect(sent('fwctl2')).toBe(4);
  });

  it('a device that is gone exits 3; garbage replies fail cleanly with exit 1', async () => {
    const dir = freshSimDir();
    await run(['sim', 'init', dir, '--fleet', 'mlx5=1']);
    await run(['sim', 'fault', 'fwctl0', '--set', 'garbage'], { simDir: dir });
    const garbage = await run(['mlx5', 'caps', 'fwctl0'], { simDir: dir });
    expect(garbage.code).toBe(1);
    expect(garbage.stderr).toMatch(/^accelctl: /);
    expect(garbage.stderr).not.toContain('    at ');
    await run(['sim', 'fault', 'fwctl0', '--clear', '--set', 'gone'], { simDir: dir });
    const gone = await run(['info', 'fwctl0'], { simDir: dir });
    expect(gone.code).toBe(3);
    expect(gone.stderr).toContain('gone');
  });
});

describe('commands', () => {
  it('lists every command and RPC kind with class and scope', async () => {
    const { json, code } = await runJson(['commands']);
    expect(code).toBe(0);
    const names = json.commands.map((c: { command: string }) => c.command);
    expect(names).toEqual(expect.arrayContaining(['list', 'info', 'rpc', 'mlx5 caps']));
    const kinds = new Map(json.rpc_kinds.map((k: { name: string; class: string; scope: string }) => [k.name, `${k.class}@${k.scope}`]));
    expect(kinds.get('QUERY_HCA_CAP')).toBe('inspect@configuration');
    expect(kinds.get('SET_DIAGNOSTIC_PARAMS')).toBe('mutate-debug@debug_write');
  });

  it('an unknown plugin is an error naming the known ones', async () => {
    const { code, stderr } = await run(['commands', 'nosuch']);
    expect(code).toBe(2);
    expect(stderr).toContain('known plugins');
  });
});
