/**
 * Command options are zod schemas: the schema is the single source of an
 * option's type, default, allowed values and validation (zod-first). This module
 * reads a schema's shape and validates raw values (from commander, or from a
 * dump invocation) against it; src/cli/zod-options.ts turns shapes into flags.
 */
import type { z } from 'zod';
import type { OptionSpec } from '../sdk/plugin';
import { AccelError } from './errors';

export type BaseKind = 'boolean' | 'number' | 'string' | 'enum' | 'array';

interface Shape {
  kind: BaseKind;
  /** For enums. */
  choices?: readonly string[];
  /** For arrays: the element kind. */
  element?: BaseKind;
  hasDefault: boolean;
  defaultValue?: unknown;
  optional: boolean;
}

type AnyDef = { type: string; innerType?: z.ZodType; defaultValue?: unknown; entries?: Record<string, string>; element?: z.ZodType };

function def(schema: z.ZodType): AnyDef {
  return (schema as unknown as { _zod: { def: AnyDef } })._zod.def;
}

export function describeSchema(schema: z.ZodType): Shape {
  let current = schema;
  let hasDefault = false;
  let defaultValue: unknown;
  let optional = false;
  for (;;) {
    const d = def(current);
    if (d.type === 'default' || d.type === 'prefault') {
      hasDefault = true;
      defaultValue = typeof d.defaultValue === 'function' ? undefined : d.defaultValue;
      current = d.innerType!;
    } else if (d.type === 'optional' || d.type === 'nullable') {
      optional = true;
      current = d.innerType!;
    } else if (d.type === 'pipe' || d.type === 'transform') {
      current = (d as unknown as { in: z.ZodType }).in ?? current;
      if (def(current).type === d.type) break;
    } else {
      break;
    }
  }
  const d = def(current);
  const base = (t: string): BaseKind => (t === 'boolean' ? 'boolean' : t === 'number' || t === 'int' || t === 'bigint' ? 'number' : t === 'enum' ? 'enum' : t === 'array' ? 'array' : 'string');
  const kind = base(d.type);
  const shape: Shape = { kind, hasDefault, optional };
  if (hasDefault) shape.defaultValue = defaultValue;
  if (kind === 'enum' && d.entries) shape.choices = Object.values(d.entries);
  if (kind === 'array' && d.element) {
    const element = describeSchema(d.element);
    shape.element = element.kind;
    if (element.choices) shape.choices = element.choices;
  }
  return shape;
}

export function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

function coerce(kind: BaseKind | undefined, raw: unknown): unknown {
  if (kind !== 'number' || typeof raw !== 'string') return raw;
  const text = raw.trim();
  const value = /^0x[0-9a-f]+$/i.test(text) ? Number.parseInt(text, 16) : /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : Number.NaN;
  return Number.isNaN(value) ? raw : value;
}

/** Validate commander's raw values with the schemas; a bad value is a usage error naming its flag. */
export function parseOptionValues(specs: Record<string, OptionSpec>, raw: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(specs)) {
    const shape = describeSchema(spec.schema);
    let value = raw[name];
    if (shape.kind === 'array' && Array.isArray(value)) value = value.map((v) => coerce(shape.element, v));
    else value = coerce(shape.kind, value);
    if (shape.kind === 'boolean' && value === undefined && !shape.optional) value = shape.hasDefault ? undefined : false;
    const result = spec.schema.safeParse(value);
    if (!result.success) {
      const issue = result.error.issues[0];
      throw new AccelError('ACCELCTL_E_USAGE', `--${kebab(name)}: ${issue?.message ?? 'invalid value'}${value === undefined ? '' : ` (got ${JSON.stringify(value)})`}`);
    }
    out[name] = result.data;
  }
  return out;
}
