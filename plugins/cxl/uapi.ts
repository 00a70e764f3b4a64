/**
 * CXL fwctl wire formats, from the kernel uAPI:
 *  - include/uapi/fwctl/cxl.h: struct fwctl_rpc_cxl (16-byte header + mailbox
 *    input payload) and struct fwctl_rpc_cxl_out ({u32 size; u32 retval} + payload);
 *  - include/uapi/cxl/features.h: the Features command payloads (CXL r3.2 §8.2.9.6).
 * Every field is little-endian except UUIDs, which are 16 raw bytes in the
 * kernel's uuid_t order (the canonical text order, byte for byte).
 */
import { defineStruct } from 'accelctl/sdk';

/** enum fwctl_device_type: FWCTL_DEVICE_TYPE_CXL. */
export const FWCTL_DEVICE_TYPE_CXL = 2;

/** CXL mailbox opcodes the cxl fwctl driver handles (drivers/cxl/cxlmem.h enum cxl_opcode). */
export const Opcode = {
  GET_SUPPORTED_FEATURES: 0x0500,
  GET_FEATURE: 0x0501,
  SET_FEATURE: 0x0502,
} as const;

/** struct fwctl_rpc_cxl, header group `fwctl_rpc_cxl_hdr` (16 bytes). */
export const RpcHeader = defineStruct('fwctl_rpc_cxl_hdr', 16, {
  opcode: { at: 0, type: 'u32le' },
  flags: { at: 4, type: 'u32le' },
  op_size: { at: 8, type: 'u32le' },
  reserved1: { at: 12, type: 'u32le' },
});

/** struct fwctl_rpc_cxl_out, header group `fwctl_rpc_cxl_out_hdr` (8 bytes). */
export const RpcOutHeader = defineStruct('fwctl_rpc_cxl_out_hdr', 8, {
  size: { at: 0, type: 'u32le' },
  retval: { at: 4, type: 'u32le' },
});

/** struct cxl_mbox_get_sup_feats_in (8 bytes, packed). */
export const GetSupFeatsIn = defineStruct('cxl_mbox_get_sup_feats_in', 8, {
  count: { at: 0, type: 'u32le' },
  start_idx: { at: 4, type: 'u16le' },
});

/** struct cxl_mbox_get_sup_feats_out header (8 bytes), followed by cxl_feat_entry[num_entries]. */
export const GetSupFeatsOutHeader = defineStruct('cxl_mbox_get_sup_feats_out_hdr', 8, {
  num_entries: { at: 0, type: 'u16le' },
  supported_feats: { at: 2, type: 'u16le' },
});

/** struct cxl_feat_entry (48 bytes, packed; CXL r3.2 Table 8-109). */
export const FeatEntry = defineStruct('cxl_feat_entry', 48, {
  uuid: { at: 0, type: 'bytes', length: 16 },
  id: { at: 16, type: 'u16le' },
  get_feat_size: { at: 18, type: 'u16le' },
  set_feat_size: { at: 20, type: 'u16le' },
  flags: { at: 22, type: 'u32le' },
  get_feat_ver: { at: 26, type: 'u8' },
  set_feat_ver: { at: 27, type: 'u8' },
  effects: { at: 28, type: 'u16le' },
});

/** struct cxl_mbox_get_feat_in (21 bytes, packed; CXL r3.2 Table 8-99). */
export const GetFeatIn = defineStruct('cxl_mbox_get_feat_in', 21, {
  uuid: { at: 0, type: 'bytes', length: 16 },
  offset: { at: 16, type: 'u16le' },
  count: { at: 18, type: 'u16le' },
  selection: { at: 20, type: 'u8' },
});

/** struct cxl_mbox_set_feat_in header group `cxl_mbox_set_feat_hdr` (32 bytes), then feat_data[]. */
export const SetFeatInHeader = defineStruct('cxl_mbox_set_feat_hdr', 32, {
  uuid: { at: 0, type: 'bytes', length: 16 },
  flags: { at: 16, type: 'u32le' },
  offset: { at: 20, type: 'u16le' },
  version: { at: 22, type: 'u8' },
});

/** @flags of struct cxl_feat_entry. Bits 3:1 are the spec's "Deepest Reset Persistence". */
export const FeatFlag = {
  CHANGEABLE: 1 << 0,
  RESET_PERSISTENCE_MASK: 0x7 << 1,
  PERSIST_FW_UPDATE: 1 << 4,
  DEFAULT_SEL: 1 << 5,
  SAVED_SEL: 1 << 6,
} as const;

/** Deepest Reset Persistence values (CXL r3.2 Table 8-109, flags bits 3:1). */
export const RESET_PERSISTENCE = ['none', 'cxl-reset', 'hot-reset', 'warm-reset', 'cold-reset'] as const;

/** enum cxl_get_feat_selection. */
export const Selection = { current: 0, default: 1, saved: 2 } as const;
export type SelectionName = keyof typeof Selection;

/** enum cxl_set_feat_flag_data_transfer (Set Feature flags bits 2:0) and the saved bit. */
export const Transfer = { FULL: 0, INITIATE: 1, CONTINUE: 2, FINISH: 3, ABORT: 4 } as const;
export const SET_FEAT_TRANSFER_MASK = 0x7;
export const SET_FEAT_SAVED_ACROSS_RESET = 1 << 3;
