/**
 * The command metadata (`accelctl commands -o json`) is derived from the
 * commander tree and the plugin definitions: it matches its own schema, covers
 * every command, and every built-in has a declared class.
 */
import { describe, expect, it } from 'vitest';
import { buildMetadata } from '../../src/commands/commands';
import { buildProgram } from '../../src/cli/program';
import { commandsOf, loadAllPlugins } from '../../src/core/plugins';
import { OUTPUT_SCHEMAS } from '../../src/output/schemas';

describe('command metadata', () => {
  it('matches the commands schema', async () => {
    const meta = await buildMetadata();
    expect(() => OUTPUT_SCHEMAS.commands.parse({ schema_version: 1, ...meta })).not.toThrow();
  });

  it('has every command of the program tree, and a known class for each', async () => {
    const meta = await buildMetadata();
    const program = await buildProgram(['--help']);
    const paths: string[] = [];
    const walk = (c: any, prefix: string[]) => {
      const path = [...prefix, c.name()];
      paths.push(path.join(' '));
      for (const sub of c.commands) walk(sub, path);
    };
    for (const c of program.commands) walk(c, []);
    expect(meta.commands.map((c) => c.command)).toEqual(paths);
    expect(meta.commands.filter((c) => c.class === 'unknown').map((c) => c.command), 'built-ins missing from BUILTIN_CLASSES in src/commands/commands.ts').toEqual([]);
  });

  it('plugin commands carry their definition: class, rpcs, options with choices and defaults', async () => {
    const meta = await buildMetadata();
    for (const plugin of await loadAllPlugins()) {
      for (const def of commandsOf(plugin)) {
        const c = meta.commands.find((m) => m.command === `${plugin.meta.name} ${def.name}`);
        expect(c, `${plugin.meta.name} ${def.name}`).toBeDefined();
        expect(c!.class).toBe(def.rpcClass);
        expect(c!.rpcs).toEqual([...def.rpcs]);
        expect(c!.summary).toBe(def.summary);
        expect(c!.arguments[0]).toMatchObject({ name: 'device', complete: 'device', required: true });
        expect(c!.options.map((o) => o.long)).toEqual(Object.keys(def.options ?? {}).map((n) => `--${n.replace(/[A-Z]/g, (x) => `-${x.toLowerCase()}`)}`));
      }
    }
    const level = meta.commands.find((c) => c.command === 'bnxt func-reset')!.options.find((o) => o.long === '--level')!;
    expect(level.choices).toEqual(['me', 'all', 'children', 'vf']);
    const output = meta.program.options.find((o) => o.long === '--output')!;
    expect(output).toMatchObject({ short: '-o', takes_value: 'required', value_name: 'format', choices: ['text', 'json', 'prometheus'], default: 'text' });
  });

  it('built-in capability commands take class and scopes from the plugins', async () => {
    const meta = await buildMetadata();
    const byName = new Map(meta.commands.map((c) => [c.command, c]));
    expect(byName.get('fw show')!.class).toBe('inspect');
    expect(byName.get('health')!.class).toBe('inspect');
    expect(byName.get('dump')!.scopes.every((s) => s === 'configuration' || s === 'debug_read_only')).toBe(true);
    expect(['configure', 'mutate-debug']).toContain(byName.get('config set')!.class);
    expect(byName.get('rpc')!.class).toBe('any');
    expect(byName.get('config')!.subcommands).toEqual(['show', 'set', 'reset']);
    expect(byName.get('completion')!.arguments[0]!.choices).toEqual(['bash', 'zsh', 'fish']);
  });
});
