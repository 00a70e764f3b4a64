/**
 * zod option schemas → commander options (flags, value names, choices, defaults).
 * Parsing and validation of the values live in src/core/options.ts.
 */
import { Option } from 'commander';
import type { OptionSpec } from '../sdk/plugin';
import { describeSchema, kebab } from '../core/options';

export { describeSchema, kebab, parseOptionValues } from '../core/options';

export function toCommanderOption(name: string, spec: OptionSpec): Option {
  const shape = describeSchema(spec.schema);
  const long = `--${kebab(name)}`;
  const short = spec.short ? `-${spec.short}, ` : '';
  const value = spec.valueName ?? (shape.kind === 'number' || shape.element === 'number' ? 'N' : 'VALUE');
  const flags =
    shape.kind === 'boolean' ? `${short}${long}` : shape.kind === 'array' ? `${short}${long} <${value}...>` : `${short}${long} <${value}>`;
  const option = new Option(flags, spec.description);
  if (shape.choices) option.choices(shape.choices);
  if (shape.hasDefault && shape.defaultValue !== undefined && shape.kind !== 'boolean') option.default(shape.defaultValue);
  return option;
}

