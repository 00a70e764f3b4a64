/**
 * The Linux transport against the real system: the FFI, open(2) and ioctl(2) on
 * real nodes that are not fwctl devices, and the errno mapping.
 */
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { AccelError } from '../../src/core/errors';
import { errnoToError } from '../../src/core/errno';
import { Scope } from '../../src/core/scope';
import { LinuxTransport } from '../../src/transport/linux';
import { FWCTL_ERRNOS, errnoName, ioctlError, openError } from '../../src/transport/linux-errno';
import { loadNativeLibc } from '../../src/transport/linux-native';
import { FwctlErrno } from '../../src/transport/types';
import { freshSimDir, run, tempDir } from '../helpers/cli';

const linux = process.platform === 'linux';

/** asm-generic/errno-base.h + errno.h (x86-64, arm64, riscv64 …). */
const LINUX_ERRNO: Record<string, number> = {
  EPERM: 1,
  ENOENT: 2,
  EIO: 5,
  E2BIG: 7,
  ENOMEM: 12,
  EACCES: 13,
  EFAULT: 14,
  ENODEV: 19,
  EINVAL: 22,
  ENOTTY: 25,
  EBADMSG: 74,
  EMSGSIZE: 90,
  EOPNOTSUPP: 95,
  ETIMEDOUT: 110,
};

