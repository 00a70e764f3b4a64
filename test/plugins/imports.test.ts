/**
 * Built-in plugins are written exactly as out-of-tree ones: they import the SDK
 * and their own files, nothing else (no src/, no commander/chalk, no transport).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const pluginsRoot = fileURLToPath(new URL('../../plugins/', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : name.endsWith('.ts') ? [path] : [];
  });
}

const SPECIFIER = /(?:import|export)[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

describe('plugin imports', () => {
  const plugins = readdirSync(pluginsRoot).filter((name) => statSync(join(pluginsRoot, name)).isDirectory());

  it('finds the built-in plugins', () => {
    expect(plugins).toEqual(expect.arrayContaining(['mlx5', 'pds', 'bnxt']));
  });

  for (const plugin of plugins) {
    it(`${plugin} imports only accelctl/sdk and its own files`, () => {
      const offending: string[] = [];
      for (const file of sources(join(pluginsRoot, plugin))) {
        for (const match of readFileSync(file, 'utf8').matchAll(SPECIFIER)) {
          const spec = (match[1] ?? match[2])!;
          if (spec === 'accelctl/sdk') continue;
          const inside = spec.startsWith('.') && !relative(join(pluginsRoot, plugin), resolve(dirname(file), spec)).startsWith('..');
          if (!inside) offending.push(`${relative(pluginsRoot, file)}: ${spec}`);
        }
      }
      expect(offending).toEqual([]);
    });
  }
});
