/**
 * End to end: the umbrella's config / reset / fw / health / metrics / dump
 * commands against a fleet with one simulated DSC, through bin/accelctl.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { freshSimDir, run, runJson, tempDir } from '../../helpers/cli';

let fleet = '';

beforeEach(async () => {
  fleet = freshSimDir();
  const init = await run(['sim', 'init', fleet, '--fleet', 'pds=1']);
  expect(init.code, init.stderr).toBe(0);
});

const param = (json: { params: { name: string }[] }, name: string) => json.params.find((p) => p.name === name) as Record<string, unknown>;

describe('accelctl config / reset on pds (e2e)', () => {
  it('show lists nine typed parameters with default, current, next boot and apply', async () => {
    const { json, code } = await runJson(['config', 'show', 'fwctl0'], { simDir: fleet });
    expect(code).toBe(0);
    expect(json.params.map((p: { name: string }) => p.name)).toEqual(['sriov_en', 'num_vfs', 'vnet_en', 'port_fec', 'lldp_en', 'pxe_boot_en', 'power_mode', 'board_label', 'secure_boot_en']);
    expect(param(json, 'num_vfs')).toMatchObject({ type: 'int 0..64', default: 16, current: 16, next_boot: 16, pending: false, apply: 'reset' });
    expect(param(json, 'secure_boot_en')).toMatchObject({ read_only: true });
    expect(json.note).toMatch(/commit_config/);
  });

  it('set is refused without --yes (exit 4, unchanged), bad values exit 2, then set → pending → reset applies', async () => {
    expect((await run(['config', 'set', 'fwctl0', 'num_vfs=32'], { simDir: fleet })).code).toBe(4);
    expect((await run(['config', 'set', 'fwctl0', 'num_vfs=99', '--yes'], { simDir: fleet })).code).toBe(2);
    expect((await run(['config', 'set', 'fwctl0', 'port_fec=baser', '--yes'], { simDir: fleet })).code).toBe(2);
    let shown = await runJson(['config', 'show', 'fwctl0', 'num_vfs'], { simDir: fleet });
    expect(param(shown.json, 'num_vfs')).toMatchObject({ next_boot: 16, pending: false });

    const set = await runJson(['config', 'set', 'fwctl0', 'num_vfs=32', 'port_fec=fc', '--yes'], { simDir: fleet });
    expect(set.code, set.stderr).toBe(0);
    expect(param(set.json, 'num_vfs')).toMatchObject({ current: 16, next_boot: 32, pending: true });
    expect(param(set.json, 'port_fec')).toMatchObject({ current: 'fc', next_boot: 'fc', pending: false });

    expect((await run(['reset', 'fwctl0'], { simDir: fleet })).code).toBe(4);
    const reset = await runJson(['reset', 'fwctl0', '--yes'], { simDir: fleet });
    expect(reset.code, reset.stderr).toBe(0);
    expect(reset.json).toMatchObject({ level: 'fw', applied_params: [{ name: 'num_vfs', value: 32 }], still_pending: [] });
    shown = await runJson(['config', 'show', 'fwctl0', 'num_vfs'], { simDir: fleet });
    expect(param(shown.json, 'num_vfs')).toMatchObject({ current: 32, next_boot: 32, pending: false });

    const back = await runJson(['config', 'reset', 'fwctl0', '--yes'], { simDir: fleet });
    expect(back.code, back.stderr).toBe(0);
    expect(param(back.json, 'num_vfs')).toMatchObject({ current: 32, next_boot: 16 });
    expect(param(back.json, 'port_fec')).toMatchObject({ current: 'rs', next_boot: 'rs' });

    // Nothing above needed more than the configuration scope: no taint.
    const stats = await runJson(['sim', 'stats', 'fwctl0'], { simDir: fleet });
    expect(stats.json.kernel_tainted_fwctl).toBe(false);
    expect(stats.json.devices[0].requested).toMatchObject({ debug_write: 0, debug_write_full: 0 });
  });
});

describe('accelctl fw on pds (e2e)', () => {
  it('show reports devlink-style versions; flash is unsupported through fwctl and names devlink', async () => {
    const { json, code } = await runJson(['fw', 'show', 'fwctl0'], { simDir: fleet });
    expect(code).toBe(0);
    expect(json).toMatchObject({ running: { fw: '1.68.0-E-56' }, active_bank: 'mainfwa', pending_activation: false });
    expect(Object.keys(json.stored)).toEqual(['fw.goldfw', 'fw.mainfwa', 'fw.mainfwb']);
    expect(json.fixed['asic.id']).toBe('0x2');

    const sent = async () => {
      const stats = await runJson(['sim', 'stats', 'fwctl0'], { simDir: fleet });
      return Object.values(stats.json.devices[0].requested as Record<string, number>).reduce((a, b) => a + b, 0);
    };
    const before = await sent();
    const image = join(tempDir(), 'dsc.bin');
    writeFileSync(image, new Uint8Array(4096));
    const flash = await run(['fw', 'flash', 'fwctl0', image, '--yes'], { simDir: fleet });
    expect(flash.code).toBe(1);
    expect(flash.stderr).toMatch(/devlink flash/);
    expect(flash.stderr).toMatch(/devlink dev flash pci\/.* file <image>/);
    expect(await sent()).toBe(before); // nothing reached the device
  });
});

describe('accelctl health / metrics / dump on pds (e2e)', () => {
  it('health: healthy exits 0; the health-error fault turns fw to error (exit 6); clearing it recovers with the count kept', async () => {
    let h = await runJson(['health', 'fwctl0'], { simDir: fleet });
    expect(h.code).toBe(0);
    expect(h.json.devices[0].reporters.map((r: { name: string }) => r.name)).toEqual(['fw', 'thermal', 'link']);
    expect((await run(['sim', 'fault', 'fwctl0', '--set', 'health-error'], { simDir: fleet })).code).toBe(0);
    h = await runJson(['health', 'fwctl0'], { simDir: fleet });
    expect(h.code).toBe(6);
    expect(h.json.devices[0].reporters[0]).toMatchObject({ name: 'fw', state: 'error', error_count: 1, last_error: expect.stringMatching(/PDS_RC_EIO/) });
    expect((await run(['sim', 'fault', 'fwctl0', '--clear'], { simDir: fleet })).code).toBe(0);
    h = await runJson(['health', 'fwctl0'], { simDir: fleet });
    expect(h.code).toBe(0);
    expect(h.json.devices[0].reporters[0]).toMatchObject({ state: 'healthy', error_count: 1 });
  });

  it('metrics: JSON counters move over time; Prometheus output passes promtool when installed', async () => {
    const value = (json: any, name: string) => json.devices[0].metrics.find((m: { name: string; labels?: { port?: string } }) => m.name === name && m.labels?.port === '0').value as number;
    const first = await runJson(['metrics', 'fwctl0'], { simDir: fleet });
    expect(first.code).toBe(0);
    await new Promise((r) => setTimeout(r, 1100));
    const second = await runJson(['metrics', 'fwctl0'], { simDir: fleet });
    expect(value(second.json, 'rx_bytes_total')).toBeGreaterThan(value(first.json, 'rx_bytes_total'));

    const prom = await run(['metrics', 'fwctl0', '-o', 'prometheus'], { simDir: fleet });
    expect(prom.code).toBe(0);
    expect(prom.stdout).toMatch(/^# TYPE accelctl_rx_bytes_total counter$/m);
    expect(prom.stdout).toMatch(/accelctl_temperature_celsius\{.*sensor="asic"\}/);
    const promtool = spawnSync('promtool', ['check', 'metrics'], { input: prom.stdout, encoding: 'utf8' });
    if (promtool.error === undefined) expect(promtool.status, promtool.stdout + promtool.stderr).toBe(0);

    const stats = await runJson(['sim', 'stats', 'fwctl0'], { simDir: fleet });
    expect(stats.json.devices[0].requested).toMatchObject({ debug_read_only: 0, debug_write: 0, debug_write_full: 0 });
  });

  it('dump: runs the inspect commands (operations for every endpoint), never call, never taints', async () => {
    const dump = await run(['dump', 'fwctl0'], { simDir: fleet });
    expect(dump.code, dump.stderr).toBe(0);
    const json = JSON.parse(dump.stdout);
    const commands = json.devices[0].commands.map((c: { command: string; args: string[] }) => [c.command, ...c.args].join(' '));
    expect(commands).toEqual(expect.arrayContaining(['pds endpoints', 'pds operations system', 'pds operations port', 'pds operations diag', 'pds operations config']));
    expect(commands.some((c: string) => c.startsWith('pds call'))).toBe(false);
    const stats = await runJson(['sim', 'stats', 'fwctl0'], { simDir: fleet });
    expect(stats.json.kernel_tainted_fwctl).toBe(false);
    expect(stats.json.devices[0].requested).toMatchObject({ debug_write: 0, debug_write_full: 0 });
    expect(stats.json.devices[0].requested.configuration).toBeGreaterThan(0);
  });
});
