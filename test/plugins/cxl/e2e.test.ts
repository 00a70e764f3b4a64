/**
 * End to end: bin/accelctl against a simulated CXL fleet.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { freshSimDir, run, runJson } from '../../helpers/cli';

describe('accelctl cxl (e2e)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = freshSimDir();
    const init = await run(['sim', 'init', dir, '--fleet', 'cxl=1']);
    expect(init.code).toBe(0);
  });

  it('features: text and JSON', async () => {
    const text = await run(['cxl', 'features', 'fwctl0'], { simDir: dir });
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('thermal-throttle (vendor)');
    expect(text.stdout).toContain('refused: kernel-owned');
    const { json, code } = await runJson(['cxl', 'features', 'fwctl0'], { simDir: dir });
    expect(code).toBe(0);
    expect(json.schema_version).toBe(1);
    expect(json.features).toHaveLength(11);
    expect(json.features[2]).toMatchObject({ name: 'link-power', set_feature: 'debug_write' });
  });

  it('get-feature: fields, selections, bad input', async () => {
    const { json } = await runJson(['cxl', 'get-feature', 'fwctl0', 'patrol-scrub'], { simDir: dir });
    expect(json.fields).toMatchObject({ scrub_cycle_hrs: 12, scrub_flags: 1 });
    const text = await run(['cxl', 'get-feature', 'fwctl0', '1', '--selection', 'saved'], { simDir: dir });
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('015f0500');
    expect((await run(['cxl', 'get-feature', 'fwctl0', 'no-such-feature'], { simDir: dir })).code).toBe(2);
    expect((await run(['cxl', 'get-feature', 'fwctl0', 'link-power', '--selection', 'default'], { simDir: dir })).code).toBe(1);
  });

  it('set-feature: gated, refused, and applied (taints)', async () => {
    expect((await run(['cxl', 'set-feature', 'fwctl0', 'link-power', '--data', '0101'], { simDir: dir })).code).toBe(4);
    expect((await run(['cxl', 'set-feature', 'fwctl0', 'patrol-scrub', '--data', '0c01', '--allow-mutate'], { simDir: dir })).code).toBe(4);
    expect((await run(['cxl', 'set-feature', 'fwctl0', 'media-refresh', '--data', '00', '--allow-mutate'], { simDir: dir })).code).toBe(4);
    const { json, code } = await runJson(['cxl', 'set-feature', 'fwctl0', 'link-power', '--fields', 'aspm_policy=1', '--allow-mutate'], { simDir: dir });
    expect(code).toBe(0);
    expect(json).toMatchObject({ scope: 'debug_write', current: '03022000', saved: '03012000', takes_effect: 'reset' });
    const tainted = Number(readFileSync(join(dir, 'proc/sys/kernel/tainted'), 'utf8').trim());
    expect(tainted & (1 << 19)).not.toBe(0);
    expect((await run(['cxl', 'set-feature', 'fwctl0', 'link-power', '--fields', 'bogus=1', '--allow-mutate'], { simDir: dir })).code).toBe(2);
  });
});
