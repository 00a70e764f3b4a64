/**
 * Real devices: /dev/fwctl/fwctlN through ioctl. The native ioctl path lands with
 * its own change (see the README's roadmap); until then this transport reports
 * clearly that it is not available instead of pretending.
 */
import { AccelError } from '../core/errors';
import type { FwctlHandle, Transport } from './types';

export class LinuxTransport implements Transport {
  readonly kind = 'linux' as const;

  async open(devicePath: string): Promise<FwctlHandle> {
    throw new AccelError('ACCELCTL_E_UNSUPPORTED', `cannot open ${devicePath}: this build has no ioctl transport for real fwctl devices yet`, {
      hint: 'use --sim to work with simulated devices',
    });
  }
}
