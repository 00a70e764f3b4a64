/**
 * Mounts a plugin's command definitions as `accelctl <plugin> <command> DEV ...`.
 * Options come from the zod schemas; results print as JSON or through the
 * command's views.
 */
import { Command } from 'commander';
import { AccelError } from '../core/errors';
import type { Plugin, PluginCommand } from '../sdk/plugin';
import type { View } from '../sdk/view';
import { fields, table } from '../sdk/view';
import { action } from './action';
import { parseOptionValues, toCommanderOption } from './zod-options';
import { commandsOf } from '../core/plugins';

export const DEVICE_ARG_HELP = 'device: fwctlN, /dev/fwctl/fwctlN, PCI address or serial';

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);
}

/** Views for a command that has no render(): scalars as fields, arrays of objects as tables. */
export function defaultViews(result: unknown): View[] {
  if (!isPlainObject(result)) return [fields(undefined, [['result', JSON.stringify(result)]])];
  const scalars: [string, string | number | boolean | null][] = [];
  const views: View[] = [];
  for (const [key, value] of Object.entries(result)) {
    if (Array.isArray(value) && value.every(isPlainObject)) {
      const columns = [...new Set(value.flatMap((row) => Object.keys(row)))];
      views.push(table(key, columns, value.map((row) => columns.map((c) => (isPlainObject(row[c]) || Array.isArray(row[c]) ? JSON.stringify(row[c]) : (row[c] as string))))));
    } else if (isPlainObject(value)) {
      views.push(fields(key, Object.entries(value).map(([k, v]) => [k, typeof v === 'object' && v !== null ? JSON.stringify(v) : (v as string)] as const)));
    } else {
      scalars.push([key, Array.isArray(value) ? value.join(', ') : (value as string)]);
    }
  }
  return [fields(undefined, scalars), ...views];
}

function buildCommand(plugin: Plugin, def: PluginCommand): Command {
  const command = new Command(def.name).summary(def.summary).description(def.description ?? def.summary);
  command.argument('<device>', DEVICE_ARG_HELP);
  for (const arg of def.args ?? []) {
    const name = `${arg.name}${arg.variadic ? '...' : ''}`;
    command.argument(arg.required === false ? `[${name}]` : `<${name}>`, arg.description);
  }
  for (const [name, spec] of Object.entries(def.options ?? {})) command.addOption(toCommanderOption(name, spec));
  const examples = def.examples ?? [];
  command.addHelpText('after', `\nClass: ${def.rpcClass}; RPCs: ${def.rpcs.join(', ') || '-'}${examples.length ? `\n\nExamples:\n${examples.map((e) => `  $ ${e}`).join('\n')}` : ''}`);
  command.action(
    action(async (runtime, positionals, rawOptions) => {
      const [selector, ...rest] = positionals as [string, ...unknown[]];
      const args = rest.flatMap((value) => (Array.isArray(value) ? value.map(String) : value === undefined ? [] : [String(value)]));
      const options = parseOptionValues(def.options ?? {}, rawOptions);
      const app = await runtime.app();
      const device = await app.openSelected(selector);
      if (device.plugin.meta.name !== plugin.meta.name) {
        throw new AccelError('ACCELCTL_E_USAGE', `${device.entry.name} is a ${device.plugin.meta.name} device, not ${plugin.meta.name}`, {
          hint: `try 'accelctl ${device.plugin.meta.name} --help'`,
        });
      }
      const result = await def.run(device.pipeline.commandContext(), { args, options });
      await runtime.output.result({ device: device.entry.name, ...(isPlainObject(result) ? result : { result }) }, () =>
        def.render ? def.render(result) : defaultViews(result),
      );
    }),
  );
  return command;
}

export function pluginGroup(plugin: Plugin): Command {
  const group = new Command(plugin.meta.name).summary(plugin.meta.description).description(`${plugin.meta.description} (plugin ${plugin.meta.name} ${plugin.meta.version})`);
  for (const def of commandsOf(plugin)) group.addCommand(buildCommand(plugin, def));
  return group;
}
