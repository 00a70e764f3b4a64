/**
 * Transport to simulated devices: builds the same ioctl structs the Linux
 * transport builds, maps buffers into simulated user memory, and calls the
 * simulated kernel's ioctl.
 */
import type { Scope } from '../core/scope';
import type { IndirectBuffer } from '../sdk/plugin';
import { SimKernel, type SimulatorResolver } from '../sim/kernel';
import { STATE_RECHECK_MS } from '../sim/state-store';
import { UserMemory } from '../sim/user-memory';
import { FwctlErrno, type FwctlHandle, type FwctlInfo, type FwctlRpcResult, type OpenOptions, type Transport } from './types';
import { FWCTL_INFO, FWCTL_RPC, FwctlInfoStruct, FwctlRpcStruct } from './uapi';

/** Device data buffer offered to FWCTL_INFO; retried larger if the driver has more. */
const INFO_BUFFER = 256;

export class SimTransport implements Transport {
  readonly kind = 'sim' as const;
  private readonly kernel: SimKernel;

  constructor(root: string, resolveSimulator?: SimulatorResolver) {
    this.kernel = new SimKernel(root, resolveSimulator);
  }

  async open(devicePath: string, options: OpenOptions = {}): Promise<FwctlHandle> {
    const file = this.kernel.open(devicePath, { stateMaxAgeMs: options.inspectOnly ? STATE_RECHECK_MS : 0 });
    return {
      async info(): Promise<FwctlInfo> {
        let capacity = INFO_BUFFER;
        for (;;) {
          const memory = new UserMemory();
          const data = new Uint8Array(capacity);
          const arg = FwctlInfoStruct.encode({ size: FwctlInfoStruct.size, device_data_len: capacity, out_device_data: memory.map(data) });
          await file.ioctl(FWCTL_INFO, arg, memory);
          const reported = FwctlInfoStruct.get(arg, 'device_data_len');
          if (reported <= capacity) {
            return { deviceType: FwctlInfoStruct.get(arg, 'out_device_type'), deviceData: data.slice(0, reported) };
          }
          capacity = reported;
        }
      },
      async rpc(scope: Scope, input: Uint8Array, outLen: number, indirect: readonly IndirectBuffer[] = []): Promise<FwctlRpcResult> {
        const memory = new UserMemory();
        // Copied only when pointers are to be written into it: the caller's bytes stay as they were.
        const request = indirect.length ? input.slice() : input;
        const requestView = new DataView(request.buffer, request.byteOffset, request.byteLength);
        const buffers = indirect.map((buffer) => {
          const bytes = new Uint8Array(buffer.data ? buffer.data.length : (buffer.length ?? 0));
          if (buffer.data) bytes.set(buffer.data);
          if (buffer.pointerAt < 0 || buffer.pointerAt + 8 > request.length) {
            throw new FwctlErrno('EFAULT', `indirect pointer at ${buffer.pointerAt} is outside the request`);
          }
          requestView.setBigUint64(buffer.pointerAt, memory.map(bytes), true);
          return bytes;
        });
        const out = new Uint8Array(outLen);
        const arg = FwctlRpcStruct.encode({
          size: FwctlRpcStruct.size,
          scope,
          in_len: request.length,
          out_len: outLen,
          in: memory.map(request),
          out: memory.map(out),
        });
        await file.ioctl(FWCTL_RPC, arg, memory);
        const reported = FwctlRpcStruct.get(arg, 'out_len');
        // A view, not a copy: `out` was allocated for this call and nothing else holds it.
        return { out: out.subarray(0, Math.min(reported, outLen)), outLen: reported, buffers };
      },
      async close(): Promise<void> {
        // Nothing held open between calls: state lives in the device file.
      },
    };
  }
}
