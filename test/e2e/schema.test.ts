/**
 * `accelctl schema`: every JSON output of every command, run for real against a
 * simulated fleet, validates against the JSON Schema `accelctl schema NAME`
 * prints (ajv, draft 2020-12), and every schema is exercised by some output.
 */
import { join } from 'node:path';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { jsonSchemaOf, OUTPUT_SCHEMA_NAMES, type OutputSchemaName } from '../../src/output/schemas';
import { freshSimDir, run, runJson, tempDir } from '../helpers/cli';

const ajv = new Ajv2020({ allErrors: true, validateFormats: false, allowUnionTypes: true });
const validators = new Map<string, ValidateFunction>();
const validated = new Set<string>();

let fleet: string;
let meta: any;
const devices = new Map<string, string>(); // plugin → first device

/** Validate one document against the named schema (as the CLI prints it). */
function check(name: OutputSchemaName, doc: unknown, what: string): void {
  const validate = validators.get(name);
  expect(validate, `schema ${name} loaded`).toBeDefined();
  const ok = validate!(doc);
  expect(ok, `${what} vs schema ${name}: ${ajv.errorsText(validate!.errors, { separator: '\n' })}\n${JSON.stringify(doc).slice(0, 600)}`).toBe(true);
  validated.add(name);
}

async function json(args: string[], name: OutputSchemaName, expectCode = 0): Promise<any> {
  const result = await runJson(args, { simDir: fleet });
  expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(expectCode);
  check(name, result.json, `accelctl ${args.join(' ')}`);
  return result.json;
}

beforeAll(async () => {
  fleet = freshSimDir();
  const init = await runJson(['sim', 'init', fleet]);
  expect(init.code).toBe(0);
  const printed = await Promise.all(OUTPUT_SCHEMA_NAMES.map(async (name) => [name, await run(['schema', name])] as const));
  for (const [name, result] of printed) {
    expect(result.code, result.stderr).toBe(0);
    const schema = JSON.parse(result.stdout);
    expect(schema).toEqual(jsonSchemaOf(name));
    validators.set(name, ajv.compile(schema));
  }
  check('sim-init', init.json, 'sim init');
  meta = (await runJson(['commands'])).json;
  const list = await json(['list'], 'list');
  for (const d of list.devices) if (d.plugin && !devices.has(d.plugin)) devices.set(d.plugin, d.name);
  expect([...devices.keys()].sort()).toEqual(['bnxt', 'cxl', 'mlx5', 'pds']);
}, 120_000);

