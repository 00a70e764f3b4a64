/**
 * The native route to open(2), close(2) and ioctl(2): koffi, an FFI with
 * prebuilt binaries, imported only when a real device is opened (so `--sim`,
 * `--version` and `--help` never load it and work where it is absent).
 *
 * Symbols are resolved through the default symbol scope (`koffi.load(null)` is
 * dlopen(NULL): the executable and everything it loaded, LD_PRELOAD objects
 * first), which finds glibc's or musl's `ioctl` on a real host and an
 * LD_PRELOAD interposer in tests — a handle to libc.so.6 would bypass one.
 *
 * Calls that reach a device (ioctl, and open/close for symmetry) run through
 * koffi's async mode on a libuv worker thread, so a slow RPC never blocks the
 * event loop and devices can be driven in parallel. koffi restores the worker's
 * errno before the completion callback, where it is read.
 */
import { AccelError } from '../core/errors';
import { importExternal } from '../core/external-import';

/** A system call's outcome: the return value and, when it is -1, errno. */
export interface SysResult {
  ret: number;
  errno: number;
}

/** Memory outside the JS heap: a stable address the kernel can read and write. */
export interface NativeMemory {
  readonly address: bigint;
  readonly length: number;
  /** A view of the memory (valid until free). */
  readonly bytes: Uint8Array;
  free(): void;
}

export interface NativeLibc {
  open(path: string, flags: number): Promise<SysResult>;
  close(fd: number): Promise<SysResult>;
  ioctl(fd: number, request: number, arg: bigint): Promise<SysResult>;
  alloc(length: number): NativeMemory;
}

/** Minimal shape of the koffi module used here (its own types are not needed at build time). */
interface KoffiFunction {
  (...args: unknown[]): unknown;
  async(...args: unknown[]): void;
}
interface Koffi {
  load(path: string | null): { func(signature: string): KoffiFunction };
  alloc(type: string, length: number): unknown;
  free(pointer: unknown): void;
  address(pointer: unknown): bigint;
  view(pointer: unknown, length: number): ArrayBuffer;
  errno(): number;
}

/** Which module provides the FFI; tests point it at a missing one to see the failure. */
const KOFFI_MODULE = 'koffi';

let loading: Promise<NativeLibc> | undefined;

/** Load the FFI once per process. Throws ACCELCTL_E_UNSUPPORTED when it cannot. */
export function loadNativeLibc(moduleName = KOFFI_MODULE): Promise<NativeLibc> {
  if (moduleName !== KOFFI_MODULE) return createLibc(moduleName);
  if (!loading) {
    loading = createLibc(moduleName);
    // A failed load is not cached (each caller gets the error; a later call retries).
    loading.catch(() => (loading = undefined));
  }
  return loading;
}

async function importKoffi(moduleName: string): Promise<Koffi> {
  if (process.platform !== 'linux') {
    throw new AccelError('ACCELCTL_E_UNSUPPORTED', `real fwctl devices exist only on Linux (this is ${process.platform})`, {
      hint: 'use --sim to work with simulated devices',
    });
  }
  try {
    const mod = await importExternal<{ default?: Koffi } & Koffi>(moduleName);
    return mod.default ?? mod;
  } catch (error) {
    throw new AccelError('ACCELCTL_E_UNSUPPORTED', `cannot load the native ioctl library (${moduleName}): ${(error as Error).message.split('\n')[0]}`, {
      hint: `reinstall accelctl so that its '${KOFFI_MODULE}' dependency (prebuilt for ${process.platform}-${process.arch}) is present, or use --sim`,
      cause: error,
    });
  }
}

async function createLibc(moduleName: string): Promise<NativeLibc> {
  const koffi = await importKoffi(moduleName);
  let open: KoffiFunction;
  let close: KoffiFunction;
  let ioctl: KoffiFunction;
  let exit: KoffiFunction;
  try {
    const self = koffi.load(null);
    // open(2) is variadic (mode); with two arguments the fixed prototype is ABI-identical
    // on the Linux ABIs (x86-64, aarch64, …), and koffi cannot run variadics asynchronously.
    open = self.func('int open(const char *path, int flags)');
    close = self.func('int close(int fd)');
    // ioctl(int, unsigned long, ...): the third argument is a pointer, passed as one.
    ioctl = self.func('int ioctl(int fd, unsigned long request, void *arg)');
    exit = self.func('void _exit(int status)');
  } catch (error) {
    throw new AccelError('ACCELCTL_E_UNSUPPORTED', `cannot resolve open/close/ioctl in this process: ${(error as Error).message}`, {
      hint: 'use --sim to work with simulated devices',
      cause: error,
    });
  }

  // Calls still inside the kernel. Node's exit joins its thread pool, so a call that never
  // returns (a hung device after --timeout fired) would keep the process alive forever:
  // then leave with _exit(2) instead. stdout/stderr are synchronous on Linux, nothing is lost.
  let inFlight = 0;
  process.once('exit', (code) => {
    if (inFlight > 0) exit(typeof code === 'number' ? code : Number(process.exitCode ?? 0));
  });

  const call = (fn: KoffiFunction, ...args: unknown[]): Promise<SysResult> =>
    new Promise((resolve, reject) => {
      inFlight += 1;
      fn.async(...args, (error: unknown, ret: number) => {
        inFlight -= 1;
        if (error) reject(error);
        else resolve({ ret, errno: ret < 0 ? koffi.errno() : 0 });
      });
    });

  return {
    open: (path, flags) => call(open, path, flags),
    close: (fd) => call(close, fd),
    ioctl: (fd, request, arg) => call(ioctl, fd, request, arg),
    alloc(length) {
      // Never a zero-sized allocation: the kernel may still be handed the address.
      const pointer = koffi.alloc('uint8_t', Math.max(length, 1));
      const address = koffi.address(pointer);
      const bytes = new Uint8Array(koffi.view(pointer, Math.max(length, 1)), 0, length);
      bytes.fill(0);
      let freed = false;
      return {
        address,
        length,
        bytes,
        free() {
          if (freed) return;
          freed = true;
          koffi.free(pointer);
        },
      };
    },
  };
}
