/**
 * Standard output, for everything accelctl prints there.
 *
 * A command's output is written with write(2) on descriptor 1 while that works:
 * starting process.stdout makes Node load its stream, net and tty modules (~23e6
 * instructions, ~7 ms, when stdout is a pipe) — most of what `accelctl --version`
 * cost over `node -e 0`, and a tenth of `list`. process.stdout takes over, for
 * good, when it must: the descriptor is non-blocking and full (EAGAIN), a caller
 * needs the stream itself (dump's output, which waits for a slow reader instead of
 * blocking its devices' RPCs), or the platform is Windows, whose console wants the
 * stream. From then on every write goes through it, so output never changes order.
 */
import { fstatSync, statSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { EXIT } from '../core/errors';
import { inCriticalSection } from '../core/critical';

let stream: NodeJS.WriteStream | undefined;
/** The reader went away while a device was being changed: the rest of the output is dropped. */
let readerGone = false;

/**
 * A reader that went away (`accelctl dump | head`) has what it wanted: stop
 * quietly — unless a device is being changed (core/critical.ts), which finishes,
 * and whose exit code is the process's.
 */
function stop(error: NodeJS.ErrnoException): void {
  if (error.code === 'EPIPE') {
    if (inCriticalSection()) {
      readerGone = true;
      return;
    }
    process.exit(EXIT.ok);
  }
  process.stderr.write(`accelctl: cannot write the output: ${error.message}\n`);
  process.exit(EXIT.failed);
}

/** process.stdout, from now on the only way to standard output. */
export function stdoutStream(): NodeJS.WriteStream {
  if (!stream) {
    stream = process.stdout;
    if (stream.listenerCount('error') === 0) stream.on('error', stop);
  }
  return stream;
}

export function writeStdout(data: string | Uint8Array): void {
  if (readerGone) return;
  if (stream || process.platform === 'win32') {
    stdoutStream().write(data);
    return;
  }
  let bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  try {
    while (bytes.length > 0) bytes = bytes.subarray(writeSync(1, bytes));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // Non-blocking and full: the stream waits for the reader.
    if (code === 'EAGAIN') stdoutStream().write(bytes);
    else stop(error as NodeJS.ErrnoException);
  }
}

/** The device number of /dev/null, a character device no terminal shares (looked up once). */
let devNull: number | null | undefined;
function isDevNull(rdev: number): boolean {
  if (devNull === undefined) {
    try {
      devNull = statSync('/dev/null').rdev;
    } catch {
      devNull = null;
    }
  }
  return rdev === devNull;
}

/**
 * Whether descriptor `fd` (0, 1, 2) is a terminal, without starting its stream.
 * Only a character device can be one, and /dev/null (stdin of CI jobs, cron,
 * `< /dev/null`) is not, so pipes, files and /dev/null are answered by fstat(2):
 * node:tty, which knows for sure, loads Node's net and stream modules (~9e6
 * instructions) with it.
 */
export function isTerminal(fd: number): boolean {
  if (process.platform !== 'win32') {
    try {
      const stats = fstatSync(fd);
      if (!stats.isCharacterDevice() || isDevNull(stats.rdev)) return false;
    } catch {
      return false;
    }
  }
  return (createRequire(import.meta.url)('node:tty') as typeof import('node:tty')).isatty(fd);
}

/** Whether standard output is a terminal (colour, live redraws, man pages). */
export function stdoutIsTerminal(): boolean {
  return stream ? Boolean(stream.isTTY) : isTerminal(1);
}
