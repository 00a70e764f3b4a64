/**
 * End to end: the umbrella's config / reset / fw / health / metrics commands
 * against a simulated CXL device, through bin/accelctl.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { freshSimDir, run, runJson } from '../../helpers/cli';

interface ParamRow {
  name: string;
  default: unknown;
  current: unknown;
  next_boot: unknown;
  pending: boolean;
  read_only: boolean;
  apply: string;
}

async function stats(dir: string) {
  const { json } = await runJson(['sim', 'stats', 'fwctl0'], { simDir: dir });
  return json as { kernel_tainted_fwctl: boolean; devices: { requested: Record<string, number> }[] };
}

/** An error run with -o json: the error document is on stderr. */
async function runError(args: readonly string[], dir: string): Promise<{ code: number | null; error: { code: string; message: string; hint?: string } }> {
  const r = await run([...args, '-o', 'json'], { simDir: dir });
  return { code: r.code, error: (JSON.parse(r.stderr) as { error: { code: string; message: string; hint?: string } }).error };
}

async function fleet(): Promise<string> {
  const dir = freshSimDir();
  expect((await run(['sim', 'init', dir, '--fleet', 'cxl=1'])).code).toBe(0);
  return dir;
}

describe('accelctl config on cxl (e2e)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await fleet();
  });

  it('config show: JSON rows and the mutate-debug note, inspect only, no taint', async () => {
    const { json, code } = await runJson(['config', 'show', 'fwctl0'], { simDir: dir });
    expect(code).toBe(0);
    const rows = json.params as ParamRow[];
    expect(rows.filter((r) => !r.read_only).length).toBeGreaterThanOrEqual(6);
    expect(rows.find((r) => r.name === 'media_refresh_rate')).toMatchObject({ default: '1x', current: '1x', next_boot: '1x', pending: false, apply: 'reset' });
    expect(rows.find((r) => r.name === 'patrol_scrub_en')).toMatchObject({ read_only: true });
    expect(json.note).toMatch(/mutate-debug/);
    const s = await stats(dir);
    expect(s.kernel_tainted_fwctl).toBe(false);
    expect(s.devices[0]!.requested).toMatchObject({ debug_write: 0, debug_write_full: 0 });
  });

  it('config set without --allow-mutate is refused (exit 4) and changes nothing; a bad value is exit 2', async () => {
    expect((await run(['config', 'set', 'fwctl0', 'media_refresh_rate=2x', '--yes'], { simDir: dir })).code).toBe(4);
    expect((await run(['config', 'set', 'fwctl0', 'media_refresh_rate=4x', '--yes', '--allow-mutate'], { simDir: dir })).code).toBe(2);
    expect((await run(['config', 'set', 'fwctl0', 'thermal_throttle_temp_c=200', '--yes', '--allow-mutate'], { simDir: dir })).code).toBe(2);
    const { json } = await runJson(['config', 'show', 'fwctl0', 'media_refresh_rate', 'thermal_throttle_temp_c'], { simDir: dir });
    expect((json.params as ParamRow[]).map((r) => r.next_boot)).toEqual(['1x', 95]);
    expect((await stats(dir)).devices[0]!.requested).toMatchObject({ debug_write: 0, debug_write_full: 0 });
  });

  it('config set with --allow-mutate: immediate values apply now, reset values are pending; the kernel is tainted', async () => {
    const { json, code } = await runJson(['config', 'set', 'fwctl0', 'media_refresh_rate=2x', 'asset_tag=rack42-u07', 'thermal_throttle_temp_c=88', '--yes', '--allow-mutate'], { simDir: dir });
    expect(code).toBe(0);
    const rows = Object.fromEntries((json.params as ParamRow[]).map((r) => [r.name, r]));
    expect(rows.media_refresh_rate).toMatchObject({ current: '1x', next_boot: '2x', pending: true });
    expect(rows.asset_tag).toMatchObject({ current: 'rack42-u07', next_boot: 'rack42-u07', pending: false });
    expect(rows.thermal_throttle_temp_c).toMatchObject({ current: 88, pending: false });
    const s = await stats(dir);
    expect(s.kernel_tainted_fwctl).toBe(true);
    expect(s.devices[0]!.requested.debug_write).toBe(1);
    expect(s.devices[0]!.requested.debug_write_full).toBe(2);
  });

  it('reset is not offered by the cxl plugin; config reset returns next-boot values to the defaults', async () => {
    const reset = await runError(['reset', 'fwctl0', '--yes'], dir);
    expect(reset.code).toBe(1);
    expect(reset.error.code).toBe('ACCELCTL_E_UNSUPPORTED');
    const { code } = await runJson(['config', 'reset', 'fwctl0', 'media_refresh_rate', 'asset_tag', '--yes', '--allow-mutate'], { simDir: dir });
    expect(code).toBe(0);
    const { json } = await runJson(['config', 'show', 'fwctl0', 'media_refresh_rate', 'asset_tag'], { simDir: dir });
    expect((json.params as ParamRow[]).map((r) => [r.next_boot, r.pending])).toEqual([
      ['1x', false],
      ['', false],
    ]);
  });
});

