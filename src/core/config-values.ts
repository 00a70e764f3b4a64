/**
 * Configuration values as operators type them (`sriov_en=true`, `num_of_vfs=8`,
 * `link_type=eth`), validated against the parameter's type with zod before
 * anything is sent. A bad value is a usage error naming the parameter and what
 * it accepts.
 */
import type { z as Zod } from 'zod';
import type { ConfigParamDef, ParamType, ParamValue } from '../sdk/capabilities';
import { AccelError } from './errors';

export function describeType(type: ParamType): string {
  switch (type.kind) {
    case 'bool':
      return 'bool';
    case 'int':
      return `int ${type.min}..${type.max}${type.unit ? ` ${type.unit}` : ''}`;
    case 'enum':
      return `enum ${type.values.join('|')}`;
    case 'string':
      return `string (≤ ${type.maxLength})`;
  }
}

/** zod, loaded by the first parse: only `config set` parses values, and start-up should not pay for it. */
let z: typeof Zod | undefined;

function schemaFor(type: ParamType): Zod.ZodType<ParamValue> {
  if (!z) throw new AccelError('ACCELCTL_E_INTERNAL', 'config values parsed before zod was loaded');
  switch (type.kind) {
    case 'bool':
      return z.stringbool({ truthy: ['true', '1', 'yes', 'on', 'enabled', 'enable'], falsy: ['false', '0', 'no', 'off', 'disabled', 'disable'], case: 'insensitive' });
    case 'int':
      return z
        .string()
        .regex(/^(0x[0-9a-f]+|-?\d+)$/i, 'not a whole number')
        .transform((text) => (/^0x/i.test(text) ? Number.parseInt(text, 16) : Number(text)))
        .pipe(z.number().int().min(type.min).max(type.max));
    case 'enum': {
      const values = type.values;
      return z
        .string()
        .transform((text) => values.find((v) => v.toLowerCase() === text.toLowerCase()) ?? text)
        .pipe(z.enum(values as [string, ...string[]]));
    }
    case 'string':
      return z.string().max(type.maxLength);
  }
}

function parseParamValue(def: ConfigParamDef, text: string): ParamValue {
  const result = schemaFor(def.type).safeParse(text.trim());
  if (!result.success) {
    throw new AccelError('ACCELCTL_E_USAGE', `${def.name}=${text}: ${result.error.issues[0]?.message ?? 'invalid value'}`, {
      hint: `${def.name} takes ${describeType(def.type)}`,
    });
  }
  return result.data;
}

/** Split `NAME=VALUE` assignments; names are matched case-insensitively. */
export async function parseAssignments(words: readonly string[], defs: readonly ConfigParamDef[]): Promise<{ def: ConfigParamDef; value: ParamValue }[]> {
  z ??= (await import('zod')).z;
  if (words.length === 0) throw new AccelError('ACCELCTL_E_USAGE', 'nothing to set', { hint: 'give PARAM=VALUE, e.g. accelctl config set fwctl0 sriov_en=true' });
  const seen = new Set<string>();
  return words.map((word) => {
    const at = word.indexOf('=');
    if (at <= 0) throw new AccelError('ACCELCTL_E_USAGE', `'${word}' is not PARAM=VALUE`);
    const def = findParam(defs, word.slice(0, at));
    if (def.readOnly) throw new AccelError('ACCELCTL_E_USAGE', `${def.name} is read-only`);
    if (seen.has(def.name)) throw new AccelError('ACCELCTL_E_USAGE', `${def.name} is given twice`);
    seen.add(def.name);
    return { def, value: parseParamValue(def, word.slice(at + 1)) };
  });
}

export function findParam(defs: readonly ConfigParamDef[], name: string): ConfigParamDef {
  const def = defs.find((d) => d.name.toLowerCase() === name.trim().toLowerCase());
  if (!def) {
    throw new AccelError('ACCELCTL_E_USAGE', `no parameter named '${name}'`, { hint: `parameters: ${defs.map((d) => d.name).join(', ')}` });
  }
  return def;
}

export function formatValue(value: ParamValue): string {
  return typeof value === 'boolean' ? (value ? 'true' : 'false') : String(value);
}
