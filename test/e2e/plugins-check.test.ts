/**
 * The conformance kit (`accelctl plugin check`) against broken plugins: each is
 * the scaffolded package with one realistic mistake edited in, and each must
 * make the check exit non-zero with the finding that names the mistake. And
 * every built-in plugin must pass it (the "built-ins pass in CI" rule).
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILTIN_PLUGIN_NAMES } from '../../src/core/plugins';
import { freshSimDir, run, runJson, tempDir } from '../helpers/cli';

interface Finding {
  check: string;
  ok: boolean;
  detail: string;
}

let T: string;
beforeAll(() => {
  T = tempDir('accelctl-plugin-check-');
});
afterAll(() => rmSync(T, { recursive: true, force: true }));

/** Scaffold NAME into T/<dir>, then apply string replacements (each must match). */
async function broken(dir: string, name: string, edits: Record<string, [string | RegExp, string][]>): Promise<string> {
  const path = join(T, dir);
  const created = await run(['plugin', 'new', name, '--dir', path]);
  expect(created.code, created.stderr).toBe(0);
  for (const [file, replacements] of Object.entries(edits)) {
    let text = readFileSync(join(path, file), 'utf8');
    for (const [from, to] of replacements) {
      const next = text.replace(from, to);
      expect(next, `${file}: ${String(from)} not found`).not.toBe(text);
      text = next;
    }
    writeFileSync(join(path, file), text);
  }
  return path;
}

/** plugin check PATH: must fail, with exactly the expected checks failing. */
async function expectFailure(path: string, failing: string[]): Promise<Finding[]> {
  const { json, code, stderr } = await runJson(['plugin', 'check', path]);
  expect(code, stderr).not.toBe(0);
  expect(code).not.toBeNull();
  expect(json.passed).toBe(false);
  expect(stderr).toMatch(/fails \d+ conformance check/);
  const failed = (json.findings as Finding[]).filter((f) => !f.ok);
  expect(failed.map((f) => f.check).sort()).toEqual([...failing].sort());
  return failed;
}