describe('accelctl fw / health / metrics on cxl (e2e)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await fleet();
  });

  it('fw show reports what fwctl can read; fw flash is unsupported with a hint, nothing sent', async () => {
    const { json, code } = await runJson(['fw', 'show', 'fwctl0'], { simDir: dir });
    expect(code).toBe(0);
    expect(json).toMatchObject({ fixed: { sku: '0x2a01' }, stored: { firmware: 'unknown via fwctl' }, pending_activation: false });
    const text = await run(['fw', 'show', 'fwctl0'], { simDir: dir });
    expect(text.stdout).toContain('unknown via fwctl');
    const flash = await runError(['fw', 'flash', 'fwctl0', '/dev/null', '--yes'], dir);
    expect(flash.code).toBe(1);
    expect(flash.error).toMatchObject({ code: 'ACCELCTL_E_UNSUPPORTED', hint: expect.stringContaining('cxl update-firmware') });
    expect((await stats(dir)).kernel_tainted_fwctl).toBe(false);
  });

  it('health: healthy (exit 0); the health-error fault turns media to error (exit 6)', async () => {
    const ok = await runJson(['health', 'fwctl0'], { simDir: dir });
    expect(ok.code).toBe(0);
    expect(ok.json.devices[0].reporters.map((r: { name: string; state: string }) => [r.name, r.state])).toEqual([
      ['thermal', 'healthy'],
      ['media', 'healthy'],
    ]);
    expect((await run(['sim', 'fault', 'fwctl0', '--set', 'health-error'], { simDir: dir })).code).toBe(0);
    const bad = await runJson(['health', 'fwctl0'], { simDir: dir });
    expect(bad.code).toBe(6);
    expect(bad.json.devices[0].reporters[1]).toMatchObject({ name: 'media', state: 'error', error_count: 1 });
    expect((await run(['sim', 'fault', 'fwctl0', '--clear'], { simDir: dir })).code).toBe(0);
    expect((await run(['health', 'fwctl0'], { simDir: dir })).code).toBe(0);
  });

  it('metrics: JSON and Prometheus text with unit-suffixed names; inspect only', async () => {
    const { json, code } = await runJson(['metrics', 'fwctl0'], { simDir: dir });
    expect(code).toBe(0);
    const names = (json.devices[0].metrics as { name: string }[]).map((m) => m.name);
    expect(names).toEqual(expect.arrayContaining(['temperature_celsius', 'power_watts', 'media_read_bytes_total']));
    const prom = await run(['metrics', 'fwctl0', '-o', 'prometheus'], { simDir: dir });
    expect(prom.code).toBe(0);
    expect(prom.stdout).toMatch(/^# TYPE accelctl_media_read_bytes_total counter$/m);
    expect(prom.stdout).toMatch(/^accelctl_temperature_celsius\{[^}]*plugin="cxl"[^}]*\} \d+$/m);
    const s = await stats(dir);
    expect(s.kernel_tainted_fwctl).toBe(false);
    expect(s.devices[0]!.requested).toMatchObject({ debug_read_only: 0, debug_write: 0, debug_write_full: 0 });
  });
});
