/**
 * Real devices: /dev/fwctl/fwctlN through open(2) and ioctl(2).
 *
 *   linux-native.ts  the FFI (koffi), loaded on the first open, never for --sim
 *   linux-memory.ts  native buffers the kernel reads and writes during a call
 *   linux-ioctl.ts   FWCTL_INFO / FWCTL_RPC struct building and calling
 *   linux-errno.ts   errno numbers → FwctlErrno / clear open() errors
 *
 * One handle is one open fd, i.e. one fwctl user context in the kernel.
 */
import type { Scope } from '../core/scope';
import type { IndirectBuffer } from '../sdk/plugin';
import { openError } from './linux-errno';
import type { NativeLibc } from './linux-native';
import { FwctlErrno, type FwctlHandle, type FwctlInfo, type FwctlRpcResult, type Transport } from './types';

/** <fcntl.h> on Linux (every architecture fwctl runs on): O_RDWR | O_CLOEXEC. */
export const OPEN_FLAGS = 0o2 | 0o2000000;

export class LinuxTransport implements Transport {
  readonly kind = 'linux' as const;

  /** `loadLibc` is for tests; by default the FFI is imported on the first open. */
  constructor(private readonly loadLibc?: () => Promise<NativeLibc>) {}

  private async libc(): Promise<NativeLibc> {
    if (this.loadLibc) return this.loadLibc();
    const { loadNativeLibc } = await import('./linux-native');
    return loadNativeLibc();
  }

  async open(devicePath: string): Promise<FwctlHandle> {
    const [libc, ioctls] = await Promise.all([this.libc(), import('./linux-ioctl')]);
    let result = await libc.open(devicePath, OPEN_FLAGS);
    while (result.ret < 0 && result.errno === 4 /* EINTR */) result = await libc.open(devicePath, OPEN_FLAGS);
    if (result.ret < 0) throw openError(result.errno, devicePath);
    const dev = { libc, fd: result.ret, path: devicePath };
    let closed = false;
    const live = () => {
      if (closed) throw new FwctlErrno('ENODEV', `${devicePath} is closed`);
      return dev;
    };
    return {
      info: (): Promise<FwctlInfo> => Promise.resolve().then(() => ioctls.fwctlInfo(live())),
      rpc: (scope: Scope, input: Uint8Array, outLen: number, indirect?: readonly IndirectBuffer[]): Promise<FwctlRpcResult> =>
        Promise.resolve().then(() => ioctls.fwctlRpc(live(), scope, input, outLen, indirect)),
      async close(): Promise<void> {
        if (closed) return;
        closed = true;
        await libc.close(dev.fd);
      },
    };
  }
}
