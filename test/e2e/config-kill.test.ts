/**
 * End to end (issue 4): a `config set` process SIGKILLed at random moments —
 * before, during and after its writes — leaves every parameter at its old or
 * its new value, never a broken state, and the next commands work. Real
 * processes on a simulated fleet of the configure-class plugins (mlx5, bnxt, pds).
 */
import { spawn } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { BIN, freshSimDir, run, runJson } from '../helpers/cli';
import { assign, otherValue, writable, type Param } from '../helpers/config-params';

let simDir: string;
let devices: { name: string; plugin: string }[] = [];

const cli = (...args: string[]) => run(args, { simDir, timeoutMs: 30_000 });

async function show(dev: string, ...names: string[]): Promise<Param[]> {
  const r = await runJson<{ params: Param[] }>(['config', 'show', dev, ...names], { simDir, timeoutMs: 30_000 });
  expect(r.code, r.stderr).toBe(0);
  return r.json.params;
}


beforeAll(async () => {
  simDir = freshSimDir();
  const init = await run(['sim', 'init', simDir, '--fleet', 'mlx5=1,bnxt=1,pds=1']);
  expect(init.code, init.stderr).toBe(0);
  devices = (await runJson<{ devices: { name: string; plugin: string }[] }>(['list'], { simDir })).json.devices;
  expect(devices.map((d) => d.plugin).sort()).toEqual(['bnxt', 'mlx5', 'pds']);
});

describe('config e2e: kill in the middle', () => {
  it('a config set SIGKILLed at random moments leaves the old or the new configuration, and commands keep working', async () => {
    const victims = devices;
    await Promise.all(
      victims.map(async (d) => {
        // Slow the firmware a little so that kills land inside the writes too.
        expect((await cli('sim', 'fault', d.name, '--latency-ms', '25')).code).toBe(0);
        let seed = d.name.length * 7919;
        const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
        let killedMidway = 0;
        for (let i = 0; i < 4; i++) {
          const old = writable(await show(d.name)).filter((p) => p.apply !== 'immediate').slice(0, 3);
          const next = new Map(old.map((p) => [p.name, otherValue(p)]));
          const child = spawn(process.execPath, [BIN, 'config', 'set', d.name, ...old.map((p) => assign(p, next.get(p.name)!)), '--yes'], {
            env: { ...process.env, ACCELCTL_SIM_DIR: simDir, NO_COLOR: '1' },
            stdio: 'ignore',
          });
          const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
          await new Promise((r) => setTimeout(r, 40 + Math.floor(random() * 400)));
          const killed = child.exitCode === null && child.kill('SIGKILL');
          const code = await exited;
          if (killed) killedMidway++;
          else expect(code).toBe(0);
          // Whole: parses, every value is the old or the new one.
          const now = await show(d.name, ...old.map((p) => p.name));
          for (const p of now) expect([old.find((q) => q.name === p.name)!.next_boot, next.get(p.name)], `${d.plugin} ${p.name} after kill ${i}`).toContainEqual(p.next_boot);
        }
        expect(killedMidway, `${d.plugin}: some kills landed before the process finished`).toBeGreaterThan(0);
        // Still works: a write, a reset and a config reset go through.
        expect((await cli('sim', 'fault', d.name, '--latency-ms', '0')).code).toBe(0);
        expect((await cli('config', 'reset', d.name, '--yes')).code).toBe(0);
        expect((await cli('reset', d.name, '--yes')).code).toBe(0);
        const [p] = writable(await show(d.name)).filter((q) => q.apply === 'reset');
        const set = await cli('config', 'set', d.name, assign(p!, otherValue(p!)), '--yes');
        expect(set.code, set.stderr).toBe(0);
        expect((await show(d.name, p!.name))[0]).toMatchObject({ next_boot: otherValue(p!), pending: true });
      }),
    );
  }, 90_000);
});
