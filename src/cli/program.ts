/**
 * The commander program: global options, built-in commands (one module each in
 * src/commands), and plugin command groups. Plugins load lazily: only the one
 * named on the command line, or all of them when help needs to list them.
 */
import { Command, Option } from 'commander';
import { loadAllPlugins, loadPlugin, pluginNames } from '../core/plugins';
import { pluginGroup } from './plugin-commands';
import * as commandsCommand from '../commands/commands';
import * as completionCommand from '../commands/completion';
import * as helpCommand from '../commands/help';
import * as schemaCommand from '../commands/schema';
import * as configCommand from '../commands/config';
import * as dumpCommand from '../commands/dump';
import * as fwCommand from '../commands/fw';
import * as healthCommand from '../commands/health';
import * as metricsCommand from '../commands/metrics';
import * as pluginCommand from '../commands/plugin';
import * as resetCommand from '../commands/reset';
import * as infoCommand from '../commands/info';
import * as listCommand from '../commands/list';
import * as rpcCommand from '../commands/rpc';
import * as simCommand from '../commands/sim';
import { writeStdout } from '../output/stdout';

declare const __ACCELCTL_VERSION__: string | undefined;
export const VERSION = typeof __ACCELCTL_VERSION__ === 'string' ? __ACCELCTL_VERSION__ : '0.0.0-dev';

/** Global options that take a value: needed to find the command word before parsing. */
const VALUE_OPTIONS = new Set(['-o', '--output', '--timeout', '--sim-dir', '--root']);

/** The first operand of argv (the command word), skipping global options and their values. */
export function commandWord(args: readonly string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') return args[i + 1];
    if (VALUE_OPTIONS.has(arg)) {
      i++;
      continue;
    }
    if (!arg.startsWith('-')) return arg;
  }
  return undefined;
}

const EXIT_CODES_HELP = `
Version:
  -V, --version  print the accelctl version (before any command)

Exit codes:
  0  ok
  1  the operation failed (device or firmware error)
  2  usage error
  3  device not found
  4  refused by policy (needs --yes, --allow-mutate, or privilege)
  5  timed out
  6  accelctl health: a health reporter is in error

Classes: inspect RPCs run freely; configure RPCs need --yes (or a yes at the
prompt); mutate-debug RPCs need --allow-mutate and taint the kernel.`;

function applySettings(command: Command): void {
  command.exitOverride();
  // Help and version text go where every other output goes (src/output/stdout.ts).
  command.configureOutput({ outputError: () => undefined, writeOut: writeStdout });
  command.showSuggestionAfterError(true);
  for (const sub of command.commands) applySettings(sub);
}

export async function buildProgram(args: readonly string[]): Promise<Command> {
  const program = new Command('accelctl')
    .description('One userspace for Linux fwctl devices: list, inspect, configure and debug NICs, DPUs, CXL memory and accelerators')
    .addOption(new Option('-o, --output <format>', 'output format (prometheus: metrics only)').choices(['text', 'json', 'prometheus']).default('text'))
    .option('--json', 'same as -o json')
    .option('-v, --verbose', 'show class, scope and request/reply bytes of every RPC (on stderr)')
    .option('--dry-run', 'send nothing that changes a device: stop at the first configure or mutate-debug RPC and show its class, scope and bytes')
    .option('-y, --yes', 'confirm configure RPCs without asking')
    .option('--allow-mutate', 'allow mutate-debug RPCs (they taint the kernel)')
    .option('--timeout <ms>', 'give up on an RPC after this many milliseconds (commands that only inspect then send that device nothing more)', '10000')
    .option('--no-color', 'no colour (also: NO_COLOR)')
    .option('--debug', 'show stack traces of internal errors')
    .option('--sim', 'use simulated devices (default fleet in $XDG_STATE_HOME/accelctl/sim)')
    .option('--sim-dir <dir>', 'use the simulated fleet in DIR (implies --sim; env ACCELCTL_SIM_DIR)')
    .option('--root <dir>', 'prefix for /sys, /dev and /proc of real devices (env ACCELCTL_ROOT)')
    .addHelpText('after', EXIT_CODES_HELP);

  listCommand.register(program);
  infoCommand.register(program);
  rpcCommand.register(program);
  configCommand.register(program);
  resetCommand.register(program);
  fwCommand.register(program);
  healthCommand.register(program);
  metricsCommand.register(program);
  dumpCommand.register(program);
  commandsCommand.register(program);
  pluginCommand.register(program);
  schemaCommand.register(program);
  completionCommand.register(program);
  helpCommand.register(program);
  simCommand.register(program);

  // Plugin command groups load only when named (or for help); a plugin cannot shadow a built-in.
  const BUILTIN_COMMANDS = new Set(program.commands.map((c) => c.name()));
  const word = commandWord(args);
  if (word !== undefined && !BUILTIN_COMMANDS.has(word) && pluginNames().includes(word)) {
    program.addCommand(pluginGroup(await loadPlugin(word)));
  } else if (word === undefined || word === 'help') {
    const wantsHelp = args.includes('--help') || args.includes('-h') || word === 'help' || args.length === 0;
    if (wantsHelp) for (const plugin of await loadAllPlugins()) if (!BUILTIN_COMMANDS.has(plugin.meta.name)) program.addCommand(pluginGroup(plugin));
  }
  applySettings(program);
  return program;
}
