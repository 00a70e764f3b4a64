/**
 * src/cli/zod-options.ts (kept under test/core/: this helper's test files are
 * limited to test/{sdk,core,transport}). zod schema → commander option → value.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { describeSchema, kebab, parseOptionValues, toCommanderOption } from '../../src/cli/zod-options';
import type { OptionSpec } from '../../src/sdk/plugin';
import { thrown } from '../helpers/errors';


describe('describeSchema', () => {
  it('z.boolean().default(false)', () => {
    expect(describeSchema(z.boolean().default(false))).toEqual({ kind: 'boolean', hasDefault: true, defaultValue: false, optional: false });
  });
  it('z.number().int().optional()', () => {
    expect(describeSchema(z.number().int().optional())).toEqual({ kind: 'number', hasDefault: false, optional: true });
  });
  it("z.enum(['a','b']).default('a')", () => {
    expect(describeSchema(z.enum(['a', 'b']).default('a'))).toEqual({
      kind: 'enum',
      choices: ['a', 'b'],
      hasDefault: true,
      defaultValue: 'a',
      optional: false,
    });
  });
  it('z.array(z.number())', () => {
    expect(describeSchema(z.array(z.number()))).toEqual({ kind: 'array', element: 'number', hasDefault: false, optional: false });
  });
  it('z.array(z.enum(...)) carries the element choices', () => {
    expect(describeSchema(z.array(z.enum(['x', 'y'])))).toMatchObject({ kind: 'array', element: 'enum', choices: ['x', 'y'] });
  });
  it('z.string() and z.int()', () => {
    expect(describeSchema(z.string()).kind).toBe('string');
    expect(describeSchema(z.int()).kind).toBe('number');
  });
});

describe('toCommanderOption', () => {
  const spec = (schema: z.ZodType, extra: Partial<OptionSpec> = {}): OptionSpec => ({ schema, description: 'd', ...extra });

  it('boolean → a bare flag', () => {
    const option = toCommanderOption('max', spec(z.boolean().default(false)));
    expect(option.flags).toBe('--max');
    expect(option.long).toBe('--max');
    expect(option.isBoolean()).toBe(true);
    expect(option.defaultValue).toBeUndefined();
  });
  it('number → --port <N>', () => {
    const option = toCommanderOption('port', spec(z.number().int().optional()));
    expect(option.flags).toBe('--port <N>');
    expect(option.required).toBe(true); // value required when the flag is given
    expect(option.variadic).toBe(false);
  });
  it('array of numbers → --counter <N...>', () => {
    const option = toCommanderOption('counter', spec(z.array(z.number())));
    expect(option.flags).toBe('--counter <N...>');
    expect(option.variadic).toBe(true);
  });
  it('enum → choices and default', () => {
    const option = toCommanderOption('mode', spec(z.enum(['a', 'b']).default('a')));
    expect(option.flags).toBe('--mode <VALUE>');
    expect(option.argChoices).toEqual(['a', 'b']);
    expect(option.defaultValue).toBe('a');
  });
  it('short alias, valueName and camelCase → kebab-case', () => {
    const option = toCommanderOption('maxCount', spec(z.number(), { short: 'c', valueName: 'COUNT' }));
    expect(option.flags).toBe('-c, --max-count <COUNT>');
    expect(option.short).toBe('-c');
    expect(option.attributeName()).toBe('maxCount');
  });
  it('kebab', () => {
    expect(kebab('outDeviceType')).toBe('out-device-type');
    expect(kebab('port')).toBe('port');
  });
});

describe('parseOptionValues', () => {
  const specs: Record<string, OptionSpec> = {
    port: { schema: z.number().int().optional(), description: 'port' },
    max: { schema: z.boolean().default(false), description: 'max' },
    mode: { schema: z.enum(['a', 'b']).default('a'), description: 'mode' },
    counter: { schema: z.array(z.number()).optional(), description: 'counters' },
    maxCount: { schema: z.number().int().min(1).optional(), description: 'n' },
  };

  it.each([
    ['0x10', 16],
    ['0X1f', 31],
    ['16', 16],
    [' 16 ', 16],
    ['0', 0],
  ])('coerces %j to %d', (raw, value) => {
    expect(parseOptionValues(specs, { port: raw }).port).toBe(value);
  });

  it('coerces every element of an array option', () => {
    expect(parseOptionValues(specs, { counter: ['1', '0x10', '3'] }).counter).toEqual([1, 16, 3]);
  });

  it('fills defaults and leaves optional values undefined', () => {
    expect(parseOptionValues(specs, {})).toEqual({ port: undefined, max: false, mode: 'a', counter: undefined, maxCount: undefined });
    expect(parseOptionValues(specs, { max: true, mode: 'b' })).toMatchObject({ max: true, mode: 'b' });
  });

  it.each([['abc'], ['0x'], ['1.5'], ['0x1g'], ['1e3'], ['']])('rejects --port %j with ACCELCTL_E_USAGE naming --port', (raw) => {
    const error = thrown(() => parseOptionValues(specs, { port: raw }));
    expect(error.code).toBe('ACCELCTL_E_USAGE');
    expect(error.exitCode).toBe(2);
    expect(error.message).toMatch(/^--port: /);
  });

  it('rejects a bad enum value naming --mode', () => {
    const error = thrown(() => parseOptionValues(specs, { mode: 'c' }));
    expect(error.code).toBe('ACCELCTL_E_USAGE');
    expect(error.message).toMatch(/^--mode: /);
  });

  it('rejects a bad array element naming --counter', () => {
    const error = thrown(() => parseOptionValues(specs, { counter: ['1', 'x'] }));
    expect(error.code).toBe('ACCELCTL_E_USAGE');
    expect(error.message).toMatch(/^--counter: /);
  });

  it('names camelCase options by their kebab-case flag and shows the value', () => {
    const error = thrown(() => parseOptionValues(specs, { maxCount: '0' }));
    expect(error.message).toMatch(/^--max-count: /);
    expect(error.message).toContain('(got 0)');
  });
});
