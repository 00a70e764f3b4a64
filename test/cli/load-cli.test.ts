/**
 * The built CLI and its code cache (scripts/build.mjs, src/cli/load-cli.ts): the
 * cache the build made is one V8 accepts for this bundle; a cache of another build
 * is never used (V8 itself would accept any cache of a bundle of the same length);
 * without a usable cache the CLI still works, only slower.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cacheHeader, loadCli } from '../../src/cli/load-cli';
import { tempDir } from '../helpers/cli';

const root = fileURLToPath(new URL('../..', import.meta.url));
const dist = join(root, 'dist');
const hostImport = (specifier: string) => import(/* @vite-ignore */ specifier);

/** A copy of the package (bin/ and dist/, node_modules linked) to break on purpose. */
function packageCopy(): string {
  const dir = tempDir('accelctl-pkg-');
  for (const entry of ['bin', 'dist', 'package.json', 'plugins']) cpSync(join(root, entry), join(dir, entry), { recursive: true });
  cpSync(join(root, 'node_modules'), join(dir, 'node_modules'), { recursive: true, dereference: false, verbatimSymlinks: true });
  return dir;
}

function runCopy(dir: string, args: string[]) {
  const simDir = join(tempDir(), 'fleet');
  return spawnSync(process.execPath, [join(dir, 'bin/accelctl'), '--sim-dir', simDir, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
}

describe('the code cache of dist/cli.cjs', () => {
  it('is accepted by V8 for the bundle it was made for', () => {
    const loaded = loadCli(join(dist, 'cli.cjs'), hostImport);
    expect(loaded.cached).toBe(true);
    expect(typeof loaded.cli.main).toBe('function');
  });

  it('is accepted by a fresh Node process with default flags, as bin/accelctl runs it', () => {
    // (This test process may have other V8 flags than `node bin/accelctl` has; V8
    // takes a cache only under the flags it was made with.)
    const probe = `import(${JSON.stringify(join(dist, 'load-cli.js'))}).then(({ loadCli }) => process.stdout.write(String(loadCli(${JSON.stringify(join(dist, 'cli.cjs'))}, (s) => import(s)).cached)))`;
    const r = spawnSync(process.execPath, ['-e', probe], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('true');
  });

  it('of another build is not used, even when V8 would take it', () => {
    const dir = tempDir('accelctl-cache-');
    const source = readFileSync(join(dist, 'cli.cjs'), 'utf8');
    // The same bundle under another build name: same length, so only the header tells them apart.
    const renamed = source.replace(/^\/\* accelctl-build ([0-9a-f]{64}) \*\//, (_line, hash: string) => `/* accelctl-build ${[...hash].reverse().join('')} */`);
    expect(renamed).not.toBe(source);
    writeFileSync(join(dir, 'cli.cjs'), renamed);
    cpSync(join(dist, 'cli.cjs.cache'), join(dir, 'cli.cjs.cache'));
    const loaded = loadCli(join(dir, 'cli.cjs'), hostImport);
    expect(loaded.cached).toBe(false);
    expect(typeof loaded.cli.main).toBe('function');
  });

  it('missing or damaged, leaves a CLI that works', () => {
    const dir = packageCopy();
    rmSync(join(dir, 'dist/cli.cjs.cache'));
    const missing = runCopy(dir, ['list']);
    expect(missing.stderr).toBe('');
    expect(missing.status).toBe(0);
    expect(missing.stdout).toMatch(/fwctl0\s+mlx5/);

    // This build's header, then bytes V8 refuses.
    writeFileSync(join(dir, 'dist/cli.cjs.cache'), `${cacheHeader(readFileSync(join(dir, 'dist/cli.cjs'), 'utf8'))}${'garbage'.repeat(100)}`);
    const damaged = runCopy(dir, ['list']);
    expect(damaged.stderr).toBe('');
    expect(damaged.status).toBe(0);
    expect(damaged.stdout).toBe(missing.stdout);
  });
});
