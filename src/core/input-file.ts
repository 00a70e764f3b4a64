/**
 * Read a file the operator named (`fw flash DEV IMAGE`, `rpc --in @FILE`) with a
 * limit: it may be a pipe (`<(curl …)`) or a device node, so its size is known
 * only by reading, and /dev/zero would otherwise be read until memory ran out.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { AccelError } from './errors';

const CHUNK = 1024 * 1024;

/** The file's bytes; ACCELCTL_E_BAD_INPUT when it cannot be read or holds more than `maxBytes`. */
export function readInputFile(path: string, maxBytes: number, what: string): Uint8Array {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    throw new AccelError('ACCELCTL_E_BAD_INPUT', `${what}: cannot read ${path}: ${describe(error)}`);
  }
  try {
    // A regular file says its size: one too big is refused without reading it.
    const stats = fstatSync(fd);
    if (stats.isFile() && stats.size > maxBytes) throw new AccelError('ACCELCTL_E_BAD_INPUT', `${what}: ${path} holds more than ${maxBytes} bytes`);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(CHUNK, maxBytes + 1 - total));
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      chunks.push(chunk.subarray(0, n));
      total += n;
      if (total > maxBytes) throw new AccelError('ACCELCTL_E_BAD_INPUT', `${what}: ${path} holds more than ${maxBytes} bytes`);
    }
    return new Uint8Array(Buffer.concat(chunks, total));
  } catch (error) {
    if (error instanceof AccelError) throw error;
    throw new AccelError('ACCELCTL_E_BAD_INPUT', `${what}: cannot read ${path}: ${describe(error)}`);
  } finally {
    closeSync(fd);
  }
}

function describe(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : String(code ?? error);
}
