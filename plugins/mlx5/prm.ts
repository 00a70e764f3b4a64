/**
 * PRM ("Programmer's Reference Manual") layouts, written with the SDK's PRM bit
 * fields: `{ bit, width }` counts from the most significant bit of big-endian
 * dword 0, exactly like the kernel's MLX5_GET()/MLX5_SET() on a
 * `struct mlx5_ifc_<name>_bits`. Each struct names where its layout comes from.
 */
import { defineStruct } from 'accelctl/sdk';

/** Every mailbox in/out starts with a 16-byte header (mbox_in_hdr / mbox_out_hdr). */
export const MBOX_HEADER_SIZE = 16;

/** drivers/fwctl/mlx5/main.c `struct mlx5_ifc_mbox_in_hdr_bits`. */
export const MboxIn = defineStruct('mbox_in_hdr', 16, {
  opcode: { bit: 0x00, width: 16 },
  /** Overwritten by the kernel with the FD's user context id. */
  uid: { bit: 0x10, width: 16 },
  op_mod: { bit: 0x30, width: 16 },
});

/** drivers/fwctl/mlx5/main.c `struct mlx5_ifc_mbox_out_hdr_bits`. */
export const MboxOut = defineStruct('mbox_out_hdr', 16, {
  status: { bit: 0x00, width: 8 },
  syndrome: { bit: 0x20, width: 32 },
});

/** mlx5_ifc.h `query_hca_cap_in`. op_mod = (capability type << 1) | current. */
export const QueryHcaCapIn = defineStruct('query_hca_cap_in', 16, {
  opcode: { bit: 0x00, width: 16 },
  op_mod: { bit: 0x30, width: 16 },
  other_function: { bit: 0x40, width: 1 },
  function_id: { bit: 0x50, width: 16 },
});

/** `query_hca_cap_out`: header + `union hca_cap_union` (0x8000 bits = 4 KiB). */
export const HCA_CAP_UNION_SIZE = 0x1000;
export const QUERY_HCA_CAP_OUT_SIZE = MBOX_HEADER_SIZE + HCA_CAP_UNION_SIZE; // 0x1010

/** Capability types (include/linux/mlx5/device.h `enum mlx5_cap_type`). */
export const CAP_TYPE_GENERAL = 0;
/** enum mlx5_cap_mode. */
export const HCA_CAP_OPMOD_GET_MAX = 0;
export const HCA_CAP_OPMOD_GET_CUR = 1;

/**
 * mlx5_ifc.h `struct mlx5_ifc_cmd_hca_cap_bits` (0x800 bits = 256 bytes), the
 * general device capabilities. Only the fields accelctl shows; offsets are the
 * kernel's. `num_of_diagnostic_counters` is reserved (reserved_at_280) in the
 * kernel header; its offset is from saeedtx/mlx5ctl mlx5_ifc.h (the mlx5ctl
 * reference tool's copy of the PRM).
 */
