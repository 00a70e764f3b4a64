/**
 * An errno from an fwctl ioctl means the RPC was not delivered (DESIGN.md §1).
 * Each gets one clear sentence and the exit code an operator expects.
 */
import type { ErrnoName } from '../sdk/plugin';
import { FwctlErrno } from '../transport/types';
import { AccelError } from './errors';
import { Scope, scopeName } from './scope';

export interface ErrnoContext {
  device: string;
  /** The RPC's name from the classifier, if there was one. */
  rpc?: string;
  scope?: Scope;
  driver?: string;
}

const MESSAGES: Record<ErrnoName, (c: ErrnoContext) => [string, string?]> = {
  ENOTTY: (c) => [`${c.device} is not an fwctl device (ENOTTY)`],
  EPERM: (c) =>
    c.scope === undefined || c.scope === Scope.DEBUG_WRITE_FULL
      ? [`${c.device}: the kernel refused ${c.rpc ?? 'the RPC'}: permission denied (EPERM)`, 'debug_write_full needs CAP_SYS_RAWIO; run as root']
      : [
          `${c.device}: the ${c.driver ?? 'kernel'} driver refused ${c.rpc ?? 'the RPC'} at scope ${scopeName(c.scope)} (EPERM)`,
          'the driver does not allow this command at this scope (bnxt and pds answer EPERM for that); see accelctl commands',
        ],
  EBADMSG: (c) => [
    `${c.device}: the ${c.driver ?? 'kernel'} driver refused ${c.rpc ?? 'the RPC'} at scope ${c.scope === undefined ? '?' : scopeName(c.scope)} (EBADMSG)`,
    'the driver does not allow this command at this scope; see accelctl commands',
  ],
  EINVAL: (c) => [`${c.device}: the kernel refused ${c.rpc ?? 'the RPC'} as invalid (EINVAL)`, 'check the request bytes and sizes'],
  EOPNOTSUPP: (c) => [`${c.device}: operation not supported by the driver (EOPNOTSUPP)`],
  EMSGSIZE: (c) => [`${c.device}: request or reply too large or too small for the driver (EMSGSIZE)`, 'fwctl limits RPCs to 2 MiB each way'],
  E2BIG: (c) => [`${c.device}: ioctl struct has unknown non-zero fields (E2BIG)`, 'the kernel is older than this accelctl expects'],
  ENODEV: (c) => [`${c.device}: the device is gone (ENODEV)`, 'it was removed or its driver unbound'],
  ENOMEM: (c) => [`${c.device}: the kernel is out of memory (ENOMEM)`],
  EIO: (c) => [`${c.device}: the device failed to execute ${c.rpc ?? 'the RPC'} (EIO)`],
  EFAULT: (c) => [`${c.device}: bad buffer address (EFAULT)`, 'this is an accelctl bug; please report it'],
  ETIMEDOUT: (c) => [`${c.device}: the device did not answer (ETIMEDOUT)`],
};

export function errnoToError(error: FwctlErrno, context: ErrnoContext): AccelError {
  const [message, hint] = MESSAGES[error.errno](context);
  // EPERM means "needs CAP_SYS_RAWIO" only for debug_write_full; below it, bnxt and
  // pds use EPERM for "not allowed at this scope", which is a refusal, not privilege.
  const privilege = error.errno === 'EPERM' && (context.scope === undefined || context.scope === Scope.DEBUG_WRITE_FULL);
  const code =
    privilege
      ? 'ACCELCTL_E_PRIVILEGE'
      : error.errno === 'ENODEV'
        ? 'ACCELCTL_E_DEVICE_GONE'
        : error.errno === 'ETIMEDOUT'
          ? 'ACCELCTL_E_TIMEOUT'
          : error.errno === 'EFAULT' || error.errno === 'ENOMEM'
            ? 'ACCELCTL_E_IO'
            : 'ACCELCTL_E_KERNEL_REFUSED';
  return new AccelError(code, message, { ...(hint ? { hint } : {}), details: { errno: error.errno }, cause: error });
}

export function isFwctlErrno(error: unknown): error is FwctlErrno {
  return error instanceof FwctlErrno;
}
