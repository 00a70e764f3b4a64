/**
 * The boundary to the kernel: what every transport (simulated, Linux ioctl) offers.
 * It mirrors the two fwctl ioctls and nothing more, so a transport never needs to
 * know about plugins, classes or policy.
 */
import type { Scope } from '../core/scope';
import type { ErrnoName, IndirectBuffer } from '../sdk/plugin';

export interface FwctlInfo {
  /** `out_device_type` of FWCTL_INFO. */
  deviceType: number;
  /** The driver's device data (may be empty). */
  deviceData: Uint8Array;
}

export interface FwctlRpcResult {
  /** The reply bytes the kernel copied out (at most the buffer size offered). */
  out: Uint8Array;
  /** `out_len` as the kernel reported it: larger than `out.length` means truncated. */
  outLen: number;
  /** Contents of the indirect buffers after the call, in order. */
  buffers: Uint8Array[];
}

/** An open /dev/fwctl/fwctlN (one fwctl user context). */
export interface FwctlHandle {
  info(): Promise<FwctlInfo>;
  rpc(scope: Scope, input: Uint8Array, outLen: number, indirect?: readonly IndirectBuffer[]): Promise<FwctlRpcResult>;
  close(): Promise<void>;
}

/** How the caller will use a handle. */
export interface OpenOptions {
  /**
   * Only inspect RPCs will be sent (list, dump, health, metrics): nothing read
   * through this handle feeds a change, so the simulated kernel may answer from a
   * device state a moment old (src/sim/state-store.ts). Real devices ignore it.
   */
  inspectOnly?: boolean;
}

export interface Transport {
  readonly kind: 'sim' | 'linux';
  open(devicePath: string, options?: OpenOptions): Promise<FwctlHandle>;
}

/** A failed ioctl: the RPC was not delivered. */
export class FwctlErrno extends Error {
  readonly errno: ErrnoName;
  constructor(errno: ErrnoName, message?: string) {
    super(message ?? errno);
    this.name = 'FwctlErrno';
    this.errno = errno;
  }
}
