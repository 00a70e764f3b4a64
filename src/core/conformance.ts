/**
 * The plugin conformance kit (`accelctl plugin check`). It checks a plugin the
 * way the umbrella relies on it, against the plugin's own simulated device:
 *
 *  - manifest and command definitions: every command declares its class and RPC
 *    kinds that exist; help text exists; docs exist;
 *  - every request the plugin's inspect commands send is classified at the
 *    minimum scope its (simulated) kernel driver accepts — one scope lower is
 *    refused — and random requests are either refused or classified at a scope
 *    the driver accepts;
 *  - decoders fed truncated and random replies throw only typed AccelErrors;
 *  - inspect commands change no simulated state, never taint, and never ask
 *    for more than debug_read_only.
 *
 * It runs with no hardware and no network, in a temporary fleet.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CommandContext, Plugin, PluginCommand, RpcOptions, SimulatorDefinition } from '../sdk/plugin';
import { discoverDevices } from './discovery';
import { dumpInvocations } from './dump';
import { isAccelError, AccelError } from './errors';
import { parseOptionValues } from './options';
import { DevicePipeline, type RpcEvent } from './pipeline';
import { readTaint } from './privilege';
import { RPC_CLASSES, Scope, classAllowsScope, scopeName, type Scope as ScopeValue } from './scope';
import { resolveCommands } from './plugins';

export interface Finding {
  check: string;
  ok: boolean;
  detail: string;
}

export interface ConformanceReport {
  plugin: string;
  passed: boolean;
  findings: Finding[];
}

/** Refusals of the umbrella's policy: an inspect command that meets one is sending more than inspect. */
const POLICY_REFUSALS = new Set<string>(['ACCELCTL_E_NOT_INSPECT', 'ACCELCTL_E_NEEDS_YES', 'ACCELCTL_E_NEEDS_ALLOW_MUTATE', 'ACCELCTL_E_PRIVILEGE']);

/** How many leading bytes of each sent request are varied to find neighbouring requests (opcodes live there). */
const NEIGHBOUR_BYTES = 8;

/** Deterministic bytes (mulberry32), so a failing run can be repeated exactly. */
function randomBytes(seed: number, count: number, maxLength: number): Uint8Array[] {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return Array.from({ length: count }, () => Uint8Array.from({ length: Math.floor(next() * (maxLength + 1)) }, () => Math.floor(next() * 256)));
}

