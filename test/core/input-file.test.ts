import { mkdirSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readInputFile } from '../../src/core/input-file';
import { run, tempDir } from '../helpers/cli';
import { thrown as refusal } from '../helpers/errors';


describe('readInputFile', () => {
  it('reads a file of up to the limit byte for byte, across read chunks', () => {
    const path = join(tempDir(), 'image.bin');
    const bytes = Uint8Array.from({ length: 3 * 1024 * 1024 + 5 }, (_, i) => (i * 31) & 0xff);
    writeFileSync(path, bytes);
    expect(Buffer.from(readInputFile(path, bytes.length, 'image')).equals(Buffer.from(bytes))).toBe(true);
  });

  it('one byte over the limit, or an endless device, is refused after reading just past the limit', () => {
    const path = join(tempDir(), 'big.bin');
    writeFileSync(path, new Uint8Array(101));
    expect(refusal(() => readInputFile(path, 100, 'image'))).toMatchObject({ code: 'ACCELCTL_E_BAD_INPUT', message: `image: ${path} holds more than 100 bytes` });
    expect(refusal(() => readInputFile('/dev/zero', 4096, '--in')).message).toBe('--in: /dev/zero holds more than 4096 bytes');
  });

  it('a missing file or a directory is a typed error naming why', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'sub'));
    expect(refusal(() => readInputFile(join(dir, 'none'), 10, 'image')).message).toBe(`image: cannot read ${join(dir, 'none')}: no such file`);
    expect(refusal(() => readInputFile(join(dir, 'sub'), 10, 'image')).message).toBe(`image: cannot read ${join(dir, 'sub')}: it is a directory`);
  });
});

describe('files named on the command line', () => {
  it('rpc --in @/dev/zero and fw flash of a 256 MiB+ file end with a message, not a read that never ends', async () => {
    const simDir = join(tempDir(), 'fleet');
    await run(['sim', 'init', simDir, '--fleet', 'mlx5=1']);
    const request = await run(['rpc', 'fwctl0', '--in', '@/dev/zero'], { simDir });
    expect([request.code, request.stderr]).toEqual([2, 'accelctl: --in: /dev/zero holds more than 2097152 bytes\n']);
    // A (sparse) regular file over the limit is refused by its size, unread.
    const huge = join(tempDir(), 'huge.bin');
    writeFileSync(huge, '');
    truncateSync(huge, 256 * 1024 * 1024 + 1);
    const flash = await run(['fw', 'flash', 'fwctl0', huge, '--yes'], { simDir });
    expect([flash.code, flash.stderr]).toEqual([2, `accelctl: image: ${huge} holds more than 268435456 bytes\n`]);
  }, 90_000);
});
