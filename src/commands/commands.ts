/**
 * `accelctl commands [PLUGIN]`: every command and every RPC kind with the class
 * and scope it uses, so operators and auditors can see what each can do before
 * running it.
 */
import type { Command } from 'commander';
import { loadAllPlugins, loadPlugin, pluginNames } from '../core/plugins';
import { AccelError } from '../core/errors';
import { Scope, scopeName, type RpcClass, type ScopeName } from '../core/scope';
import { table } from '../sdk/view';
import { action } from '../cli/action';

interface CommandRow {
  command: string;
  plugin: string | null;
  class: RpcClass | 'none' | 'any';
  scopes: ScopeName[];
  rpcs: string[];
  summary: string;
}

/** Built-in commands that reach devices, and what they may send. */
const BUILTIN_ROWS: CommandRow[] = [
  { command: 'list', plugin: null, class: 'inspect', scopes: ['configuration', 'debug_read_only'], rpcs: ['plugin identify RPCs'], summary: 'List fwctl devices' },
  { command: 'info', plugin: null, class: 'none', scopes: [], rpcs: ['FWCTL_INFO'], summary: 'fwctl device information' },
  { command: 'rpc', plugin: null, class: 'any', scopes: ['configuration', 'debug_read_only', 'debug_write', 'debug_write_full'], rpcs: ['classified per request'], summary: 'Raw RPC passthru' },
  { command: 'commands', plugin: null, class: 'none', scopes: [], rpcs: [], summary: 'This table' },
  { command: 'sim', plugin: null, class: 'none', scopes: [], rpcs: [], summary: 'Manage simulated fleets' },
];

export function register(program: Command): void {
  program
    .command('commands')
    .description('List every command and RPC kind with its class (inspect, configure, mutate-debug) and kernel scope')
    .argument('[plugin]', 'only this plugin')
    .action(
      action(async (runtime, [only]) => {
        if (only !== undefined && !pluginNames().includes(String(only))) {
          throw new AccelError('ACCELCTL_E_USAGE', `no plugin named '${String(only)}'`, { hint: `known plugins: ${pluginNames().join(', ')}` });
        }
        const plugins = only ? [await loadPlugin(String(only))] : await loadAllPlugins();
        const rows: CommandRow[] = only ? [] : [...BUILTIN_ROWS];
        const rpcKinds: { plugin: string; name: string; class: RpcClass; scope: ScopeName; description: string | null }[] = [];
        for (const plugin of plugins) {
          const scopeOf = new Map(plugin.protocol.rpcKinds.map((k) => [k.name, k.scope] as const));
          for (const def of plugin.commands) {
            const scopes = [...new Set(def.rpcs.map((r: string) => scopeOf.get(r)).filter((s: Scope | undefined): s is Scope => s !== undefined))]
              .sort()
              .map(scopeName);
            rows.push({ command: `${plugin.meta.name} ${def.name}`, plugin: plugin.meta.name, class: def.rpcClass, scopes, rpcs: [...def.rpcs], summary: def.summary });
          }
          for (const kind of plugin.protocol.rpcKinds) {
            rpcKinds.push({ plugin: plugin.meta.name, name: kind.name, class: kind.rpcClass, scope: scopeName(kind.scope), description: kind.description ?? null });
          }
        }
        await runtime.output.result({ commands: rows, rpc_kinds: rpcKinds }, () => [
          table('Commands', ['COMMAND', 'CLASS', 'SCOPE', 'SUMMARY'], rows.map((r) => [r.command, r.class, r.scopes.join(', '), r.summary])),
          table('RPC kinds', ['PLUGIN', 'RPC', 'CLASS', 'SCOPE'], rpcKinds.map((k) => [k.plugin, k.name, k.class, k.scope])),
        ]);
      }),
    );
}
