/**
 * errno numbers from the real system calls → what the rest of accelctl speaks:
 * an FwctlErrno (by name) for a failed fwctl ioctl, and a clear AccelError for
 * a device node that cannot be opened. Numbers come from the running platform
 * (os.constants.errno), so this is right on every Linux architecture.
 */
import { constants } from 'node:os';
import { AccelError } from '../core/errors';
import type { ErrnoName } from '../sdk/plugin';
import { FwctlErrno } from './types';

/** Every errno an fwctl ioctl is documented (or observed) to return. */
export const FWCTL_ERRNOS: readonly ErrnoName[] = [
  'ENOTTY',
  'EPERM',
  'EBADMSG',
  'EINVAL',
  'ENODEV',
  'EMSGSIZE',
  'EOPNOTSUPP',
  'E2BIG',
  'ENOMEM',
  'EFAULT',
  'EIO',
  'ETIMEDOUT',
];

const byNumber = new Map<number, string>();
for (const [name, value] of Object.entries(constants.errno)) {
  // Aliases (EWOULDBLOCK = EAGAIN, ENOTSUP = EOPNOTSUPP on Linux): keep the first, canonical name.
  if (!byNumber.has(value)) byNumber.set(value, name);
}
// The fwctl names win over any alias sharing their number.
for (const name of FWCTL_ERRNOS) byNumber.set(constants.errno[name as keyof typeof constants.errno], name);

/** The symbolic name of an errno number ('errno 1234' when the platform has none). */
export function errnoName(errno: number): string {
  return byNumber.get(errno) ?? `errno ${errno}`;
}

export function errnoNumber(name: string): number | undefined {
  return (constants.errno as Record<string, number>)[name];
}

/** A failed FWCTL_INFO/FWCTL_RPC: FwctlErrno for every fwctl errno, an I/O error otherwise. */
export function ioctlError(errno: number, devicePath: string, what: string): Error {
  const name = errnoName(errno);
  if ((FWCTL_ERRNOS as readonly string[]).includes(name)) return new FwctlErrno(name as ErrnoName, `${what} on ${devicePath} failed: ${name}`);
  return new AccelError('ACCELCTL_E_IO', `${devicePath}: ${what} failed: ${name}`, { details: { errno: name } });
}

/** open(2) of a device node failed. */
export function openError(errno: number, devicePath: string): Error {
  const name = errnoName(errno);
  switch (name) {
    case 'ENOENT':
    case 'ENXIO':
      return new AccelError('ACCELCTL_E_DEVICE_NOT_FOUND', `${devicePath}: no such device node (${name})`, {
        hint: 'is the fwctl driver loaded? see accelctl list; in a container, mount the host /dev and pass --root',
        details: { errno: name },
      });
    case 'EACCES':
    case 'EPERM':
      return new AccelError('ACCELCTL_E_PRIVILEGE', `${devicePath}: permission denied (${name})`, {
        hint: 'fwctl device nodes are root-only by default: run as root, or grant access with a udev rule',
        details: { errno: name },
      });
    case 'ENODEV':
      // The node exists but its device went away: the pipeline's ENODEV message.
      return new FwctlErrno('ENODEV', `${devicePath}: ${name}`);
    default:
      return new AccelError('ACCELCTL_E_IO', `${devicePath}: cannot open: ${name}`, { details: { errno: name } });
  }
}
