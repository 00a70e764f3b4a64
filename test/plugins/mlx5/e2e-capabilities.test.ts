/**
 * End to end: the umbrella's config / reset / fw / health / metrics / dump
 * commands on a simulated ConnectX-7, through bin/accelctl (needs the bundle).
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { freshSimDir, run, runJson } from '../../helpers/cli';

describe('mlx5 capabilities e2e (simulated ConnectX-7)', () => {
  let simDir: string;
  const cli = (...args: string[]) => run(args, { simDir });
  const json = <T = any>(...args: string[]) => runJson<T>(args, { simDir });
  const param = async (name: string) => (await json('config', 'show', 'fwctl0', name)).json.params[0];
  const fwVersions = async () => (await json('fw', 'show', 'fwctl0')).json;

  beforeAll(async () => {
    simDir = freshSimDir();
    const init = await run(['sim', 'init', simDir, '--fleet', 'mlx5=1']);
    expect(init.code, init.stderr).toBe(0);
  });

  it('config: show, refused without --yes, bad value exit 2, set → pending → reset → current', async () => {
    const shown = await json('config', 'show', 'fwctl0');
    expect(shown.code).toBe(0);
    expect(shown.json.params.length).toBeGreaterThanOrEqual(6);
    expect(shown.json.note).toContain('MNVDA');
    const refused = await cli('config', 'set', 'fwctl0', 'num_of_vfs=16');
    expect(refused.code, refused.stderr).toBe(4);
    expect((await cli('config', 'set', 'fwctl0', 'num_of_vfs=1000', '--yes')).code).toBe(2);
    expect((await cli('config', 'set', 'fwctl0', 'cqe_compression=fast', '--yes')).code).toBe(2);
    expect(await param('num_of_vfs')).toMatchObject({ current: 8, next_boot: 8, pending: false });

    const set = await cli('config', 'set', 'fwctl0', 'num_of_vfs=16', 'link_type_p1=ib', '--yes');
    expect(set.code, set.stderr).toBe(0);
    expect(await param('num_of_vfs')).toMatchObject({ current: 8, next_boot: 16, pending: true });
    expect((await cli('reset', 'fwctl0')).code).toBe(4);
    const reset = await cli('reset', 'fwctl0', '--yes');
    expect(reset.code, reset.stderr).toBe(0);
    expect(await param('num_of_vfs')).toMatchObject({ current: 16, next_boot: 16, pending: false });
    expect(await param('link_type_p1')).toMatchObject({ current: 'ib', default: 'eth' });
  });

  it('fw: wrong target and corrupt images refused (exit 2); flash → pending → activate → running', async () => {
    const good = join(simDir, 'fw-good.bin');
    const corrupt = join(simDir, 'fw-corrupt.bin');
    const other = join(simDir, 'fw-other.bin');
    // `--version=V`: with a space, the global --version flag answers first (see report)
    expect((await cli('sim', 'fw-image', '--plugin=mlx5', `--out=${good}`, '--version=28.40.1000')).code).toBe(0);
    expect((await cli('sim', 'fw-image', '--plugin=mlx5', `--out=${corrupt}`, '--version=28.40.1000', '--corrupt')).code).toBe(0);
    expect((await cli('sim', 'fw-image', '--plugin=mlx5', `--out=${other}`, '--version=28.40.1000', '--target=MT_0000000999')).code).toBe(0);
    const bad = await cli('fw', 'flash', 'fwctl0', corrupt, '--yes');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('corrupt');
    const wrong = await cli('fw', 'flash', 'fwctl0', other, '--yes');
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('MT_0000000999');
    expect(await fwVersions()).toMatchObject({ pending_activation: false });

    const flashed = await cli('fw', 'flash', 'fwctl0', good, '--yes');
    expect(flashed.code, flashed.stderr).toBe(0);
    let v = await fwVersions();
    expect(v).toMatchObject({ running: { 'fw.version': '28.39.1002' }, stored: { 'fw.version': '28.40.1000' }, pending_activation: true });
    const activated = await cli('fw', 'activate', 'fwctl0', '--yes');
    expect(activated.code, activated.stderr).toBe(0);
    v = await fwVersions();
    expect(v).toMatchObject({ running: { 'fw.version': '28.40.1000' }, pending_activation: false });
    expect((await json('list')).json.devices[0].firmware).toBe('28.40.1000');
  });

  it('fw: power loss mid-flash keeps the old image running and a second flash succeeds', async () => {
    const image = join(simDir, 'fw-next.bin');
    expect((await cli('sim', 'fw-image', '--plugin=mlx5', `--out=${image}`, '--version=28.41.0100')).code).toBe(0);
    expect((await cli('sim', 'fault', 'fwctl0', '--set', 'power-loss', '--after-bytes', '30000')).code).toBe(0);
    const lost = await cli('fw', 'flash', 'fwctl0', image, '--yes');
    expect(lost.code).toBe(1);
    expect(await fwVersions()).toMatchObject({ running: { 'fw.version': '28.40.1000' }, stored: { 'fw.version': '28.40.1000' }, pending_activation: false });
    const again = await cli('fw', 'flash', 'fwctl0', image, '--yes');
    expect(again.code, again.stderr).toBe(0);
    expect(await fwVersions()).toMatchObject({ stored: { 'fw.version': '28.41.0100' }, pending_activation: true });
  });

  it('health: exit 0 when healthy, non-zero with the thermal reporter in error under health-error', async () => {
    const ok = await json('health', 'fwctl0');
    expect(ok.code).toBe(0);
    expect(JSON.stringify(ok.json)).toContain('thermal');
    expect((await cli('sim', 'fault', 'fwctl0', '--set', 'health-error')).code).toBe(0);
    const bad = await cli('health', 'fwctl0');
    expect(bad.code).not.toBe(0);
    expect(bad.stdout).toMatch(/thermal\s+error/);
    expect((await cli('sim', 'fault', 'fwctl0', '--clear')).code).toBe(0);
  });

  it('metrics: JSON and Prometheus text with temperature, link and 802.3 counters', async () => {
    const m = await json('metrics', 'fwctl0');
    expect(m.code, m.stderr).toBe(0);
    const text = JSON.stringify(m.json);
    for (const name of ['temperature_celsius', 'link_up', 'rx_bytes_total', 'rx_fcs_errors_total', 'uptime_seconds']) expect(text).toContain(name);
    const prom = await cli('metrics', 'fwctl0', '-o', 'prometheus');
    expect(prom.code).toBe(0);
    expect(prom.stdout).toMatch(/# TYPE accelctl_rx_bytes_total counter/);
    expect(prom.stdout).toMatch(/accelctl_link_up\{[^}]*port="1"[^}]*\} 1/);
  });

  it('dump runs the reg invocations, inspect only, and taints nothing', async () => {
    const before = (await json('sim', 'stats', 'fwctl0')).json.devices[0].requested;
    const dump = await cli('dump', 'fwctl0', '-o', 'json');
    expect(dump.code, dump.stderr).toBeLessThanOrEqual(1);
    for (const reg of ['PTYS', 'PAOS', 'PPCNT', 'MGIR', 'MCAM', 'MTMP', 'MFRL', 'MCQS']) expect(dump.stdout).toContain(`"${reg}"`);
    const stats = (await json('sim', 'stats', 'fwctl0')).json;
    expect(stats.devices[0].requested.debug_write).toBe(before.debug_write);
    expect(stats.devices[0].requested.debug_write_full).toBe(before.debug_write_full);
    expect(stats.kernel_tainted_fwctl).toBe(false);
  });
});
