/**
 * checkPlugin, in process, on the demo fixture plugin and variants of it with
 * one mistake each. The e2e tests (test/e2e/plugins-check.test.ts) cover the
 * same through `accelctl plugin check` on scaffolded packages.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkPlugin, type ConformanceReport } from '../../src/core/conformance';
import { commandsOf } from '../../src/core/plugins';
import { Scope } from '../../src/core/scope';
import type { Plugin, PluginCommand } from '../../src/sdk/plugin';
import demoPlugin, { DemoReply, DemoRequest, demoSimulator, req } from '../fixtures/demo-plugin';

const docs = mkdtempSync(join(tmpdir(), 'accelctl-conformance-'));
writeFileSync(join(docs, 'README.md'), '# demo\n');
afterAll(() => rmSync(docs, { recursive: true, force: true }));

const base: Plugin = demoPlugin;

/** The demo plugin without its deliberately lying RPC kind (LIE: inspect at debug_write). */
const honest: Plugin = {
  ...base,
  protocol: {
    ...demoPlugin.protocol,
    classify: (request, context) => (request.length >= 8 && DemoRequest.get(request, 'opcode') === 7 ? undefined : base.protocol.classify(request, context)),
    rpcKinds: base.protocol.rpcKinds.filter((k) => k.name !== 'LIE'),
  },
};

const failed = (report: ConformanceReport) => report.findings.filter((f) => !f.ok);
const finding = (report: ConformanceReport, check: string) => report.findings.find((f) => f.check === check);

function withCommand(plugin: Plugin, command: PluginCommand): Plugin {
  return { ...plugin, commands: [command] };
}

describe('checkPlugin', () => {
  it('passes the honest demo plugin, with every check reported', async () => {
    const report = await checkPlugin(honest, { docsDir: docs });
    expect(failed(report)).toEqual([]);
    expect(report).toMatchObject({ plugin: 'demo', passed: true });
    expect(report.findings.map((f) => f.check)).toEqual([
      'command demo value',
      'rpc kinds',
      'docs',
      'run demo value',
      'inspect coverage',
      'inspect changes no state',
      'inspect never taints',
      'minimum scope',
      'unknown requests',
      'decoders on bad replies',
    ]);
    expect(finding(report, 'minimum scope')!.detail).toMatch(/^1 RPC\(s\) and \d+ classified neighbouring request/);
  });

  it('fails the demo plugin as shipped: an RPC kind whose class may not use its scope, and no docs', async () => {
    const report = await checkPlugin(demoPlugin);
    expect(report.passed).toBe(false);
    expect(failed(report).map((f) => f.check)).toEqual(['rpc kinds', 'docs']);
    expect(finding(report, 'rpc kinds')!.detail).toContain('LIE inspect@debug_write');
  });

  it('is deterministic for a seed', async () => {
    const a = await checkPlugin(honest, { docsDir: docs, seed: 42 });
    const b = await checkPlugin(honest, { docsDir: docs, seed: 42 });
    expect(a).toEqual(b);
  });

  it('finds a decoder that crashes on a short reply', async () => {
    const report = await checkPlugin(
      withCommand(honest, {
        ...commandsOf(honest)[0]!,
        async run(ctx) {
          const reply = await ctx.rpc(req(1));
          return { value: new DataView(reply.buffer, reply.byteOffset, reply.byteLength).getUint32(4, true) };
        },
      }),
      { docsDir: docs },
    );
    expect(failed(report).map((f) => f.check)).toEqual(['decoders on bad replies']);
    expect(finding(report, 'decoders on bad replies')!.detail).toContain('value: RangeError');
  });

  it('accepts a decoder that checks lengths and throws typed errors', async () => {
    const report = await checkPlugin(
      withCommand(honest, {
        ...commandsOf(honest)[0]!,
        async run(ctx) {
          const reply = await ctx.rpc(req(1));
          return { value: DemoReply.get(reply, 'value') };
        },
      }),
      { docsDir: docs },
    );
    expect(report.passed).toBe(true);
  });

  it('finds an inspect RPC that changes the firmware state', async () => {
    const sim = {
      ...demoSimulator,
      firmware(state: { value: number; flashed: number; volatile: number }, request: Uint8Array, outLen: number, env: Parameters<typeof demoSimulator.firmware>[3]) {
        if (DemoRequest.get(request, 'opcode') === 1) state.volatile += 1;
        return demoSimulator.firmware(state, request, outLen, env);
      },
    };
    const report = await checkPlugin({ ...honest, simulator: async () => ({ default: sim }) }, { docsDir: docs });
    expect(failed(report).map((f) => f.check)).toEqual(['inspect changes no state']);
    expect(finding(report, 'inspect changes no state')!.detail).toContain('state.volatile');
  });

  it('finds an under-scoped classifier for a kind no command sends (found next to a sent request)', async () => {
    const report = await checkPlugin(
      {
        ...honest,
        protocol: {
          ...honest.protocol,
          classify: (request, context) => {
            const c = honest.protocol.classify(request, context) as ReturnType<Plugin['protocol']['classify']>;
            return c && 'name' in c && c.name === 'DEBUG_READ' ? { ...c, scope: Scope.CONFIGURATION } : c;
          },
        },
      },
      { docsDir: docs },
    );
    expect(failed(report).map((f) => f.check)).toEqual(['minimum scope']);
    expect(finding(report, 'minimum scope')!.detail).toContain('driver refuses DEBUG_READ@configuration');
  });

  it('finds an inspect command that sends a configure RPC', async () => {
    const report = await checkPlugin(
      withCommand(honest, {
        ...commandsOf(honest)[0]!,
        async run(ctx) {
          await ctx.rpc(req(3, 5));
          return { value: DemoReply.get(await ctx.rpc(req(1)), 'value') };
        },
      }),
      { docsDir: docs },
    );
    expect(failed(report).map((f) => f.check)).toEqual(['run demo value']);
    expect(finding(report, 'run demo value')!.detail).toContain('ACCELCTL_E_NOT_INSPECT');
  });

  it('finds an inspect command that sends RPC kinds it does not declare', async () => {
    const report = await checkPlugin(
      withCommand(honest, {
        ...commandsOf(honest)[0]!,
        async run(ctx) {
          await ctx.rpc(req(2));
          return { value: DemoReply.get(await ctx.rpc(req(1)), 'value') };
        },
      }),
      { docsDir: docs },
    );
    expect(failed(report).map((f) => f.check)).toEqual(['run demo value']);
    expect(finding(report, 'run demo value')!.detail).toContain('does not declare: DEBUG_READ');
  });

  it('reports a plugin without a simulator instead of passing it', async () => {
    const { simulator: _none, ...withoutSim } = honest;
    const report = await checkPlugin(withoutSim as Plugin, { docsDir: docs });
    expect(report.passed).toBe(false);
    expect(finding(report, 'simulator')).toMatchObject({ ok: false });
  });
});