export const CmdHcaCap = defineStruct('cmd_hca_cap', 256, {
  hca_cap_2: { bit: 32, width: 1 },
  vhca_id: { bit: 48, width: 16 },
  log_max_srq_sz: { bit: 128, width: 8 },
  log_max_qp_sz: { bit: 136, width: 8 },
  log_max_qp: { bit: 155, width: 5 },
  log_max_srq: { bit: 171, width: 5 },
  log_max_cq_sz: { bit: 200, width: 8 },
  log_max_cq: { bit: 219, width: 5 },
  log_max_eq_sz: { bit: 224, width: 8 },
  log_max_mkey: { bit: 234, width: 6 },
  log_max_eq: { bit: 252, width: 4 },
  max_indirection: { bit: 256, width: 8 },
  log_max_mrw_sz: { bit: 265, width: 7 },
  log_max_klm_list_size: { bit: 282, width: 6 },
  qcam_reg: { bit: 367, width: 1 },
  gid_table_size: { bit: 368, width: 16 },
  debug: { bit: 387, width: 1 },
  pkey_table_size: { bit: 400, width: 16 },
  vport_group_manager: { bit: 416, width: 1 },
  ib_virt: { bit: 418, width: 1 },
  eth_virt: { bit: 419, width: 1 },
  ets: { bit: 421, width: 1 },
  nic_flow_table: { bit: 422, width: 1 },
  eswitch_manager: { bit: 423, width: 1 },
  mcam_reg: { bit: 425, width: 1 },
  pcam_reg: { bit: 426, width: 1 },
  port_type: { bit: 438, width: 2 },
  num_ports: { bit: 440, width: 8 },
  log_max_msg: { bit: 451, width: 5 },
  max_tc: { bit: 460, width: 4 },
  temp_warn_event: { bit: 464, width: 1 },
  dcbx: { bit: 465, width: 1 },
  cqe_version: { bit: 508, width: 4 },
  dct: { bit: 538, width: 1 },
  qos: { bit: 539, width: 1 },
  eth_net_offloads: { bit: 540, width: 1 },
  roce: { bit: 541, width: 1 },
  log_pg_sz: { bit: 600, width: 8 },
  num_of_diagnostic_counters: { bit: 640, width: 16 },
  log_max_mcg: { bit: 792, width: 8 },
  log_max_transport_domain: { bit: 803, width: 5 },
  log_max_pd: { bit: 811, width: 5 },
  log_max_xrcd: { bit: 827, width: 5 },
  log_max_rq: { bit: 867, width: 5 },
  log_max_sq: { bit: 875, width: 5 },
  log_max_tir: { bit: 883, width: 5 },
  log_max_tis: { bit: 891, width: 5 },
  log_max_rmp: { bit: 899, width: 5 },
  log_max_rqt: { bit: 907, width: 5 },
  log_max_vlan_list: { bit: 1003, width: 5 },
  log_max_current_mc_list: { bit: 1011, width: 5 },
  log_max_current_uc_list: { bit: 1019, width: 5 },
  log_max_uctx: { bit: 1123, width: 5 },
  log_max_umem: { bit: 1131, width: 5 },
  max_num_eqs: { bit: 1136, width: 16 },
  log_uar_page_sz: { bit: 1168, width: 16 },
  device_frequency_mhz: { bit: 1216, width: 32 },
  device_frequency_khz: { bit: 1248, width: 32 },
  native_port_num: { bit: 1544, width: 8 },
  num_vhca_ports: { bit: 1552, width: 8 },
  max_num_sf: { bit: 1600, width: 16 },
  sf: { bit: 1664, width: 1 },
  log_max_sf: { bit: 1667, width: 5 },
  uctx_cap: { bit: 1696, width: 32 },
});

/** include/linux/mlx5/device.h: MLX5_CAP_PORT_TYPE_IB = 0, MLX5_CAP_PORT_TYPE_ETH = 1. */
export const PORT_TYPE_NAMES: Readonly<Record<number, string>> = { 0: 'ib', 1: 'ethernet' };

/** mlx5_ifc.h `query_adapter_out`: header + `query_adapter_param_block` (0x800 bits). */
export const QUERY_ADAPTER_OUT_SIZE = MBOX_HEADER_SIZE + 256;

/** mlx5_ifc.h `struct mlx5_ifc_query_adapter_param_block_bits`. */
export const QueryAdapterParamBlock = defineStruct('query_adapter_param_block', 256, {
  ieee_vendor_id: { bit: 0xc8, width: 24 },
  vsd_vendor_id: { bit: 0xf0, width: 16 },
  /** u8 vsd[208][0x8] at bit 0x100. */
  vsd: { at: 0x20, type: 'string', length: 208 },
  /** u8 vsd_contd_psid[16][0x8] at bit 0x780. */
  vsd_contd_psid: { at: 0xf0, type: 'string', length: 16 },
});

/** mlx5_ifc.h `access_register_in` (header part; register_data follows at byte 16). */
export const AccessRegisterIn = defineStruct('access_register_in', 16, {
  opcode: { bit: 0x00, width: 16 },
  op_mod: { bit: 0x30, width: 16 },
  register_id: { bit: 0x50, width: 16 },
  argument: { bit: 0x60, width: 32 },
});

/** ACCESS_REG op_mod: the kernel's mlx5_core_access_reg() uses `write ? 0 : 1`. */
export const ACCESS_REG_WRITE = 0;
export const ACCESS_REG_READ = 1;

/** mlx5_ifc.h `struct mlx5_ifc_paos_reg_bits` (0x80 bits). */
export const PaosReg = defineStruct('paos_reg', 16, {
  swid: { bit: 0x00, width: 8 },
  local_port: { bit: 0x08, width: 8 },
  admin_status: { bit: 0x14, width: 4 },
  oper_status: { bit: 0x1c, width: 4 },
  ase: { bit: 0x20, width: 1 },
  ee: { bit: 0x21, width: 1 },
  e: { bit: 0x3e, width: 2 },
});

