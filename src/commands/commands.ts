/**
 * `accelctl commands [PLUGIN]`: the command metadata. Every command (built-in
 * and plugin) with its options, arguments, class, scopes, summary and
 * description, and every RPC kind with its class and scope, so operators and
 * auditors can see what each can do before running it.
 *
 * Derived, never hand-kept: it walks the commander program (the same tree that
 * parses argv and makes the man pages) and takes class and RPCs from the plugin
 * definitions and capability blocks. Shell completion is generated from it.
 */
import type { Argument, Command, Option } from 'commander';
import { commandsOf, loadAllPlugins, loadPlugin, pluginNames } from '../core/plugins';
import { AccelError } from '../core/errors';
import { scopeName, SCOPE_NAMES, type RpcClass, type ScopeName } from '../core/scope';
import type { Plugin } from '../sdk/plugin';
import { table } from '../sdk/view';
import { action } from '../cli/action';
import type { ArgumentMeta, CommandClass, CommandMeta, CommandsOutput, CompleteKind, OptionMeta } from '../output/schemas';

interface ClassInfo {
  class: CommandClass;
  scopes: ScopeName[];
  rpcs: string[];
}

const NONE: ClassInfo = { class: 'none', scopes: [], rpcs: [] };

/** Most invasive first wins: any > mutate-debug > configure > inspect > none. */
const CLASS_ORDER: readonly CommandClass[] = ['none', 'inspect', 'configure', 'mutate-debug', 'any'];

function maxClass(classes: readonly CommandClass[]): CommandClass {
  if (classes.includes('unknown')) return 'unknown';
  return classes.reduce<CommandClass>((a, b) => (CLASS_ORDER.indexOf(b) > CLASS_ORDER.indexOf(a) ? b : a), 'none');
}

function merge(infos: readonly ClassInfo[]): ClassInfo {
  const scopes = new Set(infos.flatMap((i) => i.scopes));
  return { class: maxClass(infos.map((i) => i.class)), scopes: SCOPE_NAMES.filter((s) => scopes.has(s)), rpcs: [...new Set(infos.flatMap((i) => i.rpcs))] };
}

/** Class info of some of a plugin's RPC kinds (by name), as "plugin RPC". */
function pluginRpcs(plugin: Plugin, rpcClass: CommandClass, names: readonly string[]): ClassInfo {
  const scopeOf = new Map(plugin.protocol.rpcKinds.map((k) => [k.name, scopeName(k.scope)] as const));
  const scopes = new Set(names.map((n) => scopeOf.get(n)).filter((s): s is ScopeName => s !== undefined));
  return { class: names.length ? rpcClass : 'none', scopes: SCOPE_NAMES.filter((s) => scopes.has(s)), rpcs: names.map((n) => `${plugin.meta.name} ${n}`) };
}

/** A capability-backed built-in: what it may send on each plugin that has the capability. */
function perPlugin(fn: (plugin: Plugin) => ClassInfo | undefined): (plugins: readonly Plugin[]) => ClassInfo {
  return (plugins) => merge(plugins.map(fn).filter((i): i is ClassInfo => i !== undefined));
}

const inspectKinds = (p: Plugin) => p.protocol.rpcKinds.filter((k) => k.rpcClass === 'inspect').map((k) => k.name);

/**
 * Class and RPCs of every built-in leaf command, by path. A built-in command
 * missing here shows class "unknown" (and a test fails), so a new command
 * cannot silently claim to send nothing.
 */
