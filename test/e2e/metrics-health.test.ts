/**
 * health and metrics across the default fleet: inspect-only, Prometheus output
 * that the real promtool accepts, JSON shape, and exit 6 when a reporter is in
 * error (a simulated fault).
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { freshSimDir, run, runJson } from '../helpers/cli';

const hasPromtool = spawnSync('sh', ['-c', 'command -v promtool']).status === 0;

describe('accelctl metrics', () => {
  it('-o prometheus passes promtool check metrics', async () => {
    if (!hasPromtool && !process.env.CI) return; // promtool comes with Debian's prometheus package (installed by .ci/run)
    const dir = freshSimDir();
    const { stdout, code } = await run(['metrics', '-o', 'prometheus'], { simDir: dir });
    expect(code).toBe(0);
    expect(stdout).toMatch(/^# HELP accelctl_up /);
    const check = spawnSync('promtool', ['check', 'metrics'], { input: stdout, encoding: 'utf8' });
    expect(check.stdout + check.stderr).toBe('');
    expect(check.status).toBe(0);
  });

  it('every plugin reports metrics, labelled with device, plugin and pci', async () => {
    const dir = freshSimDir();
    const { json, code } = await runJson(['metrics'], { simDir: dir });
    expect(code).toBe(0);
    expect(json.devices.map((d: { plugin: string }) => d.plugin)).toEqual(['mlx5', 'cxl', 'pds', 'bnxt']);
    for (const device of json.devices) {
      expect(device.up, device.device).toBe(true);
      expect(device.metrics.length, device.plugin).toBeGreaterThan(0);
      for (const metric of device.metrics) {
        expect(metric.name).toMatch(/^[a-z][a-z0-9_]*$/);
        expect(['gauge', 'counter']).toContain(metric.type);
        if (metric.type === 'counter') expect(metric.name).toMatch(/_total$/);
        expect(Number.isFinite(metric.value)).toBe(true);
      }
    }
    const text = await run(['metrics', '-o', 'prometheus'], { simDir: dir });
    for (const device of json.devices) expect(text.stdout).toContain(`device="${device.device}"`);
  });

  it('a device that does not answer is up 0, keeps its plugin label, and the others are still read', async () => {
    const dir = freshSimDir();
    expect((await run(['sim', 'fault', 'fwctl0', 'garbage'], { simDir: dir })).code).toBe(0);
    const { json, code } = await runJson(['metrics'], { simDir: dir });
    expect(code).toBe(0);
    const [broken, ...rest] = json.devices;
    expect(broken).toMatchObject({ device: 'fwctl0', plugin: 'mlx5', up: false, metrics: [], error: { code: expect.stringMatching(/^ACCELCTL_E_/) } });
    for (const device of rest) expect(device.up, device.device).toBe(true);
    const text = await run(['metrics', '-o', 'prometheus'], { simDir: dir });
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('accelctl_up{device="fwctl0",pci="0000:17:00.0",plugin="mlx5"} 0\n');
    expect(text.stderr).toBe('warning: 1 of 4 devices could not be read (accelctl_up 0): fwctl0 (ACCELCTL_E_DEVICE_STATUS)\n');
  });

  it('never sends more than inspect and never taints', async () => {
    const dir = freshSimDir();
    await run(['metrics'], { simDir: dir });
    await run(['health'], { simDir: dir });
    const stats = await runJson(['sim', 'stats'], { simDir: dir });
    expect(stats.json.kernel_tainted_fwctl).toBe(false);
    for (const d of stats.json.devices) expect(d.requested.debug_write + d.requested.debug_write_full).toBe(0);
  });

  it('-o prometheus is refused for other commands', async () => {
    const { code, stderr } = await run(['list', '-o', 'prometheus'], { simDir: freshSimDir() });
    expect(code).toBe(2);
    expect(stderr).toContain('only for accelctl metrics');
  });
});

describe('accelctl health', () => {
  it('is healthy (exit 0) on a fresh fleet, with reporters for every plugin', async () => {
    const { json, code } = await runJson(['health'], { simDir: freshSimDir() });
    expect(code).toBe(0);
    expect(json.healthy).toBe(true);
    for (const device of json.devices) {
      expect(device.status, device.plugin).toBe('healthy');
      expect(device.reporters.length, device.plugin).toBeGreaterThan(0);
      for (const r of device.reporters) expect(r).toMatchObject({ name: expect.any(String), state: 'healthy', error_count: expect.any(Number) });
    }
  });

  it('exits 6 when a simulated fault turns a reporter to error, for every plugin', async () => {
    const dir = freshSimDir();
    const list = await runJson(['list'], { simDir: dir });
    for (const device of list.json.devices) {
      expect((await run(['sim', 'fault', device.name, '--set', 'health-error'], { simDir: dir })).code).toBe(0);
    }
    const { json, code } = await runJson(['health'], { simDir: dir });
    expect(code).toBe(6);
    expect(json.healthy).toBe(false);
    for (const device of json.devices) {
      const bad = device.reporters.filter((r: { state: string }) => r.state === 'error');
      expect(bad.length, device.plugin).toBeGreaterThan(0);
      expect(bad[0].error_count).toBeGreaterThan(0);
      expect(bad[0].recommended_action).toEqual(expect.any(String));
    }
  });

  it('a device that is gone makes health fail with exit 3, still reporting the others', async () => {
    const dir = freshSimDir();
    await run(['list'], { simDir: dir });
    await run(['sim', 'fault', 'fwctl0', '--set', 'gone'], { simDir: dir });
    const { stdout, code } = await run(['health', '-o', 'json'], { simDir: dir });
    expect(code).toBe(3);
    const json = JSON.parse(stdout);
    expect(json.devices[0].status).toBe('failed');
    expect(json.devices.slice(1).every((d: { status: string }) => d.status === 'healthy')).toBe(true);
  });
});
