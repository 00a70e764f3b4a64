import { execFileSync } from 'node:child_process';
import { closeSync, constants, lstatSync, mkdirSync, openSync, readFileSync, readSync, readdirSync, readlinkSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AccelError } from '../../src/core/errors';
import { OutputFile } from '../../src/output/output-file';
import { tempDir } from '../helpers/cli';

const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (error) {
    return error instanceof AccelError ? error.code : String(error);
  }
  return undefined;
};

describe('OutputFile (--out)', () => {
  it('a new file appears only when committed, with the mode asked for, and nothing else is left beside it', () => {
    const dir = tempDir();
    const path = join(dir, 'dump.json');
    const file = OutputFile.open(path, 0o600);
    file.write('{"a":');
    expect(readdirSync(dir).includes('dump.json')).toBe(false);
    file.write(Buffer.from('1}\n'));
    file.commit();
    expect(readFileSync(path, 'utf8')).toBe('{"a":1}\n');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['dump.json']);
  });

  it('an aborted write leaves the old contents and no temporary file', () => {
    const dir = tempDir();
    const path = join(dir, 'old.json');
    writeFileSync(path, 'old');
    const file = OutputFile.open(path);
    file.write('new, half written');
    file.abort();
    expect(readFileSync(path, 'utf8')).toBe('old');
    expect(readdirSync(dir)).toEqual(['old.json']);
  });

  it('through a symlink, the target is replaced and the link stays a link', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'real'));
    writeFileSync(join(dir, 'real/image.bin'), 'old');
    symlinkSync('real/image.bin', join(dir, 'link.bin'));
    const file = OutputFile.open(join(dir, 'link.bin'));
    file.write('new');
    file.commit();
    expect(lstatSync(join(dir, 'link.bin')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(dir, 'link.bin'))).toBe('real/image.bin');
    expect(readFileSync(join(dir, 'real/image.bin'), 'utf8')).toBe('new');
  });

  it('a FIFO (like /dev/stdout or a device node) is written in place, never replaced by a regular file', () => {
    const fifo = join(tempDir(), 'pipe');
    execFileSync('mkfifo', [fifo]);
    // A reader first, so that opening for writing does not wait for one.
    const reader = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      const file = OutputFile.open(fifo);
      file.write('through the pipe');
      file.commit();
      const buffer = Buffer.alloc(64);
      expect(buffer.subarray(0, readSync(reader, buffer)).toString()).toBe('through the pipe');
    } finally {
      closeSync(reader);
    }
    expect(lstatSync(fifo).isFIFO()).toBe(true);
  });

  it('a directory is a usage error; an unwritable place an I/O error', () => {
    const dir = tempDir();
    expect(codeOf(() => OutputFile.open(dir))).toBe('ACCELCTL_E_USAGE');
    expect(codeOf(() => OutputFile.open(join(dir, 'no/such/dir/file')))).toBe('ACCELCTL_E_IO');
  });
});
