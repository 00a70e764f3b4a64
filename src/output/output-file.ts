/**
 * A file the operator named with --out (`dump --out`, `sim fw-image --out`).
 *
 * A regular file (or a new one) is written beside itself and renamed into place
 * when complete, so a reader never sees half a document and an interrupted run
 * leaves the old file. But a rename replaces whatever the name points at: given
 * `--out /dev/stdout`, `/dev/null` or a FIFO — and accelctl runs as root — it
 * would have replaced the device node itself with a regular file. Those are
 * written in place, as `>` would. A symlink to a regular file stays a symlink:
 * the rename goes to its target. A directory is refused.
 */
import { closeSync, fstatSync, fsyncSync, openSync, realpathSync, renameSync, rmSync, statSync, writeSync, type Stats } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { AccelError } from '../core/errors';
import { writeStdout } from './stdout';

export class OutputFile {
  private closed = false;

  private constructor(
    /** The name the operator gave. */
    readonly path: string,
    private readonly fd: number,
    /** Set when writing beside the target, to rename onto it at commit. */
    private readonly rename: { tmp: string; target: string } | undefined,
    /** False for a descriptor this does not own (stdout). */
    private readonly owned = true,
  ) {}

  /** `mode` for a file this creates (a dump holds serial numbers: 0600). */
  static open(path: string, mode = 0o644): OutputFile {
    let stats;
    try {
      // stat(2) follows links, /proc's too (/dev/stdout on a pipe has no real path).
      stats = statSync(path);
    } catch {
      stats = undefined; // a new file
    }
    if (stats?.isDirectory()) throw new AccelError('ACCELCTL_E_USAGE', `--out: ${path} is a directory`, { hint: 'name a file in it' });
    if (stats && !stats.isFile()) {
      // Our own stdout or stderr (/dev/stdout): its descriptor, which also works for a
      // socket, where open(2) of the /proc link fails with ENXIO.
      const std = [1, 2].find((fd) => sameFile(fd, stats));
      if (std !== undefined) return new OutputFile(path, std, undefined, false);
      return new OutputFile(path, openOrFail(path, path, mode), undefined);
    }
    const target = stats ? realpathSync(path) : path;
    const tmp = join(dirname(target), `.${basename(target)}.${process.pid}.tmp`);
    return new OutputFile(path, openOrFail(tmp, path, mode), { tmp, target });
  }

  /**
   * Whether this is our own standard output (`--out /dev/stdout`): a caller that
   * streams to stdout anyway (dump) writes there as it does without --out, waiting
   * for a slow reader and ending quietly when the reader goes away.
   */
  get isStandardOutput(): boolean {
    return this.fd === 1 && !this.owned;
  }

  write(data: string | Uint8Array): void {
    // Our stdout as every other output there goes: a reader that leaves ends it quietly.
    if (this.isStandardOutput) return writeStdout(data);
    let bytes = typeof data === 'string' ? Buffer.from(data) : data;
    try {
      while (bytes.length > 0) bytes = bytes.subarray(writeSync(this.fd, bytes));
    } catch (error) {
      throw new AccelError('ACCELCTL_E_IO', `cannot write ${this.path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    }
  }

  /** Make the written contents the file's (fsync, then rename for a regular file). */
  commit(): void {
    try {
      if (this.rename) fsyncSync(this.fd);
      this.close();
      if (this.rename) renameSync(this.rename.tmp, this.rename.target);
    } catch (error) {
      this.abort();
      throw new AccelError('ACCELCTL_E_IO', `cannot write ${this.path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    }
  }

  /** Drop what was written: the file keeps its old contents (or stays absent). */
  abort(): void {
    this.close();
    if (this.rename) rmSync(this.rename.tmp, { force: true });
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.owned) closeSync(this.fd);
  }
}

function sameFile(fd: number, stats: Stats): boolean {
  try {
    const open = fstatSync(fd);
    return open.dev === stats.dev && open.ino === stats.ino;
  } catch {
    return false;
  }
}

function openOrFail(file: string, named: string, mode: number): number {
  try {
    return openSync(file, 'w', mode);
  } catch (error) {
    throw new AccelError('ACCELCTL_E_IO', `cannot write ${named}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
}