/** Paths (a.b[2].c) where two JSON values differ. */
function changedPaths(before: unknown, after: unknown, path = 'state'): string[] {
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  if (before && after && typeof before === 'object' && typeof after === 'object') {
    const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
    return [...keys].flatMap((k) => changedPaths((before as Record<string, unknown>)[k], (after as Record<string, unknown>)[k], Array.isArray(before) ? `${path}[${k}]` : `${path}.${k}`));
  }
  return [path];
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

function staticChecks(plugin: Plugin, commands: readonly PluginCommand[], docsDir: string | undefined): Finding[] {
  const findings: Finding[] = [];
  const kinds = new Map(plugin.protocol.rpcKinds.map((k) => [k.name, k]));
  const names = new Set<string>();
  for (const command of commands) {
    const label = `command ${plugin.meta.name} ${command.name ?? '?'}`;
    const problems: string[] = [];
    if (!command.name || !/^[a-z][a-z0-9-]*$/.test(command.name)) problems.push('name must be lower-case words joined by dashes');
    if (names.has(command.name)) problems.push('name used twice');
    names.add(command.name);
    if (!RPC_CLASSES.includes(command.rpcClass)) problems.push(`declares no class (inspect, configure or mutate-debug), got ${String(command.rpcClass)}`);
    if (!command.summary?.trim()) problems.push('has no summary (help text)');
    const unknown = (command.rpcs ?? []).filter((r) => !kinds.has(r));
    if (!Array.isArray(command.rpcs)) problems.push('has no RPC kind list (rpcs: [] for a command that sends none)');
    if (unknown.length) problems.push(`names RPC kinds the protocol does not list: ${unknown.join(', ')}`);
    for (const arg of command.args ?? []) if (!arg.description?.trim()) problems.push(`argument ${arg.name} has no description`);
    for (const [option, spec] of Object.entries(command.options ?? {})) if (!spec.description?.trim()) problems.push(`option --${option} has no description`);
    findings.push({ check: label, ok: problems.length === 0, detail: problems.join('; ') || `${command.rpcClass}, ${command.rpcs.length} RPC kind(s)` });
  }
  const badKinds = plugin.protocol.rpcKinds.filter((k) => !classAllowsScope(k.rpcClass, k.scope));
  findings.push({
    check: 'rpc kinds',
    ok: plugin.protocol.rpcKinds.length > 0 && badKinds.length === 0,
    detail: badKinds.length ? `class and scope disagree: ${badKinds.map((k) => `${k.name} ${k.rpcClass}@${scopeName(k.scope)}`).join(', ')}` : `${plugin.protocol.rpcKinds.length} kinds`,
  });
  const readme = docsDir ? join(docsDir, 'README.md') : undefined;
  findings.push({ check: 'docs', ok: Boolean(readme && existsSync(readme)), detail: readme ? (existsSync(readme) ? readme : `missing ${readme}`) : 'no package directory to look in' });
  return findings;
}

/** A context whose replies come from a script: used to feed commands truncated and random replies. */
function scriptedContext(real: CommandContext, reply: (call: number, request: Uint8Array) => Uint8Array): CommandContext {
  let call = 0;
  return {
    device: real.device,
    cache: new Map(),
    info: real.info,
    rpc: async (request: Uint8Array, _options?: RpcOptions) => reply(call++, request),
    rpcIndirect: async (request, indirect) => ({ reply: reply(call++, request), buffers: indirect.map((b) => new Uint8Array(b.data?.length ?? b.length ?? 0)) }),
  };
}

export async function checkPlugin(plugin: Plugin, options: { docsDir?: string; seed?: number; randomRuns?: number } = {}): Promise<ConformanceReport> {
  const commands = await resolveCommands(plugin);
  const findings = staticChecks(plugin, commands, options.docsDir);
  const report = (): ConformanceReport => ({ plugin: plugin.meta.name, passed: findings.every((f) => f.ok), findings });
  if (!plugin.simulator) {
    findings.push({ check: 'simulator', ok: false, detail: 'the plugin ships no simulated device, so its behaviour cannot be checked' });
    return report();
  }
  let sim: SimulatorDefinition<unknown>;
  try {
    sim = (await plugin.simulator()).default;
  } catch (error) {
    findings.push({ check: 'simulator', ok: false, detail: `cannot load: ${describe(error)}` });
    return report();
  }

  const [{ createFleet }, { SimTransport }, { readDeviceState, readDeviceStats }] = await Promise.all([import('../sim/fleet'), import('../transport/sim'), import('../sim/state-store')]);
  const base = mkdtempSync(join(tmpdir(), 'accelctl-check-'));
  const root = join(base, 'fleet');
  try {
    await createFleet(root, { fleet: [{ plugin: plugin.meta.name, count: 1 }], latencyMs: 0, force: false, resolvePlugin: async () => plugin });
    const entry = discoverDevices(root)[0]!;
    const transport = new SimTransport(root, async () => sim);
    const handle = await transport.open(entry.path);
    const events: RpcEvent[] = [];
    const pipeline = new DevicePipeline(entry, handle, plugin, { yes: false, allowMutate: false, dryRun: false, inspectOnly: true, timeoutMs: 5_000, onRpc: (e) => events.push(e) });
    const ctx = pipeline.commandContext();
    const stateBefore = JSON.stringify(readDeviceState(entry.path).firmware);

    // 1. Every inspect command, as a dump would run it.
    const runs: { command: PluginCommand; args: string[]; options: Record<string, unknown>; replies: Uint8Array[] }[] = [];
    for (const command of commands) {
      for (const invocation of dumpInvocations(command)) {
        const args = [...(invocation.args ?? [])];
        const label = `run ${plugin.meta.name} ${command.name}${args.length ? ` ${args.join(' ')}` : ''}`;
        const first = events.length;
        let outcome: Finding;
        try {
          const parsed = parseOptionValues(command.options ?? {}, invocation.options ?? {});
          await command.run(ctx, { args, options: parsed as never });
          outcome = { check: label, ok: true, detail: `${events.length - first} RPC(s)` };
        } catch (error) {
          if (isAccelError(error) && POLICY_REFUSALS.has(error.code)) {
            // The pipeline refused something this inspect command tried to send: the command is not inspect.
            outcome = { check: label, ok: false, detail: `an inspect command tried to send an RPC that is not inspect (refused, ${error.code}): ${error.message}` };
          } else {
            outcome = { check: label, ok: isAccelError(error), detail: isAccelError(error) ? `typed error ${error.code} (accepted)` : `threw an untyped error: ${describe(error)}` };
          }
        }
        const undeclared = [...new Set(events.slice(first).map((e) => e.name))].filter((n) => !command.rpcs.includes(n));
        if (outcome.ok && undeclared.length) outcome = { check: label, ok: false, detail: `sent RPC kinds its rpcs list does not declare: ${undeclared.join(', ')}` };
        findings.push(outcome);
        runs.push({ command, args, options: invocation.options ?? {}, replies: events.slice(first).map((e) => e.reply ?? new Uint8Array()) });
      }
    }
    findings.push({ check: 'inspect coverage', ok: runs.length > 0, detail: runs.length ? `${runs.length} inspect invocation(s)` : 'no inspect command runs without arguments and none declares dump invocations' });

    // 2. Inspect commands changed nothing and asked for no write scope.
    const after = readDeviceState(entry.path);
    const taint = readTaint(root);
    const changed = changedPaths(JSON.parse(stateBefore), after.firmware);
    findings.push({
      check: 'inspect changes no state',
      ok: changed.length === 0,
      detail: changed.length === 0 ? 'simulated state unchanged' : `the simulated device state changed while only inspect commands ran: ${changed.slice(0, 5).join(', ')}`,
    });
    const sent = readDeviceStats(entry.path, after).requested;
    const writes = sent.debug_write + sent.debug_write_full;
    findings.push({ check: 'inspect never taints', ok: writes === 0 && !taint?.fwctl, detail: writes ? `${writes} RPC(s) at a debug_write scope` : taint?.fwctl ? 'the kernel was tainted' : 'no taint' });

    // 3. Minimum scope: the driver accepts each RPC at its classified scope and refuses it one lower.
    const stateNow = after.firmware;
    const notMinimal: string[] = [];
    const notAccepted: string[] = [];
    for (const event of events) {
      const scope = Scope[event.scope.toUpperCase() as keyof typeof Scope] as ScopeValue;
      const outLen = plugin.protocol.defaultOutLen(event.request);
      if (sim.driverCheck(scope, event.request, outLen, stateNow)) notAccepted.push(`${event.name}@${event.scope}`);
      if (scope > 0 && !sim.driverCheck((scope - 1) as ScopeValue, event.request, outLen, stateNow)) notMinimal.push(`${event.name} (${event.scope}, but ${scopeName((scope - 1) as ScopeValue)} is accepted)`);
    }
    // Requests one byte away from those the inspect commands sent (other opcodes,
    // op_mods, ...): whatever the classifier accepts there must be classified at
    // the scope the driver needs, too. This finds RPC kinds no inspect command sends.
    const sentCount = events.length;
    const seen = new Set<string>();
    let neighbours = 0;
    for (const event of events.slice(0, sentCount)) {
      const key = Buffer.from(event.request).toString('hex');
      if (seen.has(key) || seen.size >= 16) continue;
      seen.add(key);
      for (let at = 0; at < Math.min(NEIGHBOUR_BYTES, event.request.length); at++) {
        for (let value = 0; value < 256; value++) {
          if (value === event.request[at]) continue;
          const request = Uint8Array.from(event.request);
          request[at] = value;
          let c;
          try {
            c = await pipeline.classify(request);
          } catch {
            continue; // refused (typed or not: 'unknown requests' below judges classifier crashes)
          }
          neighbours++;
          const outLen = plugin.protocol.defaultOutLen(request);
          if (sim.driverCheck(Scope.DEBUG_WRITE_FULL, request, outLen, stateNow) !== undefined) continue; // the driver refuses it anyway
          if (sim.driverCheck(c.scope, request, outLen, stateNow) !== undefined) notAccepted.push(`${c.name}@${scopeName(c.scope)}`);
          else if (c.scope > 0 && !sim.driverCheck((c.scope - 1) as ScopeValue, request, outLen, stateNow)) notMinimal.push(`${c.name} (${scopeName(c.scope)}, but ${scopeName((c.scope - 1) as ScopeValue)} is accepted)`);
        }
      }
    }
    findings.push({
      check: 'minimum scope',
      ok: notMinimal.length === 0 && notAccepted.length === 0,
      detail: [...new Set([...notMinimal, ...notAccepted.map((n) => `driver refuses ${n}`)])].slice(0, 5).join('; ') || `${sentCount} RPC(s) and ${neighbours} classified neighbouring request(s) at their minimum scope`,
    });

    // 4. Random requests: refused, or classified at a scope the driver accepts; typed errors only.
    const randomProblems: string[] = [];
    let classified = 0;
    for (const request of randomBytes(options.seed ?? 1, options.randomRuns ?? 200, 64)) {
      try {
        const c = await pipeline.classify(request);
        classified++;
        const outLen = plugin.protocol.defaultOutLen(request);
        if (sim.driverCheck(Scope.DEBUG_WRITE_FULL, request, outLen, stateNow) === undefined && sim.driverCheck(c.scope, request, outLen, stateNow) !== undefined) {
          randomProblems.push(`${c.name} classified at ${scopeName(c.scope)} but the driver needs more`);
        }
      } catch (error) {
        if (!isAccelError(error)) randomProblems.push(`classify threw ${describe(error)}`);
      }
      if (randomProblems.length >= 3) break;
    }
    findings.push({ check: 'unknown requests', ok: randomProblems.length === 0, detail: randomProblems.join('; ') || `${classified} of the random requests classified, the rest refused` });

    // 5. Decoders: replies cut short and random replies give typed errors only.
    const crashes = new Set<string>();
    for (const run of runs) {
      const variants: ((reply: Uint8Array) => Uint8Array)[] = [];
      const longest = Math.max(0, ...run.replies.map((r) => r.length));
      for (const cut of [0, 1, 2, 4, 8, 12, 16, 24, 32, 48, 64, 128, 256, 512, 1024, 4096].filter((n) => n < longest)) variants.push((r) => r.subarray(0, Math.min(cut, r.length)));
      for (const bytes of randomBytes((options.seed ?? 1) + 7, 20, Math.max(64, longest))) variants.push(() => bytes);
      for (const variant of variants) {
        const scripted = scriptedContext(ctx, (call) => variant(run.replies[call] ?? run.replies[run.replies.length - 1] ?? new Uint8Array()));
        try {
          await run.command.run(scripted, { args: run.args, options: parseOptionValues(run.command.options ?? {}, run.options) as never });
        } catch (error) {
          if (!isAccelError(error)) crashes.add(`${run.command.name}: ${describe(error)}`);
        }
      }
      for (const reply of run.replies) {
        for (const cut of [0, 1, 3, 7, 15, reply.length >> 1]) {
          try {
            plugin.protocol.replyStatus(new Uint8Array(), reply.subarray(0, cut));
            plugin.protocol.decodeReply?.(new Uint8Array(), reply.subarray(0, cut));
          } catch (error) {
            if (!isAccelError(error)) crashes.add(`protocol decoders: ${describe(error)}`);
          }
        }
      }
    }
    findings.push({ check: 'decoders on bad replies', ok: crashes.size === 0, detail: [...crashes].slice(0, 3).join('; ') || 'only typed errors' });
    await handle.close();
  } catch (error) {
    findings.push({ check: 'simulated device', ok: false, detail: `could not be exercised: ${describe(error)}` });
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
  return report();
}

export function assertPassed(report: ConformanceReport): void {
  if (!report.passed) {
    const failed = report.findings.filter((f) => !f.ok);
    throw new AccelError('ACCELCTL_E_PLUGIN', `plugin ${report.plugin} fails ${failed.length} conformance check(s): ${failed.map((f) => f.check).join(', ')}`);
  }
}