/** include/linux/mlx5/port.h `enum mlx5_port_status`; 4 is "down by port failure" (PRM). */
export const PORT_STATUS_NAMES: Readonly<Record<number, string>> = { 1: 'up', 2: 'down', 4: 'down_by_failure' };
export const PORT_UP = 1;
export const PORT_DOWN = 2;

/** mlx5_ifc.h `struct mlx5_ifc_ptys_reg_bits` (0x200 bits). */
export const PtysReg = defineStruct('ptys_reg', 64, {
  an_disable_admin: { bit: 0x01, width: 1 },
  an_disable_cap: { bit: 0x02, width: 1 },
  local_port: { bit: 0x08, width: 8 },
  plane_ind: { bit: 0x18, width: 4 },
  proto_mask: { bit: 0x1d, width: 3 },
  an_status: { bit: 0x20, width: 4 },
  data_rate_oper: { bit: 0x30, width: 16 },
  ext_eth_proto_capability: { bit: 0x40, width: 32 },
  eth_proto_capability: { bit: 0x60, width: 32 },
  ib_link_width_capability: { bit: 0x80, width: 16 },
  ib_proto_capability: { bit: 0x90, width: 16 },
  ext_eth_proto_admin: { bit: 0xa0, width: 32 },
  eth_proto_admin: { bit: 0xc0, width: 32 },
  ib_link_width_admin: { bit: 0xe0, width: 16 },
  ib_proto_admin: { bit: 0xf0, width: 16 },
  ext_eth_proto_oper: { bit: 0x100, width: 32 },
  eth_proto_oper: { bit: 0x120, width: 32 },
  ib_link_width_oper: { bit: 0x140, width: 16 },
  ib_proto_oper: { bit: 0x150, width: 16 },
  lane_rate_oper: { bit: 0x168, width: 20 },
  connector_type: { bit: 0x17c, width: 4 },
  eth_proto_lp_advertise: { bit: 0x180, width: 32 },
});

/** PTYS proto_mask (drivers: MLX5_PTYS_IB = 1 << 0, MLX5_PTYS_EN = 1 << 2). */
export const PTYS_PROTO_IB = 1 << 0;
export const PTYS_PROTO_EN = 1 << 2;

/**
 * MGIR (Management General Information Register, 0x9020): not in the kernel's
 * mlx5_ifc.h. Layout from Mellanox/mstflint `reg_access_hca_mgir` (160 bytes:
 * hw_info @0x00, fw_info @0x20, sw_info @0x60, dev_info @0x80), converted from
 * mstflint's LSB-first "dword.bit" notation to PRM MSB-first bit offsets.
 */
export const MgirReg = defineStruct('mgir', 160, {
  // hardware_info (0x00): dword0 = device_hw_revision[31:16] | device_id[15:0]
  device_hw_revision: { bit: 0x00, width: 16 },
  device_id: { bit: 0x10, width: 16 },
  num_ports: { bit: 0x28, width: 8 },
  technology: { bit: 0x30, width: 5 },
  pvs: { bit: 0x3b, width: 5 },
  hw_dev_id: { bit: 0x50, width: 16 },
  manufacturing_base_mac_47_32: { bit: 0x90, width: 16 },
  manufacturing_base_mac_31_0: { bit: 0xa0, width: 32 },
  uptime: { bit: 0xe0, width: 32 },
  // fw_info (0x20): dword0 = dev[27] debug[26] signed_fw[25] secured[24] major[23:16] minor[15:8] sub_minor[7:0]
  fw_dev: { bit: 0x104, width: 1 },
  fw_debug: { bit: 0x105, width: 1 },
  fw_signed: { bit: 0x106, width: 1 },
  fw_secured: { bit: 0x107, width: 1 },
  fw_major: { bit: 0x108, width: 8 },
  fw_minor: { bit: 0x110, width: 8 },
  fw_sub_minor: { bit: 0x118, width: 8 },
  fw_build_id: { bit: 0x120, width: 32 },
  fw_month: { bit: 0x140, width: 8 },
  fw_day: { bit: 0x148, width: 8 },
  fw_year: { bit: 0x150, width: 16 },
  fw_hour: { bit: 0x170, width: 16 },
  fw_psid: { at: 0x30, type: 'string', length: 16 },
  fw_ini_file_version: { bit: 0x200, width: 32 },
  fw_extended_major: { bit: 0x220, width: 32 },
  fw_extended_minor: { bit: 0x240, width: 32 },
  fw_extended_sub_minor: { bit: 0x260, width: 32 },
  // sw_info (0x60): oldest compatible driver version
  sw_major: { bit: 0x308, width: 8 },
  sw_minor: { bit: 0x310, width: 8 },
  sw_sub_minor: { bit: 0x318, width: 8 },
});

