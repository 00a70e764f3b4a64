/**
 * The far end of fwctl-shim.c: the simulated kernel (src/sim/kernel.ts) serving
 * the fwctl ioctls of shimmed processes. Sockets live on a worker thread
 * (socket-worker.mjs); the kernel runs here and reaches the caller's memory by
 * address through RemoteMemory, which blocks this thread (Atomics.wait) while the
 * worker fetches or stores the bytes in the caller — copy_from_user/copy_to_user.
 */
import { existsSync, statSync } from 'node:fs';
import { constants } from 'node:os';
import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { SimKernel, type SimFile } from '../../src/sim/kernel';
import { UserMemory } from '../../src/sim/user-memory';
import { FwctlErrno } from '../../src/transport/types';
import { FWCTL_INFO, FWCTL_RPC } from '../../src/transport/uapi';

const DATA_CAPACITY = 4 * 1024 * 1024;
const WAIT_MS = 10_000;
/** Largest ioctl struct the host will copy in (the kernel bounds it similarly). */
const MAX_STRUCT = 4096;

const errnoNumber = (name: string): number => (constants.errno as Record<string, number>)[name] ?? constants.errno.EIO;

class RemoteMemory extends UserMemory {
  constructor(
    private readonly host: SimHost,
    private readonly conn: number,
  ) {
    super();
  }

  override map(): bigint {
    throw new Error('RemoteMemory: the caller owns the memory');
  }

  override read(address: bigint, length: number): Uint8Array {
    const out = new Uint8Array(length);
    for (let at = 0; at < length; at += DATA_CAPACITY) {
      const n = Math.min(DATA_CAPACITY, length - at);
      out.set(this.host.memoryOp({ kind: 'read', conn: this.conn, address: address + BigInt(at), length: n }, address, n), at);
    }
    return out;
  }

  override write(address: bigint, data: Uint8Array): void {
    if (data.length === 0) return;
    this.host.memoryOp({ kind: 'write', conn: this.conn, address, data: data.slice() }, address, data.length);
  }
}

export interface SimHostStats {
  opens: number;
  ioctls: number;
  /** ioctls being served right now, and the most ever at once (parallel callers). */
  inFlight: number;
  maxInFlight: number;
}

export class SimHost {
  readonly kernel: SimKernel;
  readonly stats: SimHostStats = { opens: 0, ioctls: 0, inFlight: 0, maxInFlight: 0 };
  private readonly worker: Worker;
  private readonly shared = new SharedArrayBuffer(16 + DATA_CAPACITY);
  private readonly header = new Int32Array(this.shared, 0, 4);
  private readonly files = new Map<number, SimFile>();
  private readonly devDir: string;
  readonly ready: Promise<void>;

  constructor(
    readonly root: string,
    readonly socketPath: string,
  ) {
    this.kernel = new SimKernel(root);
    this.devDir = `${resolve(root, 'dev/fwctl')}/`;
    this.worker = new Worker(new URL('./socket-worker.mjs', import.meta.url), { workerData: { socketPath, shared: this.shared } });
    this.ready = new Promise((ok, fail) => {
      this.worker.once('error', fail);
      this.worker.on('message', (message) => {
        if (message.kind === 'listening') ok();
        else void this.handle(message);
      });
    });
  }

  /** Run one memory operation in the caller; blocks this thread until it is done. */
  memoryOp(message: Record<string, unknown>, address: bigint, length: number): Uint8Array {
    Atomics.store(this.header, 0, 0);
    this.worker.postMessage(message);
    if (Atomics.wait(this.header, 0, 0, WAIT_MS) === 'timed-out') throw new FwctlErrno('EFAULT', 'the caller did not answer a memory request');
    const status = this.header[1]!;
    if (status !== 0) throw new FwctlErrno('EFAULT', `bad user address 0x${address.toString(16)} (+${length})`);
    return new Uint8Array(this.shared, 16, this.header[2]!).slice();
  }

  private reply(conn: number, ret: number, errno = 0): void {
    this.worker.postMessage({ kind: 'result', conn, ret, errno });
  }

  private async handle(message: { kind: string; conn: number; path?: string; request?: number; arg?: bigint }): Promise<void> {
    const { conn } = message;
    if (message.kind === 'close') {
      this.files.delete(conn);
    } else if (message.kind === 'open') {
      this.stats.opens += 1;
      const path = resolve(message.path!);
      if (!path.startsWith(this.devDir) || !existsSync(path)) return this.reply(conn, -1, errnoNumber('ENOENT'));
      // A node its owner cannot read and write stands for a root-only device node.
      if ((statSync(path).mode & 0o600) !== 0o600) return this.reply(conn, -1, errnoNumber('EACCES'));
      try {
        this.files.set(conn, this.kernel.open(path));
        this.reply(conn, 0);
      } catch (error) {
        this.reply(conn, -1, errnoNumber(error instanceof FwctlErrno ? error.errno : 'EIO'));
      }
    } else if (message.kind === 'ioctl') {
      this.stats.ioctls += 1;
      const file = this.files.get(conn);
      if (!file) return this.reply(conn, -1, errnoNumber('EBADF'));
      const memory = new RemoteMemory(this, conn);
      const request = message.request!;
      const arg = message.arg!;
      this.stats.inFlight += 1;
      this.stats.maxInFlight = Math.max(this.stats.maxInFlight, this.stats.inFlight);
      try {
        // Like fwctl_fops_ioctl: unknown ioctls first, then get_user(size), then the struct.
        let struct: Uint8Array = new Uint8Array(0);
        if (request === FWCTL_INFO || request === FWCTL_RPC) {
          const size = new DataView(memory.read(arg, 4).buffer).getUint32(0, true);
          struct = memory.read(arg, Math.min(Math.max(size, 4), MAX_STRUCT));
        }
        await file.ioctl(request, struct, memory);
        memory.write(arg, struct);
        this.reply(conn, 0);
      } catch (error) {
        this.reply(conn, -1, errnoNumber(error instanceof FwctlErrno ? error.errno : 'EIO'));
      } finally {
        this.stats.inFlight -= 1;
      }
    }
  }

  async stop(): Promise<void> {
    this.worker.postMessage({ kind: 'stop' });
    await this.worker.terminate();
  }
}

/** The device state file (= node) of fwctlN in a fleet. */
export const deviceNode = (root: string, name: string) => join(root, 'dev/fwctl', name);