const BUILTIN_CLASSES: Record<string, (plugins: readonly Plugin[]) => ClassInfo> = {
  list: () => ({ class: 'inspect', scopes: ['configuration', 'debug_read_only'], rpcs: ['plugin identify RPCs'] }),
  info: () => ({ class: 'none', scopes: [], rpcs: ['FWCTL_INFO'] }),
  rpc: () => ({ class: 'any', scopes: [...SCOPE_NAMES], rpcs: ['classified per request'] }),
  'config show': perPlugin((p) => p.config && pluginRpcs(p, 'inspect', p.config.rpcs.read)),
  'config set': perPlugin((p) => p.config && merge([pluginRpcs(p, 'inspect', p.config.rpcs.read), pluginRpcs(p, p.config.writeClass, p.config.rpcs.write)])),
  'config reset': perPlugin((p) => p.config && merge([pluginRpcs(p, 'inspect', p.config.rpcs.read), pluginRpcs(p, p.config.writeClass, p.config.rpcs.write)])),
  reset: perPlugin((p) => p.reset && pluginRpcs(p, p.reset.rpcClass, p.reset.rpcs)),
  'fw show': perPlugin((p) => p.firmware && pluginRpcs(p, 'inspect', p.firmware.rpcs.show)),
  'fw flash': perPlugin((p) => p.firmware && merge([pluginRpcs(p, 'inspect', p.firmware.rpcs.show), pluginRpcs(p, p.firmware.flashClass ?? 'none', p.firmware.flashClass ? p.firmware.rpcs.flash : [])])),
  'fw activate': perPlugin((p) => p.firmware && merge([pluginRpcs(p, 'inspect', p.firmware.rpcs.show), pluginRpcs(p, p.firmware.flashClass ?? 'none', p.firmware.flashClass ? p.firmware.rpcs.activate : [])])),
  health: perPlugin((p) => p.health && pluginRpcs(p, 'inspect', p.health.rpcs)),
  metrics: perPlugin((p) => p.metrics && pluginRpcs(p, 'inspect', p.metrics.rpcs)),
  dump: perPlugin((p) => pluginRpcs(p, 'inspect', inspectKinds(p))),
  commands: () => NONE,
  completion: () => NONE,
  schema: () => NONE,
  help: () => NONE,
  'sim init': () => NONE,
  'sim fw-image': () => NONE,
  'sim stats': () => NONE,
  'sim fault': () => NONE,
  'sim power-cycle': () => NONE,
  // Simulated devices and package files only.
  'plugin list': () => NONE,
  'plugin check': () => NONE,
  'plugin new': () => NONE,
};

/** What a shell completes for an argument or option value, from its name. */
function completeKind(name: string | null, path: readonly string[]): CompleteKind | null {
  if (name === null) return null;
  const n = name.toLowerCase();
  if (n === 'device' || n === 'devices') return 'device';
  if (n === 'dir' || n === 'directory') return 'directory';
  if (n === 'file' || n === 'image' || n === 'files') return 'file';
  if (n === 'plugin') return 'plugin';
  if (n === 'command') return 'command';
  if (n === 'name' && path[0] === 'schema') return 'schema';
  return null;
}

function jsonDefault(value: unknown): OptionMeta['default'] {
  if (value === undefined || value === null) return null;
  if (Array.isArray(value)) return value.map(String);
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  return String(value);
}

export function optionMeta(option: Option, path: readonly string[]): OptionMeta {
  const valueName = /[<[]([^>\]]+?)(\.\.\.)?[>\]]/.exec(option.flags)?.[1] ?? null;
  const long = option.long ?? null;
  // Options whose value is a plugin name are named after it (--plugin <name>).
  const kind = long === '--plugin' ? 'plugin' : completeKind(valueName, path);
  return {
    flags: option.flags,
    long,
    short: option.short ?? null,
    negate: option.negate,
    takes_value: option.required ? 'required' : option.optional ? 'optional' : 'none',
    value_name: valueName,
    variadic: option.variadic,
    mandatory: option.mandatory,
    choices: option.argChoices ? [...option.argChoices] : null,
    default: option.negate ? null : jsonDefault(option.defaultValue),
    description: option.description,
    complete: option.argChoices ? null : kind,
  };
}

function argumentMeta(arg: Argument, path: readonly string[]): ArgumentMeta {
  return {
    name: arg.name(),
    description: arg.description,
    required: arg.required,
    variadic: arg.variadic,
    choices: arg.argChoices ? [...arg.argChoices] : null,
    complete: arg.argChoices ? null : completeKind(arg.name(), path),
  };
}

