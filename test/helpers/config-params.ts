/**
 * What the config end-to-end tests know about a parameter row of
 * `accelctl config show -o json`: its type string ('bool', 'int MIN..MAX ...',
 * 'enum a|b|c', text) and how to pick a different valid value for it.
 */
export type Value = boolean | number | string | null;

export interface Param {
  name: string;
  type: string;
  default: Value;
  current: Value;
  next_boot: Value;
  read_only: boolean;
  pending: boolean;
  apply: 'immediate' | 'reset' | 'reboot';
  description: string;
}

export const intRange = (p: Param) => {
  const m = /^int (-?\d+)\.\.(-?\d+)/.exec(p.type);
  return m ? { min: Number(m[1]), max: Number(m[2]) } : undefined;
};
export const enumValues = (p: Param) => (/^enum (\S+)/.exec(p.type)?.[1] ?? '').split('|').filter(Boolean);
export const isBool = (p: Param) => p.type === 'bool';

/** A valid value different from the next-boot value (and from the default where possible). */
export function otherValue(p: Param): Value {
  if (isBool(p)) return !p.next_boot;
  const range = intRange(p);
  if (range) return [range.min, range.max, range.min + 1].find((v) => v !== p.next_boot && v !== p.default) ?? range.max;
  const values = enumValues(p);
  if (values.length) return values.find((v) => v !== p.next_boot && v !== p.default) ?? values.find((v) => v !== p.next_boot)!;
  return `t${Date.now() % 100000}`;
}

/** The `NAME=VALUE` argument of `config set`. */
export const assign = (p: Param, v: Value) => `${p.name}=${String(v)}`;

/** Parameters a test can change: writable, with more than one value to choose from. */
export const writable = (params: Param[]) => params.filter((p) => !p.read_only && (isBool(p) || intRange(p) || enumValues(p).length > 1));
