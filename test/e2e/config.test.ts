/**
 * End to end, every plugin with configuration (issue 4): `config show|set|reset`
 * and `reset` through bin/accelctl on one simulated fleet (the default one: a
 * device of each plugin). Type validation before anything is sent, refusals,
 * dry runs, the pending → reset → current cycle, two writers at once, and a
 * writer SIGKILLed at random moments.
 */
import { spawn } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { BIN, freshSimDir, run, runJson } from '../helpers/cli';
import { assign, enumValues, intRange, isBool, otherValue, writable, type Param } from '../helpers/config-params';

interface Device {
  name: string;
  plugin: string;
}

interface Stats {
  requested: Record<string, number>;
  refused: number;
}

/** Plugins whose config writes are mutate-debug in the kernel's table (CXL Set Feature). */
const MUTATE_DEBUG = new Set(['cxl']);

let simDir: string;
let devices: Device[] = [];

const cli = (...args: string[]) => run(args, { simDir, timeoutMs: 30_000 });
const json = <T = any>(...args: string[]) => runJson<T>(args, { simDir, timeoutMs: 30_000 });
const writeFlags = (d: Device) => ['--yes', ...(MUTATE_DEBUG.has(d.plugin) ? ['--allow-mutate'] : [])];

async function show(dev: string, ...names: string[]): Promise<Param[]> {
  const r = await json<{ schema_version: number; device: string; params: Param[] }>('config', 'show', dev, ...names);
  expect(r.code, r.stderr).toBe(0);
  expect(r.json).toMatchObject({ schema_version: 1, device: dev });
  return r.json.params;
}

async function stats(dev: string): Promise<Stats> {
  const r = await json<{ devices: Stats[] }>('sim', 'stats', dev);
  expect(r.code, r.stderr).toBe(0);
  return r.json.devices[0]!;
}

/** The scopes a plugin's config writes use (CXL Set Feature: debug_write / debug_write_full; the others: configuration). */
const writeScopes = (plugin: string) => (MUTATE_DEBUG.has(plugin) ? ['debug_write', 'debug_write_full'] : ['configuration', 'debug_write', 'debug_write_full']);

/** RPCs sent between two stats readings at the scopes a config write of this plugin can use. */
function delta(plugin: string, before: Stats, after: Stats): Record<string, number> {
  const out: Record<string, number> = { refused: after.refused - before.refused };
  for (const scope of writeScopes(plugin)) out[scope] = (after.requested[scope] ?? 0) - (before.requested[scope] ?? 0);
  return out;
}


/** The marker column of a parameter's row in the text table ('*' non-default, '+' pending). */
function marker(text: string, name: string): string {
  const line = text.split('\n').find((l) => l.trim().split(/\s+/).slice(0, 2).includes(name));
  expect(line, `row for ${name} in:\n${text}`).toBeDefined();
  return line!.slice(0, 2);
}

beforeAll(async () => {
  simDir = freshSimDir();
  const init = await run(['sim', 'init', simDir]);
  expect(init.code, init.stderr).toBe(0);
  const list = await runJson<{ devices: Device[] }>(['list'], { simDir });
  expect(list.code, list.stderr).toBe(0);
  // Every plugin that offers configuration (the others answer ACCELCTL_E_UNSUPPORTED).
  const probed = await Promise.all(list.json.devices.map(async (d) => ({ d, r: await runJson(['config', 'show', d.name], { simDir }) })));
  for (const { d, r } of probed) {
    if (r.code === 0) devices.push({ name: d.name, plugin: d.plugin });
    else expect((r.json as any).error.code).toBe('ACCELCTL_E_UNSUPPORTED');
  }
  expect(devices.map((d) => d.plugin).sort()).toEqual(expect.arrayContaining(['bnxt', 'cxl', 'mlx5', 'pds']));
});

