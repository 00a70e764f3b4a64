/**
 * What the Linux transport puts in memory for the kernel, checked against the
 * C compiler's layout of the kernel header's structs (test/native/fwctl-layout.c,
 * declarations copied from include/uapi/fwctl/fwctl.h) — not against our own
 * defineStruct tables, which are what is being checked.
 *
 * The ioctl here is a stand-in that reads the real native memory at the address
 * it is given (as the kernel does) and answers like the kernel; the buffers are
 * the transport's own koffi allocations.
 */
import { execFileSync } from 'node:child_process';
import koffi from 'koffi';
import { beforeAll, describe, expect, it } from 'vitest';
import { Scope } from '../../src/core/scope';
import { LinuxTransport } from '../../src/transport/linux';
import { loadNativeLibc, type NativeLibc } from '../../src/transport/linux-native';
import { FwctlInfoStruct, FwctlRpcStruct } from '../../src/transport/uapi';
import { buildNative } from '../native/build';

interface FieldLayout {
  at: number;
  size: number;
}
type StructLayout = Record<string, FieldLayout> & { sizeof: number };
interface Layout {
  FWCTL_INFO: number;
  FWCTL_RPC: number;
  fwctl_info: StructLayout;
  fwctl_rpc: StructLayout;
}

const native = buildNative();

const peek = (address: bigint, length: number) => new Uint8Array(koffi.view(address, length)).slice();
const poke = (address: bigint, data: Uint8Array) => new Uint8Array(koffi.view(address, data.length)).set(data);
const le = (bytes: Uint8Array) => new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);

function field(bytes: Uint8Array, f: FieldLayout): bigint {
  return f.size === 8 ? le(bytes).getBigUint64(f.at, true) : BigInt(le(bytes).getUint32(f.at, true));
}

type Kernel = (request: number, arg: bigint) => number;

async function fakeKernel(kernel: Kernel): Promise<() => Promise<NativeLibc>> {
  const real = await loadNativeLibc();
  const libc: NativeLibc = {
    alloc: real.alloc,
    open: async () => ({ ret: 1000, errno: 0 }),
    close: async () => ({ ret: 0, errno: 0 }),
    ioctl: async (_fd, request, arg) => {
      const errno = kernel(request, arg);
      return errno ? { ret: -1, errno } : { ret: 0, errno: 0 };
    },
  };
  return async () => libc;
}