/** Every command of the program tree, depth first, groups before their subcommands. */
export async function commandMetadata(program: Command, plugins: readonly Plugin[]): Promise<CommandMeta[]> {
  const { schemaNameFor } = await import('../output/schemas');
  const byName = new Map(plugins.map((p) => [p.meta.name, p] as const));
  const out: CommandMeta[] = [];
  const visit = (command: Command, parentPath: readonly string[]): ClassInfo => {
    const path = [...parentPath, command.name()];
    const key = path.join(' ');
    const plugin = byName.get(path[0]!) ?? null;
    const index = out.length;
    out.push(undefined as never); // keep the group before its subcommands
    const childInfos = command.commands.filter((c) => !(c as unknown as { _hidden?: boolean })._hidden).map((c) => visit(c, path));
    let info: ClassInfo;
    if (command.commands.length) info = merge(childInfos);
    else if (plugin) {
      const def = commandsOf(plugin).find((d) => d.name === command.name());
      info = def ? pluginRpcs(plugin, def.rpcClass, def.rpcs) : { class: 'unknown', scopes: [], rpcs: [] };
      if (def) info = { ...info, class: def.rpcClass, rpcs: [...def.rpcs] };
    } else info = BUILTIN_CLASSES[key]?.(plugins) ?? { class: 'unknown', scopes: [], rpcs: [] };
    const schema = schemaNameFor(path, plugin ? plugin.meta.name : null);
    out[index] = {
      command: key,
      path,
      name: command.name(),
      parent: parentPath.length ? parentPath.join(' ') : null,
      plugin: plugin ? plugin.meta.name : null,
      builtin: plugin === null,
      group: command.commands.length > 0,
      subcommands: command.commands.map((c) => c.name()),
      class: info.class,
      scopes: info.scopes,
      rpcs: info.rpcs,
      summary: command.summary() || command.description(),
      description: command.description(),
      usage: `accelctl ${key} ${command.usage()}`.trim(),
      arguments: command.registeredArguments.map((a) => argumentMeta(a, path)),
      options: (command.options as readonly Option[]).filter((o) => !o.hidden).map((o) => optionMeta(o, path)),
      output_schema: schema ?? null,
    };
    return info;
  };
  for (const command of program.commands) visit(command, []);
  return out;
}

/** The whole `accelctl commands -o json` document body (without schema_version). */
export async function buildMetadata(only?: string): Promise<Omit<CommandsOutput, 'schema_version'>> {
  const { buildProgram, VERSION } = await import('../cli/program');
  const program = await buildProgram(['--help']);
  const allPlugins = await loadAllPlugins();
  let commands = await commandMetadata(program, allPlugins);
  const plugins = only ? [await loadPlugin(only)] : allPlugins;
  if (only) commands = commands.filter((c) => c.plugin === only);
  const rpcKinds = plugins.flatMap((plugin) =>
    plugin.protocol.rpcKinds.map((kind) => ({ plugin: plugin.meta.name, name: kind.name, class: kind.rpcClass as RpcClass, scope: scopeName(kind.scope), description: kind.description ?? null })),
  );
  return {
    program: {
      name: 'accelctl',
      version: VERSION,
      description: program.description(),
      usage: `accelctl ${program.usage()}`,
      options: (program.options as readonly Option[]).filter((o) => !o.hidden).map((o) => optionMeta(o, [])),
    },
    commands,
    rpc_kinds: rpcKinds,
  };
}

export function register(program: Command): void {
  program
    .command('commands')
    .description('List every command and RPC kind with its class (inspect, configure, mutate-debug) and kernel scope; with -o json, the full command metadata (options, arguments, descriptions)')
    .argument('[plugin]', 'only this plugin')
    .action(
      action(async (runtime, [only]) => {
        if (only !== undefined && !pluginNames().includes(String(only))) {
          throw new AccelError('ACCELCTL_E_USAGE', `no plugin named '${String(only)}'`, { hint: `known plugins: ${pluginNames().join(', ')}` });
        }
        const body = await buildMetadata(only === undefined ? undefined : String(only));
        const leaves = body.commands.filter((c) => !c.group);
        await runtime.output.result(body, () => [
          table('Commands', ['COMMAND', 'CLASS', 'SCOPE', 'SUMMARY'], leaves.map((r) => [r.command, r.class, r.scopes.join(', '), r.summary])),
          table('RPC kinds', ['PLUGIN', 'RPC', 'CLASS', 'SCOPE'], body.rpc_kinds.map((k) => [k.plugin, k.name, k.class, k.scope])),
        ]);
      }),
    );
}
