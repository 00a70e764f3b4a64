/**
 * FWCTL_INFO and FWCTL_RPC on an open fd: the structs of include/uapi/fwctl/fwctl.h
 * (built with the same definitions the simulated kernel decodes) placed in native
 * memory next to the buffers they point to, one ioctl, and the results read back.
 */
import { endianness } from 'node:os';
import type { Scope } from '../core/scope';
import type { IndirectBuffer } from '../sdk/plugin';
import { ioctlError } from './linux-errno';
import { withArena } from './linux-memory';
import type { NativeLibc } from './linux-native';
import { FwctlErrno, type FwctlInfo, type FwctlRpcResult } from './types';
import { FWCTL_INFO, FWCTL_MAX_RPC_LEN, FWCTL_RPC, FwctlInfoStruct, FwctlRpcStruct } from './uapi';

/** Device data buffer first offered to FWCTL_INFO; retried with what the driver reports. */
export const INFO_BUFFER = 256;

const EINTR_RETRIES = 8;
const LITTLE_ENDIAN = endianness() === 'LE';

/** A device fd and the library that reaches it. */
export interface FwctlFd {
  libc: NativeLibc;
  fd: number;
  path: string;
}

async function ioctl(dev: FwctlFd, request: number, arg: bigint, what: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    const { ret, errno } = await dev.libc.ioctl(dev.fd, request, arg);
    if (ret >= 0) return;
    // A signal can interrupt the call before the driver ran; the RPC was not delivered.
    if (errno === 4 /* EINTR */ && attempt < EINTR_RETRIES) continue;
    throw ioctlError(errno, dev.path, what);
  }
}

/** FWCTL_INFO, always with a device-data buffer, larger when the driver has more. */
export async function fwctlInfo(dev: FwctlFd, initialCapacity = INFO_BUFFER): Promise<FwctlInfo> {
  let capacity = initialCapacity;
  for (;;) {
    const result = await withArena(dev.libc, async (arena) => {
      const data = arena.alloc(capacity);
      const arg = arena.copy(FwctlInfoStruct.encode({ size: FwctlInfoStruct.size, flags: 0, device_data_len: capacity, out_device_data: data.address }));
      await ioctl(dev, FWCTL_INFO, arg.address, 'FWCTL_INFO');
      const reported = FwctlInfoStruct.get(arg.bytes, 'device_data_len');
      const deviceType = FwctlInfoStruct.get(arg.bytes, 'out_device_type');
      return { reported, deviceType, deviceData: data.bytes.slice(0, Math.min(reported, capacity)) };
    });
    if (result.reported <= capacity) return { deviceType: result.deviceType, deviceData: result.deviceData };
    if (result.reported > FWCTL_MAX_RPC_LEN) throw new FwctlErrno('EMSGSIZE', `${dev.path}: FWCTL_INFO reports ${result.reported} bytes of device data`);
    capacity = result.reported;
  }
}

/**
 * FWCTL_RPC. `out` holds what the kernel copied (at most `outLen` bytes); `outLen`
 * in the result is what the kernel reported, larger when the reply was truncated
 * (the pipeline decides whether to ask again). Indirect buffers are allocated here,
 * their addresses patched (host-endian u64) into a copy of the request.
 */
export async function fwctlRpc(dev: FwctlFd, scope: Scope, input: Uint8Array, outLen: number, indirect: readonly IndirectBuffer[] = []): Promise<FwctlRpcResult> {
  return withArena(dev.libc, async (arena) => {
    const request = arena.copy(input);
    const requestView = new DataView(request.bytes.buffer, request.bytes.byteOffset, request.bytes.byteLength);
    const buffers = indirect.map((buffer) => {
      if (!Number.isInteger(buffer.pointerAt) || buffer.pointerAt < 0 || buffer.pointerAt + 8 > input.length) {
        throw new FwctlErrno('EFAULT', `indirect pointer at ${buffer.pointerAt} is outside the ${input.length}-byte request`);
      }
      const block = buffer.data ? arena.copy(buffer.data) : arena.alloc(buffer.length ?? 0);
      requestView.setBigUint64(buffer.pointerAt, block.address, LITTLE_ENDIAN);
      return block;
    });
    const out = arena.alloc(outLen);
    const arg = arena.copy(
      FwctlRpcStruct.encode({
        size: FwctlRpcStruct.size,
        scope,
        in_len: input.length,
        out_len: outLen,
        in: request.address,
        out: out.address,
      }),
    );
    await ioctl(dev, FWCTL_RPC, arg.address, 'FWCTL_RPC');
    const reported = FwctlRpcStruct.get(arg.bytes, 'out_len');
    return {
      out: out.bytes.slice(0, Math.min(reported, outLen)),
      outLen: reported,
      buffers: buffers.map((block) => block.bytes.slice()),
    };
  });
}