describe('accelctl schema', () => {
  it('lists the schemas, and prints them as draft 2020-12 JSON Schema', async () => {
    const list = await json(['schema'], 'schema');
    expect(list.schemas.map((s: { name: string }) => s.name)).toEqual(OUTPUT_SCHEMA_NAMES);
    const byCommand = await run(['schema', 'config', 'show']);
    expect(byCommand.code).toBe(0);
    expect(JSON.parse(byCommand.stdout)).toMatchObject({ $schema: 'https://json-schema.org/draft/2020-12/schema', title: 'accelctl config-show' });
    const plugin = await run(['schema', 'mlx5', 'caps']);
    expect(JSON.parse(plugin.stdout).title).toBe('accelctl plugin-command');
    const unknown = await run(['schema', 'nosuch']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no output schema');
    const none = await run(['schema', 'completion']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('prints no JSON');
  });

  it('every command that prints JSON names its schema in the metadata', () => {
    const noJson = ['completion', 'help'];
    const leaves = meta.commands.filter((c: any) => !c.group);
    expect(leaves.filter((c: any) => noJson.includes(c.command)).map((c: any) => c.output_schema)).toEqual([null, null]);
    const missing = leaves.filter((c: any) => !noJson.includes(c.command) && !OUTPUT_SCHEMA_NAMES.includes(c.output_schema)).map((c: any) => c.command);
    expect(missing, 'commands without an output schema in src/output/schemas').toEqual([]);
  });
});

describe('real outputs validate against their schemas', () => {
  it('list, info, commands', async () => {
    check('commands', meta, 'commands');
    await json(['commands', 'mlx5'], 'commands');
    for (const dev of devices.values()) await json(['info', dev], 'info');
  });

  it('rpc: sent and --dry-run', async () => {
    const mlx5 = devices.get('mlx5')!;
    const sent = await json(['rpc', mlx5, '--in', '01000000000000010000000000000000'], 'rpc');
    expect(sent.sent).toBe(true);
    const plan = await json(['rpc', mlx5, '--in', '0805000000000000000050060000000100000000000000000000000000000000', '--dry-run'], 'rpc');
    expect(plan.dry_run).toBe(true);
    check('dry-run', plan, 'rpc --dry-run');
  });

  it('config show, set (and --dry-run), reset', async () => {
    for (const dev of devices.values()) await json(['config', 'show', dev], 'config-show');
    const mlx5 = devices.get('mlx5')!;
    const shown = await json(['config', 'show', mlx5], 'config-show');
    const param = shown.params.find((p: { type: string; read_only: boolean }) => p.type === 'bool' && !p.read_only);
    expect(param).toBeDefined();
    const flip = `${param.name}=${String(!param.next_boot)}`;
    const plan = await json(['config', 'set', mlx5, flip, '--dry-run'], 'config-set');
    expect(plan.dry_run).toBe(true);
    const set = await json(['config', 'set', mlx5, flip, '--yes'], 'config-set');
    expect(set.changes).toHaveLength(1);
    await json(['config', 'reset', mlx5, '--yes'], 'config-set');
  });

  it('fw show, flash (JSON lines), activate; reset', async () => {
    for (const dev of devices.values()) await json(['fw', 'show', dev], 'fw-show');
    const mlx5 = devices.get('mlx5')!;
    const image = join(tempDir(), 'fw.bin');
    await json(['sim', 'fw-image', '--plugin', 'mlx5', '--version', '28.40.1000', '--out', image], 'sim-fw-image');
    const flash = await run(['fw', 'flash', mlx5, image, '--yes', '-o', 'json'], { simDir: fleet });
    expect(flash.code, flash.stderr).toBe(0);
    const lines = flash.stdout.trim().split('\n');
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines) check('fw-flash', JSON.parse(line), 'fw flash line');
    expect(JSON.parse(lines.at(-1)!).event).toBe('result');
    await json(['fw', 'activate', mlx5, '--yes'], 'fw-activate');
    await json(['reset', mlx5, '--dry-run'], 'reset');
    await json(['reset', mlx5, '--yes'], 'reset');
  });

  it('health, metrics (also --watch lines), dump', async () => {
    await json(['health'], 'health');
    await json(['metrics'], 'metrics');
    const dump = await run(['dump'], { simDir: fleet, timeoutMs: 60_000 });
    expect(dump.code, dump.stderr).toBe(0);
    check('dump', JSON.parse(dump.stdout), 'dump');
    const out = join(tempDir(), 'dump.json');
    const redacted = await run(['dump', '--redact', '--out', out], { simDir: fleet, timeoutMs: 60_000 });
    expect(redacted.code).toBe(0);
  });

  it('sim stats and sim fault; a failing device in list, health and metrics', async () => {
    await json(['sim', 'stats'], 'sim-stats');
    const pds = devices.get('pds')!;
    await json(['sim', 'fault', pds, '--set', 'health-error'], 'sim-fault');
    await json(['health'], 'health', 6);
    await json(['sim', 'fault', pds, '--clear', '--set', 'gone'], 'sim-fault');
    await json(['list'], 'list');
    await json(['metrics'], 'metrics');
    await json(['sim', 'fault', pds, '--clear'], 'sim-fault');
    await json(['sim', 'power-cycle', devices.get('mlx5')!], 'sim-power-cycle');
  });

  it('every inspect plugin command that needs only a device, and a plugin --dry-run plan', async () => {
    const runnable = meta.commands.filter(
      (c: any) => c.plugin && !c.group && c.class === 'inspect' && c.arguments.filter((a: any) => a.required).length === 1,
    );
    expect(runnable.length).toBeGreaterThan(5);
    // A device may refuse one in its current state (mlx5 diag-counters before diag-enable): that is an error document.
    const results = await Promise.all(
      runnable.map(async (c: any) => {
        const args = [...c.path, devices.get(c.plugin)!, '-o', 'json'];
        const result = await run(args, { simDir: fleet });
        if (result.code === 0) check('plugin-command', JSON.parse(result.stdout), args.join(' '));
        else check('error', JSON.parse(result.stderr), args.join(' '));
        return result.code;
      }),
    );
    expect(results.filter((code) => code === 0).length).toBeGreaterThan(runnable.length / 2);
    const plan = await json(['mlx5', 'port-state', devices.get('mlx5')!, 'down', '--dry-run'], 'plugin-command');
    expect(plan).toMatchObject({ dry_run: true, class: 'configure' });
  });

  it('plugin list, check, new', async () => {
    await json(['plugin', 'list'], 'plugin-list');
    const checked = await runJson(['plugin', 'check', 'mlx5'], { simDir: fleet, timeoutMs: 60_000 });
    check('plugin-check', checked.json, 'plugin check mlx5');
    await json(['plugin', 'new', 'acme', '--dir', join(tempDir(), 'acme')], 'plugin-new');
  });

  it('errors in JSON mode, on stderr', async () => {
    const result = await run(['info', 'nosuch', '-o', 'json'], { simDir: fleet });
    expect(result.code).toBe(3);
    check('error', JSON.parse(result.stderr), 'info nosuch');
  });

  // Runs last (tests in a file run in order): no schema goes untested.
  it('every schema was exercised by a real output', () => {
    expect([...validated].sort()).toEqual([...OUTPUT_SCHEMA_NAMES].sort());
  });
});
