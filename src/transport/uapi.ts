/**
 * include/uapi/fwctl/fwctl.h: ioctl numbers and the two ioctl structs. Shared by
 * the simulated kernel and the Linux transport, so both agree byte for byte.
 */
import { defineStruct } from '../sdk/layout';

/** `_IO(FWCTL_TYPE, FWCTL_CMD_BASE + n)` with FWCTL_TYPE 0x9A: no size encoded. */
export const FWCTL_INFO = 0x9a00;
export const FWCTL_RPC = 0x9a01;

/** MAX_RPC_LEN in drivers/fwctl/main.c. */
export const FWCTL_MAX_RPC_LEN = 2 * 1024 * 1024;

/** TAINT_FWCTL is bit 19 of /proc/sys/kernel/tainted (letter 'J'). */
export const TAINT_FWCTL_BIT = 19;

export const FwctlInfoStruct = defineStruct('fwctl_info', 24, {
  size: { at: 0, type: 'u32le' },
  flags: { at: 4, type: 'u32le' },
  out_device_type: { at: 8, type: 'u32le' },
  device_data_len: { at: 12, type: 'u32le' },
  out_device_data: { at: 16, type: 'u64le' },
});

export const FwctlRpcStruct = defineStruct('fwctl_rpc', 32, {
  size: { at: 0, type: 'u32le' },
  scope: { at: 4, type: 'u32le' },
  in_len: { at: 8, type: 'u32le' },
  out_len: { at: 12, type: 'u32le' },
  in: { at: 16, type: 'u64le' },
  out: { at: 24, type: 'u64le' },
});

/** `enum fwctl_device_type`. */
export const DEVICE_TYPES: Record<number, string> = {
  1: 'mlx5',
  2: 'cxl',
  3: 'bnxt',
  4: 'pds',
};
