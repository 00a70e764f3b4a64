/** End to end: the umbrella's config / reset / fw / health / metrics commands on a simulated bnxt device. */
import { beforeAll, describe, expect, it } from 'vitest';
import { freshSimDir, run, runJson } from '../../helpers/cli';

describe('accelctl capabilities on bnxt (e2e)', () => {
  let sim = '';
  beforeAll(async () => {
    sim = freshSimDir();
    const init = await run(['sim', 'init', sim, '--fleet', 'bnxt=1']);
    expect(init.code, init.stderr).toBe(0);
  });

  it('config set → pending → reset applies', async () => {
    const refused = await run(['config', 'set', 'fwctl0', 'num_of_vfs=32'], { simDir: sim });
    expect(refused.code).toBe(4);
    const bad = await run(['config', 'set', 'fwctl0', 'num_of_vfs=999', '--yes'], { simDir: sim });
    expect(bad.code).toBe(2);
    expect((await run(['config', 'set', 'fwctl0', 'num_of_vfs=32', '--yes'], { simDir: sim })).code).toBe(0);
    let show = await runJson(['config', 'show', 'fwctl0', 'num_of_vfs'], { simDir: sim });
    expect((show.json.params as unknown[])[0]).toMatchObject({ name: 'num_of_vfs', current: 8, next_boot: 32, pending: true });
    const reset = await runJson(['reset', 'fwctl0', '--yes'], { simDir: sim });
    expect(reset.code).toBe(0);
    show = await runJson(['config', 'show', 'fwctl0', 'num_of_vfs'], { simDir: sim });
    expect((show.json.params as unknown[])[0]).toMatchObject({ current: 32, next_boot: 32, pending: false });
  });

  it('fw show, health and metrics answer', async () => {
    const fw = await runJson(['fw', 'show', 'fwctl0'], { simDir: sim });
    expect(fw.code).toBe(0);
    expect(fw.json).toMatchObject({ running: { fw: '230.0.160.0' }, pending_activation: false });
    const health = await runJson(['health', 'fwctl0'], { simDir: sim });
    expect(health.code).toBe(0);
    const metrics = await run(['metrics', 'fwctl0', '-o', 'prometheus'], { simDir: sim });
    expect(metrics.code).toBe(0);
    expect(metrics.stdout).toMatch(/accelctl_rx_bytes_total\{[^}]*plugin="bnxt"[^}]*\} \d+/);
  });
});