describe.skipIf(native.skip !== undefined)('struct layout against the kernel header (C compiler)', () => {
  let layout: Layout;
  beforeAll(() => {
    layout = JSON.parse(execFileSync(native.layout!, { encoding: 'utf8' })) as Layout;
  });

  it('ioctl numbers and struct sizes', () => {
    expect(layout.FWCTL_INFO).toBe(0x9a00);
    expect(layout.FWCTL_RPC).toBe(0x9a01);
    expect(layout.fwctl_info.sizeof).toBe(FwctlInfoStruct.size);
    expect(layout.fwctl_rpc.sizeof).toBe(FwctlRpcStruct.size);
  });

  it('uapi.ts field offsets match the header', () => {
    for (const [name, struct] of [
      ['fwctl_info', FwctlInfoStruct],
      ['fwctl_rpc', FwctlRpcStruct],
    ] as const) {
      const c = layout[name];
      for (const [fieldName, spec] of Object.entries(struct.fields)) {
        const at = (spec as { at: number }).at;
        expect(c[fieldName], `${name}.${fieldName}`).toMatchObject({ at });
      }
    }
  });

  it('FWCTL_INFO: what the transport hands the kernel, and a retry when the driver has more data', async () => {
    const seen: Record<string, bigint>[] = [];
    const deviceData = Uint8Array.from({ length: 300 }, (_, i) => i & 0xff);
    const transport = new LinuxTransport(
      await fakeKernel((request, arg) => {
        expect(request).toBe(layout.FWCTL_INFO);
        const f = layout.fwctl_info;
        const struct = peek(arg, f.sizeof);
        const values = Object.fromEntries(['size', 'flags', 'out_device_type', 'device_data_len', 'out_device_data'].map((k) => [k, field(struct, f[k]!)]));
        seen.push(values);
        const capacity = Number(values.device_data_len);
        poke(values.out_device_data!, deviceData.subarray(0, capacity));
        le(struct).setUint32(f.out_device_type!.at, 4, true);
        le(struct).setUint32(f.device_data_len!.at, deviceData.length, true);
        poke(arg, struct);
        return 0;
      }),
    );
    const handle = await transport.open('/dev/fwctl/fwctl0');
    const info = await handle.info();
    expect(info.deviceType).toBe(4);
    expect(Buffer.from(info.deviceData)).toEqual(Buffer.from(deviceData));
    expect(seen).toHaveLength(2);
    expect(seen[0]).toMatchObject({ size: 24n, flags: 0n, out_device_type: 0n, device_data_len: 256n });
    expect(seen[0]!.out_device_data).not.toBe(0n);
    expect(seen[1]).toMatchObject({ size: 24n, device_data_len: 300n });
  });

  it('FWCTL_RPC: struct fields, in/out buffers, indirect pointers patched host-endian, truncation reported', async () => {
    const seen: { values: Record<string, bigint>; input: Uint8Array; payload: Uint8Array }[] = [];
    const request = Uint8Array.from({ length: 48 }, (_, i) => i);
    const transport = new LinuxTransport(
      await fakeKernel((code, arg) => {
        expect(code).toBe(layout.FWCTL_RPC);
        const f = layout.fwctl_rpc;
        const struct = peek(arg, f.sizeof);
        const values = Object.fromEntries(['size', 'scope', 'in_len', 'out_len', 'in', 'out'].map((k) => [k, field(struct, f[k]!)]));
        const input = peek(values.in!, Number(values.in_len));
        const payloadAddress = le(input).getBigUint64(16, true);
        const payload = peek(payloadAddress, 8);
        seen.push({ values, input, payload });
        // The "device": writes 100 bytes of reply (only out_len fit) and fills the payload.
        poke(values.out!, Uint8Array.from({ length: Number(values.out_len) }, () => 0xab));
        poke(payloadAddress, Uint8Array.from([9, 8, 7, 6, 5, 4, 3, 2]));
        le(struct).setUint32(f.out_len!.at, 100, true);
        poke(arg, struct);
        return 0;
      }),
    );
    const handle = await transport.open('/dev/fwctl/fwctl0');
    const result = await handle.rpc(Scope.DEBUG_READ_ONLY, request, 64, [{ pointerAt: 16, data: Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]) }]);
    const [call] = seen;
    expect(call!.values).toMatchObject({ size: 32n, scope: 1n, in_len: 48n, out_len: 64n });
    // The request as sent: the caller's bytes, except the pointer the transport patched in.
    expect(Buffer.from(call!.input.subarray(0, 16))).toEqual(Buffer.from(request.subarray(0, 16)));
    expect(Buffer.from(call!.input.subarray(24))).toEqual(Buffer.from(request.subarray(24)));
    expect(Array.from(call!.payload)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    // The caller's request is not modified.
    expect(request[16]).toBe(16);
    expect(result.outLen).toBe(100);
    expect(result.out).toHaveLength(64);
    expect(result.out.every((b) => b === 0xab)).toBe(true);
    expect(Array.from(result.buffers[0]!)).toEqual([9, 8, 7, 6, 5, 4, 3, 2]);
  });

  it('an indirect pointer outside the request is refused before any ioctl', async () => {
    let calls = 0;
    const transport = new LinuxTransport(await fakeKernel(() => (calls++, 0)));
    const handle = await transport.open('/dev/fwctl/fwctl0');
    await expect(handle.rpc(Scope.CONFIGURATION, new Uint8Array(16), 16, [{ pointerAt: 12, length: 8 }])).rejects.toMatchObject({ errno: 'EFAULT' });
    expect(calls).toBe(0);
  });
});
