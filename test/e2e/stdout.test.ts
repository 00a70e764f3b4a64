/**
 * Standard output written with write(2) (src/output/stdout.ts): a reader slower
 * than accelctl still gets every byte, a reader that leaves ends it quietly, and
 * a pipe, a file or /dev/null is never taken for a terminal.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isTerminal } from '../../src/output/stdout';
import { BIN, freshSimDir, tempDir } from '../helpers/cli';

/** `accelctl commands -o json`: ~130 KB, twice what a pipe holds. */
const BIG = ['commands', '-o', 'json'];

function start(args: readonly string[]) {
  const child = spawn(process.execPath, [BIN, '--sim-dir', freshSimDir(), ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d));
  const closed = once(child, 'close').then(([code]) => ({ code: code as number, stderr }));
  return { child, closed };
}

describe('standard output', () => {
  it('a reader that pauses past a full pipe still gets the whole document', async () => {
    const { child, closed } = start(BIG);
    child.stdout.pause();
    const chunks: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => chunks.push(d));
    await new Promise((resolve) => setTimeout(resolve, 500));
    child.stdout.resume();
    const { code, stderr } = await closed;
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const text = Buffer.concat(chunks).toString();
    expect(text.length).toBeGreaterThan(65_536);
    expect(JSON.parse(text).schema_version).toBe(1);
  });

  it('a reader that leaves early (`| head -c 1`) ends it with exit 0 and nothing on stderr', async () => {
    const { child, closed } = start(BIG);
    child.stdout.once('data', () => child.stdout.destroy());
    const { code, stderr } = await closed;
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });

  it('output to a file is the same document', async () => {
    const file = join(tempDir(), 'out.json');
    const fd = openSync(file, 'w');
    const child = spawn(process.execPath, [BIN, '--sim-dir', freshSimDir(), ...BIG], { stdio: ['ignore', fd, 'inherit'] });
    const [code] = (await once(child, 'close')) as [number];
    closeSync(fd);
    expect(code).toBe(0);
    expect(JSON.parse(readFileSync(file, 'utf8')).schema_version).toBe(1);
  });

  it('a file and /dev/null are not terminals', () => {
    const file = openSync(join(tempDir(), 'f'), 'w');
    const devNull = openSync('/dev/null', 'r');
    try {
      expect(isTerminal(file)).toBe(false);
      expect(isTerminal(devNull)).toBe(false);
      expect(isTerminal(9999)).toBe(false);
    } finally {
      closeSync(file);
      closeSync(devNull);
    }
  });
});
