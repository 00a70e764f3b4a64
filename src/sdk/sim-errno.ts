/** For simulated drivers/firmware: fail the ioctl with an errno, as the kernel would. */
import type { ErrnoName } from './plugin';
import { FwctlErrno } from '../transport/types';

export function simErrno(errno: ErrnoName, message?: string): FwctlErrno {
  return new FwctlErrno(errno, message);
}
