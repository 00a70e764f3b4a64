/**
 * End to end: spawn bin/accelctl against a simulated fleet with one bnxt device.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { freshSimDir, run, runJson } from '../../helpers/cli';

describe('accelctl bnxt (e2e)', () => {
  let sim = '';
  let dev = 'fwctl0';
  beforeAll(async () => {
    sim = freshSimDir();
    const init = await run(['sim', 'init', sim, '--fleet', 'bnxt=1']);
    expect(init.code, init.stderr).toBe(0);
    const list = await runJson(['list'], { simDir: sim });
    const devices = (list.json.devices ?? list.json) as { name: string; plugin: string }[];
    dev = devices.find((d) => d.plugin === 'bnxt')?.name ?? dev;
  });

  it('version: text and JSON', async () => {
    const text = await run(['bnxt', 'version', dev], { simDir: sim });
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain('BCM57508');
    const { json, code } = await runJson(['bnxt', 'version', dev], { simDir: sim });
    expect(code).toBe(0);
    expect(json).toMatchObject({ schema_version: 1, hwrm_interface: '1.10.3.133', chip: { name: 'BCM57508' } });
  });

  it.each(['caps', 'temp', 'health'])('%s: JSON', async (command) => {
    const { json, code, stderr } = await runJson(['bnxt', command, dev], { simDir: sim });
    expect(code, stderr).toBe(0);
    expect(json.schema_version).toBe(1);
  });

  it('configure commands are refused without --yes (exit 4), run with it', async () => {
    for (const command of ['factory-defaults', 'func-reset']) {
      const refused = await run(['bnxt', command, dev, '-o', 'json'], { simDir: sim });
      expect(refused.code, `${command}: ${refused.stderr}`).toBe(4);
      const done = await runJson(['bnxt', command, dev, '--yes'], { simDir: sim });
      expect(done.code, done.stderr).toBe(0);
    }
    const health = await runJson(['bnxt', 'health', dev], { simDir: sim });
    expect(health.json.healthy).toBe(true); // factory-defaults then func-reset: config reloaded
  });

  it('bad input is a usage error (exit 2)', async () => {
    expect((await run(['bnxt', 'caps', dev, '--fid', 'nope'], { simDir: sim })).code).toBe(2);
    expect((await run(['bnxt', 'func-reset', dev, '--level', 'vf', '--yes'], { simDir: sim })).code).toBe(2);
  });
});