describe('plugin check finds broken plugins', () => {
  it('a bad manifest (sdkVersion 99): a manifest finding naming the plugin', async () => {
    const path = await broken('bad-manifest', 'acme', { 'index.js': [['sdkVersion: 1', 'sdkVersion: 99']] });
    const [finding] = await expectFailure(path, ['manifest']);
    expect(finding!.detail).toContain(`plugin 'acme' (${path})`);
    expect(finding!.detail).toContain('meta.sdkVersion');
  });

  it('a duplicate name: refused by check, an error in plugin list, the others unharmed', async () => {
    const parent = join(T, 'dup');
    const path = await broken('dup/accelctl-plugin-mlx5', 'mlx5', {});
    const [finding] = await expectFailure(path, ['unique name and device type']);
    expect(finding!.detail).toContain("already taken by builtin plugin 'mlx5'");

    const env = { ACCELCTL_PLUGIN_PATH: parent };
    const list = await runJson(['plugin', 'list'], { env });
    expect(list.code, list.stderr).toBe(0);
    const mlx5 = list.json.plugins.filter((p: { name: string }) => p.name === 'mlx5');
    expect(mlx5).toHaveLength(2);
    expect(mlx5[0]).toMatchObject({ source: 'builtin', device_type: 1 });
    expect(mlx5[1]).toMatchObject({ source: 'path', location: path, error: { code: 'ACCELCTL_E_PLUGIN' } });
    expect(mlx5[1].error.message).toContain("already taken by builtin plugin 'mlx5'");
    expect(list.json.plugins.filter((p: { error?: unknown }) => !p.error).map((p: { name: string }) => p.name)).toEqual(BUILTIN_PLUGIN_NAMES);

    // The real mlx5 and the other plugins still work with the impostor on the path.
    const D = freshSimDir();
    expect((await run(['sim', 'init', D, '--fleet', 'mlx5=1,bnxt=1'], { env })).code).toBe(0);
    const devices = await runJson(['list'], { simDir: D, env });
    expect(devices.code, devices.stderr).toBe(0);
    expect(devices.json.devices.map((d: { plugin: string }) => d.plugin).sort()).toEqual(['bnxt', 'mlx5']);
    rmSync(dirname(D), { recursive: true, force: true });
  });

  it('a decoder that crashes on short replies: decoders on bad replies', async () => {
    const path = await broken('crash', 'acme', {
      'commands/status.js': [
        [
          'const s = StatusPayload.decode(payloadOf(await ctx.rpc(encode(Opcode.GET_STATUS)), StatusPayload.size));',
          `const reply = await ctx.rpc(encode(Opcode.GET_STATUS));
    const view = new DataView(reply.buffer, reply.byteOffset, reply.byteLength);
    const s = { temperature_c: view.getUint16(4, true), fan_rpm: view.getUint16(6, true), uptime_s: view.getUint32(8, true), fw_major: view.getUint8(12), fw_minor: view.getUint8(13), fw_patch: view.getUint16(14, true) };`,
        ],
      ],
    });
    const [finding] = await expectFailure(path, ['decoders on bad replies']);
    expect(finding!.detail).toMatch(/^status: RangeError/);
  });

  it('an inspect RPC that writes in the firmware: inspect changes no state', async () => {
    const path = await broken('writes', 'acme', { 'sim.js': [['case Opcode.GET_STATUS: {', 'case Opcode.GET_STATUS: {\n        state.reads = (state.reads ?? 0) + 1;']] });
    const [finding] = await expectFailure(path, ['inspect changes no state']);
    expect(finding!.detail).toContain('state.reads');
  });

  it('an inspect command that sends a configure RPC: its run fails', async () => {
    const path = await broken('sneaky', 'acme', {
      'commands/status.js': [['await ctx.rpc(encode(Opcode.GET_STATUS))', '(await ctx.rpc(encode(Opcode.SET_FAN, 5000)), await ctx.rpc(encode(Opcode.GET_STATUS)))']],
    });
    const [finding] = await expectFailure(path, ['run acme status']);
    expect(finding!.detail).toContain('ACCELCTL_E_NOT_INSPECT');
  });

  it('an under-scoped classifier (GET_COUNTERS at configuration, the driver needs debug_read_only): minimum scope', async () => {
    // No command sends GET_COUNTERS: the kit finds it next to the GET_STATUS request.
    const path = await broken('scope', 'acme', {
      'protocol.js': [["[Opcode.GET_COUNTERS, { name: 'GET_COUNTERS', rpcClass: 'inspect', scope: Scope.DEBUG_READ_ONLY", "[Opcode.GET_COUNTERS, { name: 'GET_COUNTERS', rpcClass: 'inspect', scope: Scope.CONFIGURATION"]],
    });
    const [finding] = await expectFailure(path, ['minimum scope']);
    expect(finding!.detail).toContain('driver refuses GET_COUNTERS@configuration');
  });

  it('an over-scoped classifier (GET_STATUS at debug_read_only): minimum scope', async () => {
    const path = await broken('over', 'acme', {
      'protocol.js': [["[Opcode.GET_STATUS, { name: 'GET_STATUS', rpcClass: 'inspect', scope: Scope.CONFIGURATION", "[Opcode.GET_STATUS, { name: 'GET_STATUS', rpcClass: 'inspect', scope: Scope.DEBUG_READ_ONLY"]],
    });
    const [finding] = await expectFailure(path, ['minimum scope']);
    expect(finding!.detail).toContain('GET_STATUS (debug_read_only, but configuration is accepted)');
  });

  it('a command with no class and no help text', async () => {
    const path = await broken('undeclared', 'acme', { 'commands/set-fan.js': [["  rpcClass: 'configure',\n", ''], [/summary: '[^']*',/, "summary: '',"]] });
    const [finding] = await expectFailure(path, ['command acme set-fan']);
    expect(finding!.detail).toContain('declares no class');
    expect(finding!.detail).toContain('no summary');
  });
});

describe('built-in plugins pass plugin check', () => {
  it.each(BUILTIN_PLUGIN_NAMES)('%s', async (name) => {
    const { json, code, stderr } = await runJson(['plugin', 'check', name]);
    expect((json.findings as Finding[]).filter((f) => !f.ok), stderr).toEqual([]);
    expect(json.passed).toBe(true);
    expect(code).toBe(0);
    expect((json.findings as Finding[]).map((f) => f.check)).toEqual(expect.arrayContaining(['docs', 'inspect changes no state', 'minimum scope', 'decoders on bad replies']));
  });
});