describe('config e2e across plugins', () => {
  it('config show: ≥ 6 params with the full model; text output marks non-default and pending rows', async () => {
    await Promise.all(
      devices.map(async (d) => {
        const params = await show(d.name);
        expect(params.length, d.plugin).toBeGreaterThanOrEqual(6);
        for (const p of params) {
          expect(Object.keys(p).sort(), `${d.plugin} ${p.name}`).toEqual(['apply', 'current', 'default', 'description', 'name', 'next_boot', 'pending', 'read_only', 'type'].sort());
          expect(p.type).toMatch(/^(bool|int -?\d+\.\.-?\d+|enum \S+|string)/);
          expect(['immediate', 'reset', 'reboot']).toContain(p.apply);
          expect(p.pending).toBe(p.next_boot !== p.current);
          expect(p.description.length).toBeGreaterThan(3);
        }
        // The fleet starts at defaults: no row is marked.
        const text = await cli('config', 'show', d.name);
        expect(text.code, text.stderr).toBe(0);
        for (const p of params) expect(marker(text.stdout, p.name), `${d.plugin} ${p.name}`).toBe(p.current !== p.default || p.next_boot !== p.default ? (p.pending ? '*+' : '* ') : '  ');
        expect(text.stdout).toMatch(/\* differs from default/);
        // One parameter by name.
        expect((await show(d.name, params[0]!.name)).map((p) => p.name)).toEqual([params[0]!.name]);
      }),
    );
  }, 90_000);

  it('bad values (bool, int out of range, enum not listed) exit 2 and send nothing; no --yes exits 4; --dry-run sends no write', async () => {
    await Promise.all(
      devices.map(async (d) => {
        const before = await show(d.name);
        const candidates = writable(before);
        const bool = candidates.find(isBool);
        const int = candidates.find((p) => intRange(p));
        const en = candidates.find((p) => enumValues(p).length > 1);
        const bad: string[] = [];
        if (bool) bad.push(`${bool.name}=maybe`);
        if (int) bad.push(`${int.name}=${intRange(int)!.max + 1}`);
        if (en) bad.push(`${en.name}=not_a_listed_value`);
        expect(bad.length, `${d.plugin} has bool, int and enum parameters`).toBe(3);

        // What reading the parameter list alone sends: an unknown name fails at the same point.
        let s0 = await stats(d.name);
        const unknown = await cli('config', 'set', d.name, 'no_such_param=1', ...writeFlags(d));
        expect(unknown.code).toBe(2);
        expect(unknown.stderr).toContain("no parameter named 'no_such_param'");
        let s1 = await stats(d.name);
        const baseline = delta(d.plugin, s0, s1);
        s0 = s1;
        for (const word of bad) {
          const r = await cli('config', 'set', d.name, word, ...writeFlags(d));
          expect(r.code, `${d.plugin} ${word}: ${r.stderr}`).toBe(2);
          expect(r.stderr).toContain(word);
          expect(r.stderr).toMatch(/hint: \S+ takes /);
        }
        s1 = await stats(d.name);
        expect(delta(d.plugin, s0, s1), `${d.plugin} bad values`).toEqual(Object.fromEntries(Object.entries(baseline).map(([k, v]) => [k, v * bad.length])));

        // Refused without --yes (and, for mutate-debug, without --allow-mutate): exit 4.
        const target = candidates.find((p) => p.apply !== 'immediate') ?? candidates[0]!;
        s0 = s1;
        const refused = await cli('config', 'set', d.name, assign(target, otherValue(target)));
        expect(refused.code, refused.stderr).toBe(4);
        expect(refused.stderr).toMatch(MUTATE_DEBUG.has(d.plugin) ? /--allow-mutate/ : /--yes/);
        s1 = await stats(d.name);
        for (const scope of ['debug_write', 'debug_write_full']) expect(s1.requested[scope], `${d.plugin} ${scope}`).toBe(s0.requested[scope]);

        // Dry run: shows the change, sends the same reads as `config show PARAM` and no write.
        s0 = s1;
        await show(d.name, target.name);
        s1 = await stats(d.name);
        const readOnly = delta(d.plugin, s0, s1);
        const dry = await json('config', 'set', d.name, assign(target, otherValue(target)), '--dry-run', ...(MUTATE_DEBUG.has(d.plugin) ? ['--allow-mutate'] : []));
        expect(dry.code, dry.stderr).toBe(0);
        expect(dry.json).toMatchObject({ dry_run: true, sent: false, changes: [{ name: target.name, old: target.next_boot, new: otherValue(target) }] });
        expect(dry.json.first_rpc.class).toBe(MUTATE_DEBUG.has(d.plugin) ? 'mutate-debug' : 'configure');
        const s2 = await stats(d.name);
        expect(delta(d.plugin, s1, s2), `${d.plugin} dry run`).toEqual(readOnly);

        // Nothing changed by any of it.
        expect(await show(d.name)).toEqual(before);
      }),
    );
  }, 90_000);

  it('set → next_boot + pending; reset (cxl: power cycle) → current; config reset → defaults as next-boot values', async () => {
    await Promise.all(
      devices.map(async (d) => {
        const all = await show(d.name);
        // Two parameters applied at reset (or reboot), preferring an enum and an int.
        const candidates = writable(all).filter((p) => p.apply === 'reset');
        const picks = [candidates.find((p) => enumValues(p).length > 1) ?? candidates[0]!, candidates.find((p) => intRange(p)) ?? candidates.at(-1)!].filter((p, i, a) => a.indexOf(p) === i);
        expect(picks.length, `${d.plugin}: reset-applied params`).toBeGreaterThanOrEqual(1);
        const wanted = new Map(picks.map((p) => [p.name, otherValue(p)]));

        const set = await json('config', 'set', d.name, ...picks.map((p) => assign(p, wanted.get(p.name)!)), ...writeFlags(d));
        expect(set.code, set.stderr).toBe(0);
        expect(set.json.changes.map((c: any) => c.name).sort()).toEqual(picks.map((p) => p.name).sort());
        if (MUTATE_DEBUG.has(d.plugin)) {
          // Says why the write is mutate-debug.
          expect(set.json.note).toMatch(/mutate-debug/);
          expect(set.json.note).toMatch(/Set Feature/);
        }
        for (const p of await show(d.name, ...picks.map((q) => q.name))) {
          const old = all.find((q) => q.name === p.name)!;
          expect(p, `${d.plugin} after set`).toMatchObject({ current: old.current, next_boot: wanted.get(p.name), pending: true });
        }
        const text = await cli('config', 'show', d.name);
        for (const p of picks) expect(marker(text.stdout, p.name)).toBe('*+');
        expect(text.stdout).toMatch(/\(pending\)/);
        expect(text.stdout).toMatch(/\d+ pending: takes effect after/);

        // Setting the same values again writes nothing and says so.
        const again = await cli('config', 'set', d.name, ...picks.map((p) => assign(p, wanted.get(p.name)!)), ...writeFlags(d));
        expect(again.code, again.stderr).toBe(0);
        expect(again.stdout).toContain('nothing to change');

        const apply = async () => {
          if (d.plugin === 'cxl') {
            const noReset = await cli('reset', d.name, '--yes');
            expect(noReset.code).toBe(1);
            expect(noReset.stderr).toContain('power-cycle');
            const pc = await cli('sim', 'power-cycle', d.name);
            expect(pc.code, pc.stderr).toBe(0);
          } else {
            const r = await json('reset', d.name, '--yes');
            expect(r.code, r.stderr).toBe(0);
            return r.json;
          }
          return undefined;
        };
        const resetBody = await apply();
        if (resetBody) expect(resetBody.applied_params.map((a: any) => a.name).sort()).toEqual(expect.arrayContaining(picks.map((p) => p.name).sort()));
        for (const p of await show(d.name, ...picks.map((q) => q.name))) expect(p, `${d.plugin} after reset`).toMatchObject({ current: wanted.get(p.name), next_boot: wanted.get(p.name), pending: false });

        const text2 = await cli('config', 'show', d.name, ...picks.map((q) => q.name));
        for (const p of picks) expect(marker(text2.stdout, p.name)).toBe('* ');
        // config reset: defaults come back as next-boot values, pending until the next reset.
        const back = await json('config', 'reset', d.name, ...writeFlags(d));
        expect(back.code, back.stderr).toBe(0);
        for (const p of await show(d.name)) {
          if (p.read_only) continue;
          expect(p.next_boot, `${d.plugin} ${p.name}`).toEqual(p.default);
          if (wanted.has(p.name)) expect(p).toMatchObject({ current: wanted.get(p.name), pending: true });
        }
        await apply();
        const final = await show(d.name);
        for (const p of final) if (!p.read_only) expect(p, `${d.plugin} back to default`).toMatchObject({ current: p.default, next_boot: p.default, pending: false });
      }),
    );
  }, 90_000);

  it('two config set processes on the same device at once, different params: both land', async () => {
    await Promise.all(
      devices.map(async (d) => {
        for (let round = 0; round < 1; round++) {
          const [a, b] = writable(await show(d.name)).filter((p) => p.apply !== 'immediate');
          expect(b, `${d.plugin}: two writable params`).toBeDefined();
          const va = otherValue(a!);
          const vb = otherValue(b!);
          const [ra, rb] = await Promise.all([cli('config', 'set', d.name, assign(a!, va), ...writeFlags(d)), cli('config', 'set', d.name, assign(b!, vb), ...writeFlags(d))]);
          expect(ra.code, ra.stderr).toBe(0);
          expect(rb.code, rb.stderr).toBe(0);
          const after = await show(d.name, a!.name, b!.name);
          expect(after.map((p) => p.next_boot), `${d.plugin} round ${round}`).toEqual([va, vb]);
        }
        expect((await cli('config', 'reset', d.name, ...writeFlags(d))).code).toBe(0);
      }),
    );
  }, 90_000);
});