async function caught(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe.runIf(linux)('real nodes that are not fwctl devices', () => {
  it('FWCTL_INFO on /dev/null fails with ENOTTY through the real ioctl', async () => {
    const handle = await new LinuxTransport().open('/dev/null');
    try {
      const error = await caught(handle.info());
      expect(error).toBeInstanceOf(FwctlErrno);
      expect((error as FwctlErrno).errno).toBe('ENOTTY');
      expect(errnoToError(error as FwctlErrno, { device: '/dev/null' }).message).toMatch(/not an fwctl device/);
    } finally {
      await handle.close();
    }
  });

  it('FWCTL_RPC on /dev/null fails with ENOTTY too', async () => {
    const handle = await new LinuxTransport().open('/dev/null');
    const error = await caught(handle.rpc(Scope.CONFIGURATION, new Uint8Array(16), 16));
    expect((error as FwctlErrno).errno).toBe('ENOTTY');
    await handle.close();
    await expect(handle.rpc(Scope.CONFIGURATION, new Uint8Array(16), 16)).rejects.toMatchObject({ errno: 'ENODEV' });
  });

  it('a missing node is "device not found" (exit 3)', async () => {
    const error = await caught(new LinuxTransport().open(join(tempDir(), 'dev/fwctl/fwctl9')));
    expect(error).toBeInstanceOf(AccelError);
    expect((error as AccelError).code).toBe('ACCELCTL_E_DEVICE_NOT_FOUND');
    expect((error as AccelError).exitCode).toBe(3);
  });

  it.runIf(process.getuid?.() !== 0)('an unreadable node is a clear permission error', async () => {
    const node = join(tempDir(), 'fwctl0');
    writeFileSync(node, '');
    chmodSync(node, 0o000);
    const error = await caught(new LinuxTransport().open(node));
    expect((error as AccelError).code).toBe('ACCELCTL_E_PRIVILEGE');
    expect((error as AccelError).message).toMatch(/permission denied \(EACCES\)/);
  });

  it('RPCs run off the event loop (the async FFI call)', async () => {
    const handle = await new LinuxTransport().open('/dev/null');
    let ticked = false;
    const tick = new Promise<void>((resolve) => setImmediate(() => resolve(void (ticked = true))));
    await Promise.all([caught(handle.info()), tick]);
    expect(ticked).toBe(true);
    await handle.close();
  });
});

describe('loading the FFI', () => {
  it('a missing FFI module is ACCELCTL_E_UNSUPPORTED with a hint, not a crash', async () => {
    const error = await caught(loadNativeLibc('accelctl-no-such-ffi-module'));
    expect(error).toBeInstanceOf(AccelError);
    expect((error as AccelError).code).toBe('ACCELCTL_E_UNSUPPORTED');
    expect((error as AccelError).hint).toMatch(/--sim/);
  });

  it('the transport reports the same when it cannot load', async () => {
    const transport = new LinuxTransport(() => loadNativeLibc('accelctl-no-such-ffi-module'));
    await expect(transport.open('/dev/fwctl/fwctl0')).rejects.toMatchObject({ code: 'ACCELCTL_E_UNSUPPORTED' });
  });
});

describe.runIf(linux)('errno mapping', () => {
  it.each(FWCTL_ERRNOS)('%s from an fwctl ioctl becomes FwctlErrno(%s)', (name) => {
    const number = LINUX_ERRNO[name]!;
    expect(errnoName(number)).toBe(name);
    const error = ioctlError(number, '/dev/fwctl/fwctl0', 'FWCTL_RPC');
    expect(error).toBeInstanceOf(FwctlErrno);
    expect((error as FwctlErrno).errno).toBe(name);
    // …and every one has a message and exit code through the pipeline's table.
    expect(errnoToError(error as FwctlErrno, { device: 'fwctl0', scope: Scope.DEBUG_READ_ONLY }).message).toMatch(name);
  });

  it('an errno fwctl never documents is an I/O error naming it', () => {
    const error = ioctlError(16 /* EBUSY */, '/dev/fwctl/fwctl0', 'FWCTL_RPC');
    expect(error).toMatchObject({ code: 'ACCELCTL_E_IO' });
    expect(error.message).toMatch(/EBUSY/);
  });

  it('open() errors', () => {
    expect(openError(LINUX_ERRNO.ENOENT!, '/dev/fwctl/fwctl0')).toMatchObject({ code: 'ACCELCTL_E_DEVICE_NOT_FOUND' });
    const eacces = openError(LINUX_ERRNO.EACCES!, '/dev/fwctl/fwctl0') as AccelError;
    expect(eacces.code).toBe('ACCELCTL_E_PRIVILEGE');
    expect(eacces.message).toBe('/dev/fwctl/fwctl0: permission denied (EACCES)');
    expect(eacces.hint).toMatch(/root/);
    expect(openError(LINUX_ERRNO.ENODEV!, '/dev/fwctl/fwctl0')).toMatchObject({ errno: 'ENODEV' });
  });
});

describe.runIf(linux)('the FFI is loaded only for real devices (bin/accelctl, koffi hidden)', () => {
  const noKoffi = { NODE_OPTIONS: `--import ${fileURLToPath(new URL('../native/no-koffi.mjs', import.meta.url))}` };

  it('--version and --sim work without it; a real device says what is missing', async () => {
    const version = await run(['--version'], { env: noKoffi });
    expect(version.code, version.stderr).toBe(0);
    const fleet = freshSimDir();
    const list = await run(['list'], { simDir: fleet, env: noKoffi });
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toContain('fwctl0');
    const real = await run(['info', 'fwctl0', '-o', 'json'], { env: { ...noKoffi, ACCELCTL_ROOT: fleet, ACCELCTL_SIM: undefined, ACCELCTL_SIM_DIR: undefined } });
    expect(real.code).toBe(1);
    expect(JSON.parse(real.stderr)).toMatchObject({ error: { code: 'ACCELCTL_E_UNSUPPORTED', hint: expect.stringContaining('--sim') } });
  });

  it('with the FFI, a node that is not an fwctl device is ENOTTY from the real ioctl', async () => {
    const fleet = freshSimDir();
    expect((await run(['list'], { simDir: fleet })).code).toBe(0);
    // No shim here: the fleet's dev/fwctl/fwctl0 is a plain file, and the kernel says ENOTTY.
    const real = await run(['info', 'fwctl0'], { env: { ACCELCTL_ROOT: fleet, ACCELCTL_SIM: undefined, ACCELCTL_SIM_DIR: undefined } });
    expect(real.code).toBe(1);
    expect(real.stderr).toMatch(/fwctl0 is not an fwctl device \(ENOTTY\)/);
  });
});
