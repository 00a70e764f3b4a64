/**
 * Replies that are almost right. Random bytes stop at the first status check, so
 * they never reach the deep decoders; here each built-in plugin runs against its
 * own simulated device, and one reply of the run is damaged — a byte changed, the
 * rest of it from some byte on replaced by noise, the reply cut short, or its
 * reported length raised past what arrived. Every
 * read-only path a user can reach is run this way: the plugin's inspect commands
 * that need only a device (as `dump` runs them), identify (`list`), firmware show,
 * configuration read, health reporters and metrics; and the paths that change it:
 * a configuration write, a flash and activation, a reset.
 *
 * Property: each ends in a result or one of accelctl's typed errors, never in a
 * TypeError, RangeError or any other exception, and never hangs.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { dumpInvocations } from '../../src/core/dump';
import { discoverDevices } from '../../src/core/discovery';
import { isAccelError } from '../../src/core/errors';
import { parseOptionValues } from '../../src/core/options';
import { DevicePipeline } from '../../src/core/pipeline';
import { loadPlugin, loadSimulator, resolveCommands } from '../../src/core/plugins';
import type { ParamType, ParamValue } from '../../src/sdk/capabilities';
import type { CommandContext, Plugin } from '../../src/sdk/plugin';
import { createFleet } from '../../src/sim/fleet';
import { readDeviceState } from '../../src/sim/state-store';
import { SimTransport } from '../../src/transport/sim';
import type { FwctlHandle, FwctlRpcResult } from '../../src/transport/types';
import { params } from './runs';

type Damage =
  | { kind: 'byte'; at: number; value: number }
  | { kind: 'tail'; at: number; seed: number }
  | { kind: 'cut'; at: number }
  | { kind: 'longer'; by: number };

/** The `call`-th reply of a run damaged one way; `at` is taken modulo the reply's length. */
function damage(result: FwctlRpcResult, how: Damage): FwctlRpcResult {
  const out = result.out.slice();
  switch (how.kind) {
    case 'byte':
      if (out.length) out[how.at % out.length] = how.value;
      return { ...result, out };
    case 'tail': {
      // Random bytes from `at` on: past the status fields, this feeds the decoders
      // counts, lengths and indexes they must check.
      let x = how.seed >>> 0 || 1;
      for (let i = out.length ? how.at % out.length : 0; i < out.length; i++) {
        x ^= x << 13;
        x ^= x >>> 17;
        x ^= x << 5;
        out[i] = x & 0xff;
      }
      return { ...result, out };
    }
    case 'cut': {
      const at = out.length ? how.at % out.length : 0;
      return { ...result, out: out.subarray(0, at), outLen: at };
    }
    case 'longer':
      // The kernel says the device had more to say than the buffer took.
      return { ...result, out, outLen: result.outLen + how.by };
  }
}

const damages: fc.Arbitrary<Damage> = fc.oneof(
  // Edge values more often than their share: counts of 0 and 255, sign bits.
  fc.record({ kind: fc.constant('byte' as const), at: fc.nat(), value: fc.oneof(fc.constantFrom(0, 1, 0x7f, 0x80, 0xff), fc.integer({ min: 0, max: 255 })) }),
  fc.record({ kind: fc.constant('tail' as const), at: fc.nat(), seed: fc.nat() }),
  fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('longer' as const), by: fc.integer({ min: 1, max: 1 << 20 }) }),
);

interface Scenario {
  name: string;
  run(ctx: CommandContext): Promise<unknown>;
  /** RPCs it sends to the undamaged device: the replies there are to damage. */
  rpcs?: number;
}

async function scenariosOf(plugin: Plugin): Promise<Scenario[]> {
  const scenarios: Scenario[] = [];
  for (const command of await resolveCommands(plugin)) {
    for (const invocation of dumpInvocations(command)) {
      const args = [...(invocation.args ?? [])];
      const options = parseOptionValues(command.options ?? {}, invocation.options ?? {});
      scenarios.push({ name: `${command.name} ${args.join(' ')}`.trim(), run: (ctx) => command.run(ctx, { args, options: options as never }) });
    }
  }
  if (plugin.identify) scenarios.push({ name: 'identify', run: (ctx) => plugin.identify!(ctx) });
  if (plugin.firmware) scenarios.push({ name: 'firmware show', run: (ctx) => plugin.firmware!.show(ctx) });
  if (plugin.config) {
    scenarios.push({
      name: 'config read',
      run: async (ctx) => plugin.config!.read(ctx, (await plugin.config!.params(ctx)).map((p) => p.name)),
    });
  }
  if (plugin.health) scenarios.push({ name: 'health', run: (ctx) => plugin.health!.reporters(ctx) });
  if (plugin.metrics) scenarios.push({ name: 'metrics', run: (ctx) => plugin.metrics!.collect(ctx) });
  return scenarios;
}

/** A value of the parameter's type that differs from `now`. */
function otherValue(type: ParamType, now: ParamValue): ParamValue {
  switch (type.kind) {
    case 'bool':
      return !now;
    case 'int':
      return now === type.min ? type.max : type.min;
    case 'enum':
      return type.values.find((v) => v !== now) ?? type.values[0]!;
    case 'string':
      return now === 'x' ? 'y' : 'x';
  }
}