/** mlx5_ifc.h `struct mlx5_ifc_mcam_reg_bits` (0x240 bits). */
export const McamReg = defineStruct('mcam_reg', 72, {
  feature_group: { bit: 0x08, width: 8 },
  access_reg_group: { bit: 0x18, width: 8 },
  /** 128-bit mask: bit (127 - k) set = register (0x9000 + 0x80 * group + k) supported. */
  mng_access_reg_cap_mask: { at: 0x08, type: 'bytes', length: 16 },
  mng_feature_cap_mask: { at: 0x28, type: 'bytes', length: 16 },
});

/**
 * Diagnostic counters. These layouts are not in the kernel's mlx5_ifc.h; they
 * come from saeedtx/mlx5ctl diag_cnt.c (the NVIDIA mlx5ctl reference tool) and
 * FreeBSD sys/dev/mlx5/mlx5_ifc.h, which agree.
 *
 * `diagnostic_params_context`: 0xc0 bits, then counter_id[] (one dword each).
 */
export const DiagParamsContext = defineStruct('diagnostic_params_context', 24, {
  num_of_counters: { bit: 0x00, width: 16 },
  log_num_of_samples: { bit: 0x18, width: 8 },
  single: { bit: 0x20, width: 1 },
  repetitive: { bit: 0x21, width: 1 },
  sync: { bit: 0x22, width: 1 },
  clear: { bit: 0x23, width: 1 },
  on_demand: { bit: 0x24, width: 1 },
  enable: { bit: 0x25, width: 1 },
  log_sample_period: { bit: 0x38, width: 8 },
});

/** `struct mlx5_ifc_counter_id_bits`. */
export const CounterId = defineStruct('counter_id', 4, {
  counter_id: { bit: 0x10, width: 16 },
});

/**
 * query_diagnostic_params_out / set_diagnostic_params_in: an 8-byte header
 * (no reserved_at_40 quadword) and the context right after it, at byte 8.
 */
export const DIAG_CONTEXT_OFFSET = 8;

/** `query_diagnostic_cntrs_in`. */
export const QueryDiagCountersIn = defineStruct('query_diagnostic_cntrs_in', 16, {
  opcode: { bit: 0x00, width: 16 },
  op_mod: { bit: 0x30, width: 16 },
  num_of_samples: { bit: 0x40, width: 16 },
  sample_index: { bit: 0x50, width: 16 },
});

/** `struct mlx5_ifc_diagnostic_cntr_struct_bits`, 16 bytes each from byte 16 of the out. */
export const DiagCounterSample = defineStruct('diagnostic_cntr_struct', 16, {
  counter_id: { bit: 0x00, width: 16 },
  sample_id: { bit: 0x10, width: 16 },
  time_stamp_31_0: { bit: 0x20, width: 32 },
  counter_value: { bit: 0x40, width: 64 },
});

/** fwctl uAPI include/uapi/fwctl/mlx5.h `struct fwctl_info_mlx5` (host endian = LE here). */
export const FwctlInfoMlx5 = defineStruct('fwctl_info_mlx5', 8, {
  uid: { at: 0, type: 'u32le' },
  uctx_caps: { at: 4, type: 'u32le' },
});

/**
 * uctx capability bits: MLX5_UCTX_CAP_* (mlx5_ifc.h) and
 * MLX5_UCTX_OBJECT_CAP_TOOLS_RESOURCES = 0x4 (drivers/fwctl/mlx5/main.c, the
 * only bit the fwctl driver ever requests).
 */
export const UCTX_CAP_BITS: readonly (readonly [bit: number, name: string])[] = [
  [0x1, 'RAW_TX'],
  [0x2, 'INTERNAL_DEV_RES'],
  [0x4, 'TOOLS_RESOURCES'],
  [0x8, 'RDMA_CTRL'],
  [0x10, 'RDMA_CTRL_OTHER_VHCA'],
];
export const UCTX_CAP_TOOLS_RESOURCES = 0x4;

export function uctxCapNames(caps: number): string[] {
  const names = UCTX_CAP_BITS.filter(([bit]) => (caps & bit) !== 0).map(([, name]) => name);
  const known = UCTX_CAP_BITS.reduce((mask, [bit]) => mask | bit, 0);
  const unknown = (caps & ~known) >>> 0;
  if (unknown) names.push(`0x${unknown.toString(16)}`);
  return names;
}
