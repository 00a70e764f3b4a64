import { describe, expect, it } from 'vitest';
import { errnoToError } from '../../src/core/errno';
import { Scope } from '../../src/core/scope';
import type { ErrnoName } from '../../src/sdk/plugin';
import { FwctlErrno } from '../../src/transport/types';

const map = (errno: ErrnoName, scope?: Scope) => errnoToError(new FwctlErrno(errno), { device: 'fwctl0', rpc: 'X', driver: 'bnxt', ...(scope === undefined ? {} : { scope }) });

describe('errno → typed error', () => {
  it.each([
    ['ENODEV', 'ACCELCTL_E_DEVICE_GONE', 3],
    ['EBADMSG', 'ACCELCTL_E_KERNEL_REFUSED', 1],
    ['EINVAL', 'ACCELCTL_E_KERNEL_REFUSED', 1],
    ['EMSGSIZE', 'ACCELCTL_E_KERNEL_REFUSED', 1],
    ['ENOTTY', 'ACCELCTL_E_KERNEL_REFUSED', 1],
    ['EOPNOTSUPP', 'ACCELCTL_E_KERNEL_REFUSED', 1],
    ['ETIMEDOUT', 'ACCELCTL_E_TIMEOUT', 5],
    ['EFAULT', 'ACCELCTL_E_IO', 1],
  ] as const)('%s → %s (exit %i)', (errno, code, exit) => {
    const error = map(errno, Scope.DEBUG_READ_ONLY);
    expect(error.code).toBe(code);
    expect(error.exitCode).toBe(exit);
    expect(error.details).toEqual({ errno });
    expect(error.message).toContain(`(${errno})`);
  });

  it('EPERM at debug_write_full is a privilege refusal naming CAP_SYS_RAWIO (exit 4)', () => {
    const error = map('EPERM', Scope.DEBUG_WRITE_FULL);
    expect(error.code).toBe('ACCELCTL_E_PRIVILEGE');
    expect(error.exitCode).toBe(4);
    expect(error.hint).toContain('CAP_SYS_RAWIO');
  });

  it('EPERM below debug_write_full is the driver refusing the command at that scope (bnxt, pds)', () => {
    const error = map('EPERM', Scope.DEBUG_READ_ONLY);
    expect(error.code).toBe('ACCELCTL_E_KERNEL_REFUSED');
    expect(error.message).toContain('bnxt driver refused X at scope debug_read_only');
  });
});
