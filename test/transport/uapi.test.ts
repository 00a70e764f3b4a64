/**
 * src/transport/uapi.ts against the Linux uAPI, include/uapi/fwctl/fwctl.h
 * (torvalds/linux, read at commit d829c46f770a428cf14673594c0381b24d52b669):
 *
 *   #define FWCTL_TYPE 0x9A
 *   enum { FWCTL_CMD_BASE = 0, FWCTL_CMD_INFO = 0, FWCTL_CMD_RPC = 1 };
 *   struct fwctl_info { __u32 size; __u32 flags; __u32 out_device_type;
 *                       __u32 device_data_len; __aligned_u64 out_device_data; };
 *   #define FWCTL_INFO _IO(FWCTL_TYPE, FWCTL_CMD_INFO)
 *   struct fwctl_rpc { __u32 size; __u32 scope; __u32 in_len; __u32 out_len;
 *                      __aligned_u64 in; __aligned_u64 out; };
 *   #define FWCTL_RPC _IO(FWCTL_TYPE, FWCTL_CMD_RPC)
 *   enum fwctl_device_type { ERROR = 0, MLX5 = 1, CXL = 2, BNXT = 3, PDS = 4 };
 *
 * (BNXT = 3 arrived with the bnxt fwctl driver.) MAX_RPC_LEN is SZ_2M in
 * drivers/fwctl/main.c; TAINT_FWCTL is 19 in include/linux/panic.h. All
 * fields little-endian: x86-64 (and every other fwctl platform here) is LE.
 */
import { describe, expect, it } from 'vitest';
import { DEVICE_TYPES, FWCTL_INFO, FWCTL_MAX_RPC_LEN, FWCTL_RPC, FwctlInfoStruct, FwctlRpcStruct, TAINT_FWCTL_BIT } from '../../src/transport/uapi';

/** asm-generic/ioctl.h: _IOC(dir, type, nr, size) = dir<<30 | size<<16 | type<<8 | nr; _IO has dir 0, size 0. */
const _IOC = (dir: number, type: number, nr: number, size: number) => ((dir << 30) | (size << 16) | (type << 8) | nr) >>> 0;
const _IO = (type: number, nr: number) => _IOC(0, type, nr, 0);
const FWCTL_TYPE = 0x9a;

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

describe('ioctl numbers', () => {
  it('FWCTL_INFO = _IO(0x9A, 0) = 0x9a00', () => {
    expect(FWCTL_INFO).toBe(_IO(FWCTL_TYPE, 0));
    expect(FWCTL_INFO).toBe(0x9a00);
  });
  it('FWCTL_RPC = _IO(0x9A, 1) = 0x9a01', () => {
    expect(FWCTL_RPC).toBe(_IO(FWCTL_TYPE, 1));
    expect(FWCTL_RPC).toBe(0x9a01);
  });
});

describe('constants', () => {
  it('MAX_RPC_LEN is 2 MiB', () => {
    expect(FWCTL_MAX_RPC_LEN).toBe(2 * 1024 * 1024);
    expect(FWCTL_MAX_RPC_LEN).toBe(0x200000);
  });
  it('TAINT_FWCTL is bit 19 (524288)', () => {
    expect(TAINT_FWCTL_BIT).toBe(19);
    expect(2 ** TAINT_FWCTL_BIT).toBe(524288);
  });
  it('device types follow enum fwctl_device_type (0 is an error, not a type)', () => {
    expect(DEVICE_TYPES).toEqual({ 1: 'mlx5', 2: 'cxl', 3: 'bnxt', 4: 'pds' });
    expect(DEVICE_TYPES[0]).toBeUndefined();
  });
});

describe('struct fwctl_info (24 bytes)', () => {
  it('has the kernel layout: u32 size@0 flags@4 out_device_type@8 device_data_len@12, u64 out_device_data@16, all LE', () => {
    expect(FwctlInfoStruct.size).toBe(24);
    expect(FwctlInfoStruct.fields).toEqual({
      size: { at: 0, type: 'u32le' },
      flags: { at: 4, type: 'u32le' },
      out_device_type: { at: 8, type: 'u32le' },
      device_data_len: { at: 12, type: 'u32le' },
      out_device_data: { at: 16, type: 'u64le' },
    });
  });

  it('encodes golden bytes', () => {
    const bytes = FwctlInfoStruct.encode({
      size: 24,
      flags: 0,
      out_device_type: 0,
      device_data_len: 8,
      out_device_data: 0x00007ffd12345678n,
    });
    expect(hex(bytes)).toBe('18000000' + '00000000' + '00000000' + '08000000' + '78563412fd7f0000');
  });

  it('decodes a kernel reply (mlx5, 8 bytes of device data)', () => {
    const reply = Buffer.from('18000000' + '00000000' + '01000000' + '08000000' + '0010a0f7ff7f0000', 'hex');
    expect(FwctlInfoStruct.decode(new Uint8Array(reply))).toEqual({
      size: 24,
      flags: 0,
      out_device_type: 1,
      device_data_len: 8,
      out_device_data: 0x7ffff7a01000n,
    });
  });
});

describe('struct fwctl_rpc (32 bytes)', () => {
  it('has the kernel layout: u32 size@0 scope@4 in_len@8 out_len@12, u64 in@16 out@24, all LE', () => {
    expect(FwctlRpcStruct.size).toBe(32);
    expect(FwctlRpcStruct.fields).toEqual({
      size: { at: 0, type: 'u32le' },
      scope: { at: 4, type: 'u32le' },
      in_len: { at: 8, type: 'u32le' },
      out_len: { at: 12, type: 'u32le' },
      in: { at: 16, type: 'u64le' },
      out: { at: 24, type: 'u64le' },
    });
  });

  it('encodes golden bytes', () => {
    const bytes = FwctlRpcStruct.encode({
      size: 32,
      scope: 1, // FWCTL_RPC_DEBUG_READ_ONLY
      in_len: 0x10,
      out_len: 0x200000,
      in: 0x0000555555550000n,
      out: 0x1122334455667788n,
    });
    expect(hex(bytes)).toBe('20000000' + '01000000' + '10000000' + '00002000' + '0000555555550000' + '8877665544332211');
  });

  it('decodes out_len as returned by the kernel', () => {
    const bytes = new Uint8Array(32);
    bytes.set([0x20], 0);
    bytes.set([0x34, 0x12], 12);
    expect(FwctlRpcStruct.get(bytes, 'out_len')).toBe(0x1234);
    expect(FwctlRpcStruct.get(bytes, 'size')).toBe(32);
  });
});
