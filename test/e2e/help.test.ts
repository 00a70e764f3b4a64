/**
 * `accelctl help CMD`: the man page on a terminal with man installed, the
 * command's --help otherwise (stdout not a TTY, or no man).
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, run, tempDir } from '../helpers/cli';

const hasScript = spawnSync('sh', ['-c', 'command -v script'], { stdio: 'ignore' }).status === 0;

describe('accelctl help', () => {
  it('prints the command help when stdout is not a terminal', async () => {
    const list = await run(['help', 'list']);
    expect(list.code).toBe(0);
    expect(list.stdout).toContain('Usage: accelctl list');
    const sub = await run(['help', 'config', 'show']);
    expect(sub.stdout).toContain('Usage: accelctl config show');
    const plugin = await run(['help', 'mlx5', 'caps']);
    expect(plugin.stdout).toContain('Usage: accelctl mlx5 caps');
    const top = await run(['help']);
    expect(top.stdout).toContain('Usage: accelctl');
    expect(top.stdout).toContain('completion');
  });

  it('an unknown command is a usage error', async () => {
    const result = await run(['help', 'frobnicate']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("no command 'frobnicate'");
  });

  it.runIf(hasScript)('on a terminal, opens accelctl-CMD(8) with man', () => {
    // A fake man on PATH records how it was called (script(1) gives accelctl a TTY).
    const dir = tempDir('accelctl-man-');
    const log = join(dir, 'log');
    writeFileSync(join(dir, 'man'), `#!/bin/sh\necho "$@" >> ${log}\n[ "$1" = -w ] && exit 16\nexit 0\n`, { mode: 0o755 });
    const node = process.execPath;
    const result = spawnSync('script', ['-qec', `"${node}" "${BIN}" help list`, '/dev/null'], {
      encoding: 'utf8',
      env: { ...process.env, PATH: `${dir}:${process.env.PATH}` },
      timeout: 20_000,
    });
    expect(result.status).toBe(0);
    const calls = spawnSync('cat', [log], { encoding: 'utf8' }).stdout.trim().split('\n');
    expect(calls[0]).toBe('-w accelctl-list');
    // Not installed system-wide: the package's own page.
    expect(calls[1]).toMatch(/^-l .*\/man\/accelctl-list\.8$/);
  });
});