/** The paths that change a device: a configuration write, a flash (small image) and activation, a reset. */
async function writeScenariosOf(plugin: Plugin, image: Uint8Array | undefined): Promise<Scenario[]> {
  const scenarios: Scenario[] = [];
  const config = plugin.config;
  if (config) {
    scenarios.push({
      name: 'config write',
      run: async (ctx) => {
        const param = (await config.params(ctx)).find((p) => !p.readOnly);
        if (!param) return;
        const [state] = await config.read(ctx, [param.name]);
        await config.write(ctx, [{ name: param.name, value: otherValue(param.type, state!.nextBoot) }]);
      },
    });
  }
  const firmware = plugin.firmware;
  if (firmware?.flashClass && image) {
    scenarios.push({
      name: 'fw flash',
      run: async (ctx) => {
        await firmware.checkTarget(ctx, firmware.inspectImage(image));
        await firmware.flash(ctx, image, { progress: () => undefined });
      },
    });
    scenarios.push({ name: 'fw activate', run: (ctx) => firmware.activate(ctx) });
  }
  const reset = plugin.reset;
  if (reset) scenarios.push({ name: 'reset', run: (ctx) => reset.reset(ctx, reset.levels[0]!.name) });
  return scenarios;
}

/** Versions each flashing plugin's images take (mlx5: three parts, bnxt: four). */
const IMAGE_VERSION: Record<string, string> = { mlx5: '28.40.1000', bnxt: '231.0.1.0' };

describe('every read-only plugin path on damaged replies from its own simulated device', () => {
  for (const name of ['mlx5', 'cxl', 'pds', 'bnxt']) {
    describe(name, () => {
      let plugin: Plugin;
      let handle: FwctlHandle;
      let entry: ReturnType<typeof discoverDevices>[number];
      let scenarios: Scenario[];
      let writeScenarios: Scenario[];

      beforeAll(async () => {
        plugin = await loadPlugin(name);
        const root = join(mkdtempSync(join(tmpdir(), 'accelctl-mutated-')), 'fleet');
        await createFleet(root, { fleet: [{ plugin: name, count: 1 }], latencyMs: 0, force: false });
        entry = discoverDevices(root)[0]!;
        handle = await new SimTransport(root).open(entry.path);
        scenarios = await scenariosOf(plugin);
        const sim = await loadSimulator(plugin);
        const version = IMAGE_VERSION[name];
        const image = sim.buildImage && version ? sim.buildImage({ version, size: 32 * 1024 }, readDeviceState(entry.path).firmware) : undefined;
        writeScenarios = await writeScenariosOf(plugin, image);
      });

      /** A pipeline whose `call`-th RPC reply (counting from 0) is damaged; the others are the device's own. */
      const damagedContext = (call: number, how: Damage, sent = { count: 0 }, writes = false): CommandContext => {
        const damaging: FwctlHandle = {
          info: () => handle.info(),
          close: async () => undefined,
          rpc: async (scope, input, outLen, indirect) => {
            const result = await handle.rpc(scope, input, outLen, indirect);
            return sent.count++ === call ? damage(result, how) : result;
          },
        };
        const policy = writes ? { yes: true, allowMutate: true, inspectOnly: false } : { yes: false, allowMutate: false, inspectOnly: true };
        return new DevicePipeline(entry, damaging, plugin, { ...policy, dryRun: false, timeoutMs: 5_000 }).commandContext();
      };

      it('has read-only paths to damage, and each runs cleanly on undamaged replies', async () => {
        for (const scenario of scenarios) {
          const sent = { count: 0 };
          await scenario.run(damagedContext(-1, { kind: 'cut', at: 0 }, sent)).catch((error: unknown) => {
            // A command the healthy device refuses (mlx5 diag-counters before diag-enable) is a typed error too.
            expect(isAccelError(error), `${scenario.name}: ${String(error)}`).toBe(true);
          });
          scenario.rpcs = sent.count;
        }
        expect(scenarios.filter((s) => s.rpcs).length).toBeGreaterThanOrEqual(3);
      });

      it('a damaged reply anywhere in any path ends in a result or a typed error', async () => {
        const reachable = scenarios.filter((s) => s.rpcs);
        await fc.assert(
          fc.asyncProperty(fc.nat(), fc.nat(), damages, async (pick, nth, how) => {
            const scenario = reachable[pick % reachable.length]!;
            const call = nth % scenario.rpcs!;
            try {
              await scenario.run(damagedContext(call, how));
            } catch (error) {
              if (!isAccelError(error)) throw new Error(`${name} ${scenario.name}, reply ${call} damaged ${JSON.stringify(how)}: ${(error as Error)?.stack ?? String(error)}`);
            }
          }),
          params(150),
        );
      }, 120_000);

      it('a damaged reply anywhere in a configuration write, flash, activation or reset ends in a result or a typed error', async () => {
        expect(writeScenarios.length).toBeGreaterThan(0);
        for (const scenario of writeScenarios) {
          const sent = { count: 0 };
          await scenario.run(damagedContext(-1, { kind: 'cut', at: 0 }, sent, true)).catch((error: unknown) => {
            expect(isAccelError(error), `${scenario.name}: ${String(error)}`).toBe(true);
          });
          scenario.rpcs = sent.count;
        }
        const reachable = writeScenarios.filter((s) => s.rpcs);
        expect(reachable.length).toBeGreaterThan(0);
        await fc.assert(
          fc.asyncProperty(fc.nat(), fc.nat(), damages, async (pick, nth, how) => {
            const scenario = reachable[pick % reachable.length]!;
            const call = nth % scenario.rpcs!;
            try {
              await scenario.run(damagedContext(call, how, { count: 0 }, true));
            } catch (error) {
              if (!isAccelError(error)) throw new Error(`${name} ${scenario.name}, reply ${call} damaged ${JSON.stringify(how)}: ${(error as Error)?.stack ?? String(error)}`);
            }
          }),
          params(60),
        );
      }, 120_000);
    });
  }
});
