/**
 * HWRM wire structs, offsets from include/linux/bnxt/hsi.h (the `(size:…)`
 * comment above each struct is its size). Everything is little-endian.
 */
import { defineStruct } from 'accelctl/sdk';

/** `struct input` / `hwrm_cmd_hdr` (16 B): the header of every request. */
export const HwrmInput = defineStruct('hwrm_input', 16, {
  req_type: { at: 0, type: 'u16le' },
  cmpl_ring: { at: 2, type: 'u16le' },
  seq_id: { at: 4, type: 'u16le' },
  target_id: { at: 6, type: 'u16le' },
  resp_addr: { at: 8, type: 'u64le' },
});

/** `struct output` / `hwrm_resp_hdr` (8 B): the header of every response. */
export const HwrmOutput = defineStruct('hwrm_output', 8, {
  error_code: { at: 0, type: 'u16le' },
  req_type: { at: 2, type: 'u16le' },
  seq_id: { at: 4, type: 'u16le' },
  resp_len: { at: 6, type: 'u16le' },
});

/** `struct hwrm_err_output` (16 B): what firmware answers on error; cmd_err is command specific. */
export const HwrmErrOutput = defineStruct('hwrm_err_output', 16, {
  opaque_0: { at: 8, type: 'u32le' },
  opaque_1: { at: 12, type: 'u16le' },
  cmd_err: { at: 14, type: 'u8' },
  valid: { at: 15, type: 'u8' },
});

/** hwrm_ver_get_input (192b/24B). */
export const VerGetInput = defineStruct('hwrm_ver_get_input', 24, {
  hwrm_intf_maj: { at: 16, type: 'u8' },
  hwrm_intf_min: { at: 17, type: 'u8' },
  hwrm_intf_upd: { at: 18, type: 'u8' },
});

/** hwrm_ver_get_output (1408b/176B). */
export const VerGetOutput = defineStruct('hwrm_ver_get_output', 176, {
  hwrm_intf_maj_8b: { at: 8, type: 'u8' },
  hwrm_intf_min_8b: { at: 9, type: 'u8' },
  hwrm_intf_upd_8b: { at: 10, type: 'u8' },
  hwrm_intf_rsvd_8b: { at: 11, type: 'u8' },
  hwrm_fw_maj_8b: { at: 12, type: 'u8' },
  hwrm_fw_min_8b: { at: 13, type: 'u8' },
  hwrm_fw_bld_8b: { at: 14, type: 'u8' },
  hwrm_fw_rsvd_8b: { at: 15, type: 'u8' },
  mgmt_fw_maj_8b: { at: 16, type: 'u8' },
  mgmt_fw_min_8b: { at: 17, type: 'u8' },
  mgmt_fw_bld_8b: { at: 18, type: 'u8' },
  mgmt_fw_rsvd_8b: { at: 19, type: 'u8' },
  netctrl_fw_maj_8b: { at: 20, type: 'u8' },
  netctrl_fw_min_8b: { at: 21, type: 'u8' },
  netctrl_fw_bld_8b: { at: 22, type: 'u8' },
  netctrl_fw_rsvd_8b: { at: 23, type: 'u8' },
  dev_caps_cfg: { at: 24, type: 'u32le' },
  roce_fw_maj_8b: { at: 28, type: 'u8' },
  roce_fw_min_8b: { at: 29, type: 'u8' },
  roce_fw_bld_8b: { at: 30, type: 'u8' },
  roce_fw_rsvd_8b: { at: 31, type: 'u8' },
  hwrm_fw_name: { at: 32, type: 'string', length: 16 },
  mgmt_fw_name: { at: 48, type: 'string', length: 16 },
  netctrl_fw_name: { at: 64, type: 'string', length: 16 },
  active_pkg_name: { at: 80, type: 'string', length: 16 },
  roce_fw_name: { at: 96, type: 'string', length: 16 },
  chip_num: { at: 112, type: 'u16le' },
  chip_rev: { at: 114, type: 'u8' },
  chip_metal: { at: 115, type: 'u8' },
  chip_bond_id: { at: 116, type: 'u8' },
  chip_platform_type: { at: 117, type: 'u8' },
  max_req_win_len: { at: 118, type: 'u16le' },
  max_resp_len: { at: 120, type: 'u16le' },
  def_req_timeout: { at: 122, type: 'u16le' },
  flags: { at: 124, type: 'u8' },
  always_1: { at: 127, type: 'u8' },
  hwrm_intf_major: { at: 128, type: 'u16le' },
  hwrm_intf_minor: { at: 130, type: 'u16le' },
  hwrm_intf_build: { at: 132, type: 'u16le' },
  hwrm_intf_patch: { at: 134, type: 'u16le' },
  hwrm_fw_major: { at: 136, type: 'u16le' },
  hwrm_fw_minor: { at: 138, type: 'u16le' },
  hwrm_fw_build: { at: 140, type: 'u16le' },
  hwrm_fw_patch: { at: 142, type: 'u16le' },
  mgmt_fw_major: { at: 144, type: 'u16le' },
  mgmt_fw_minor: { at: 146, type: 'u16le' },
  mgmt_fw_build: { at: 148, type: 'u16le' },
  mgmt_fw_patch: { at: 150, type: 'u16le' },
  netctrl_fw_major: { at: 152, type: 'u16le' },
  netctrl_fw_minor: { at: 154, type: 'u16le' },
  netctrl_fw_build: { at: 156, type: 'u16le' },
  netctrl_fw_patch: { at: 158, type: 'u16le' },
  roce_fw_major: { at: 160, type: 'u16le' },
  roce_fw_minor: { at: 162, type: 'u16le' },
  roce_fw_build: { at: 164, type: 'u16le' },
  roce_fw_patch: { at: 166, type: 'u16le' },
  max_ext_req_len: { at: 168, type: 'u16le' },
  max_req_timeout: { at: 170, type: 'u16le' },
  valid: { at: 175, type: 'u8' },
});

/** hwrm_func_qcaps_input (192b/24B); fid 0xffff means "this function". */
export const FuncQcapsInput = defineStruct('hwrm_func_qcaps_input', 24, {
  fid: { at: 16, type: 'u16le' },
});

/**
 * hwrm_func_qcaps_output, the part every HSI 1.10.x firmware returns (up to and
 * including flags_ext2, 92 B). Newer fields are read from FuncQcapsOutputExt when
 * resp_len covers them.
 */
export const FuncQcapsOutput = defineStruct('hwrm_func_qcaps_output', 92, {
  fid: { at: 8, type: 'u16le' },
  port_id: { at: 10, type: 'u16le' },
  flags: { at: 12, type: 'u32le' },
  mac_address: { at: 16, type: 'bytes', length: 6 },
  max_rsscos_ctx: { at: 22, type: 'u16le' },
  max_cmpl_rings: { at: 24, type: 'u16le' },
  max_tx_rings: { at: 26, type: 'u16le' },
  max_rx_rings: { at: 28, type: 'u16le' },
  max_l2_ctxs: { at: 30, type: 'u16le' },
  max_vnics: { at: 32, type: 'u16le' },
  first_vf_id: { at: 34, type: 'u16le' },
  max_vfs: { at: 36, type: 'u16le' },
  max_stat_ctx: { at: 38, type: 'u16le' },
  max_encap_records: { at: 40, type: 'u32le' },
  max_decap_records: { at: 44, type: 'u32le' },
  max_tx_em_flows: { at: 48, type: 'u32le' },
  max_tx_wm_flows: { at: 52, type: 'u32le' },
  max_rx_em_flows: { at: 56, type: 'u32le' },
  max_rx_wm_flows: { at: 60, type: 'u32le' },
  max_mcast_filters: { at: 64, type: 'u32le' },
  max_flow_id: { at: 68, type: 'u32le' },
  max_hw_ring_grps: { at: 72, type: 'u32le' },
  max_sp_tx_rings: { at: 76, type: 'u16le' },
  max_msix_vfs: { at: 78, type: 'u16le' },
  flags_ext: { at: 80, type: 'u32le' },
  max_schqs: { at: 84, type: 'u8' },
  mpc_chnls_cap: { at: 85, type: 'u8' },
  max_key_ctxs_alloc: { at: 86, type: 'u16le' },
  flags_ext2: { at: 88, type: 'u32le' },
});

/** The full mainline hwrm_func_qcaps_output (HSI 1.10.3, 1152b/144B). */
export const FuncQcapsOutputExt = defineStruct('hwrm_func_qcaps_output_ext', 144, {
  tunnel_disable_flag: { at: 92, type: 'u16le' },
  xid_partition_cap: { at: 94, type: 'u16le' },
  device_serial_number: { at: 96, type: 'bytes', length: 8 },
  ctxs_per_partition: { at: 104, type: 'u16le' },
  max_tso_segs: { at: 106, type: 'u16le' },
  roce_vf_max_av: { at: 108, type: 'u32le' },
  roce_vf_max_cq: { at: 112, type: 'u32le' },
  roce_vf_max_mrw: { at: 116, type: 'u32le' },
  roce_vf_max_qp: { at: 120, type: 'u32le' },
  roce_vf_max_srq: { at: 124, type: 'u32le' },
  roce_vf_max_gid: { at: 128, type: 'u32le' },
  flags_ext3: { at: 132, type: 'u32le' },
  max_roce_vfs: { at: 136, type: 'u16le' },
  max_crypto_rx_flow_filters: { at: 138, type: 'u16le' },
  valid: { at: 143, type: 'u8' },
});

/** hwrm_temp_monitor_query_input is the bare 16-byte header. */
export const TempMonitorQueryOutput = defineStruct('hwrm_temp_monitor_query_output', 24, {
  temp: { at: 8, type: 'u8' },
  phy_temp: { at: 9, type: 'u8' },
  om_temp: { at: 10, type: 'u8' },
  flags: { at: 11, type: 'u8' },
  temp2: { at: 12, type: 'u8' },
  phy_temp2: { at: 13, type: 'u8' },
  om_temp2: { at: 14, type: 'u8' },
  warn_threshold: { at: 15, type: 'u8' },
  critical_threshold: { at: 16, type: 'u8' },
  fatal_threshold: { at: 17, type: 'u8' },
  shutdown_threshold: { at: 18, type: 'u8' },
  valid: { at: 23, type: 'u8' },
});

/** hwrm_fw_health_check_input is the bare 16-byte header. */
export const FwHealthCheckOutput = defineStruct('hwrm_fw_health_check_output', 16, {
  fw_status: { at: 8, type: 'u32le' },
  valid: { at: 15, type: 'u8' },
});

/** hwrm_func_reset_input (192b/24B). */
export const FuncResetInput = defineStruct('hwrm_func_reset_input', 24, {
  enables: { at: 16, type: 'u32le' },
  vf_id: { at: 20, type: 'u16le' },
  func_reset_level: { at: 22, type: 'u8' },
});

/** hwrm_func_reset_output (128b/16B): header, 7 unused bytes, valid. */
export const FuncResetOutput = defineStruct('hwrm_func_reset_output', 16, {
  valid: { at: 15, type: 'u8' },
});

/** hwrm_nvm_factory_defaults_input (192b/24B). */
export const NvmFactoryDefaultsInput = defineStruct('hwrm_nvm_factory_defaults_input', 24, {
  mode: { at: 16, type: 'u8' },
  selection: { at: 18, type: 'u16le' },
});

/** hwrm_nvm_factory_defaults_output (128b/16B). */
export const NvmFactoryDefaultsOutput = defineStruct('hwrm_nvm_factory_defaults_output', 16, {
  result: { at: 8, type: 'u8' },
  valid: { at: 15, type: 'u8' },
});

/** Bit and enum values used by the decoders (hsi.h #defines next to each field). */
export const VER_GET_DEV_CAPS: readonly (readonly [number, string])[] = [
  [0x1, 'secure_fw_upd_supported'],
  [0x2, 'fw_dcbx_agent_supported'],
  [0x4, 'short_cmd_supported'],
  [0x8, 'short_cmd_required'],
  [0x10, 'kong_mb_chnl_supported'],
  [0x20, 'flow_handle_64bit_supported'],
  [0x40, 'l2_filter_types_roce_or_l2_supported'],
  [0x80, 'virtio_vswitch_offload_supported'],
  [0x100, 'trusted_vf_supported'],
  [0x200, 'flow_aging_supported'],
  [0x400, 'adv_flow_counters_supported'],
  [0x800, 'cfa_eem_supported'],
  [0x1000, 'cfa_adv_flow_mgnt_supported'],
  [0x2000, 'cfa_tflib_supported'],
  [0x4000, 'cfa_truflow_supported'],
  [0x8000, 'secure_boot_capable'],
  [0x10000, 'secure_soc_capable'],
  [0x20000, 'debug_token_supported'],
];

export const VER_GET_FLAGS: readonly (readonly [number, string])[] = [
  [0x1, 'dev_not_rdy'],
  [0x2, 'ext_ver_avail'],
  [0x4, 'dev_not_rdy_backing_store'],
];

export const CHIP_PLATFORM_TYPES = ['asic', 'fpga', 'palladium'] as const;

export const FUNC_QCAPS_FLAGS: readonly (readonly [number, string])[] = [
  [0x1, 'push_mode_supported'],
  [0x2, 'global_msix_automasking'],
  [0x4, 'ptp_supported'],
  [0x8, 'roce_v1_supported'],
  [0x10, 'roce_v2_supported'],
  [0x20, 'wol_magicpkt_supported'],
  [0x40, 'wol_bmp_supported'],
  [0x80, 'tx_ring_rl_supported'],
  [0x100, 'tx_bw_cfg_supported'],
  [0x200, 'vf_tx_ring_rl_supported'],
  [0x400, 'vf_bw_cfg_supported'],
  [0x800, 'std_tx_ring_mode_supported'],
  [0x1000, 'geneve_tun_flags_supported'],
  [0x2000, 'nvgre_tun_flags_supported'],
  [0x4000, 'gre_tun_flags_supported'],
  [0x8000, 'mpls_tun_flags_supported'],
  [0x10000, 'pcie_stats_supported'],
  [0x20000, 'adopted_pf_supported'],
  [0x40000, 'admin_pf_supported'],
  [0x80000, 'link_admin_status_supported'],
  [0x100000, 'wcb_push_mode'],
  [0x200000, 'dynamic_tx_ring_alloc'],
  [0x400000, 'hot_reset_capable'],
  [0x800000, 'error_recovery_capable'],
  [0x1000000, 'ext_stats_supported'],
  [0x2000000, 'err_recover_reload'],
  [0x4000000, 'notify_vf_def_vnic_chng_supported'],
  [0x8000000, 'vlan_acceleration_tx_disabled'],
  [0x10000000, 'coredump_cmd_supported'],
  [0x20000000, 'crashdump_cmd_supported'],
  [0x40000000, 'pfc_wd_stats_supported'],
  [0x80000000, 'dbg_qcaps_cmd_supported'],
];

export const TEMP_FLAGS = {
  TEMP_NOT_AVAILABLE: 0x1,
  PHY_TEMP_NOT_AVAILABLE: 0x2,
  OM_NOT_PRESENT: 0x4,
  OM_TEMP_NOT_AVAILABLE: 0x8,
  EXT_TEMP_FIELDS_AVAILABLE: 0x10,
  THRESHOLD_VALUES_AVAILABLE: 0x20,
} as const;

export const FW_STATUS_BITS: readonly (readonly [number, string])[] = [
  [0x1, 'sbi_booted'],
  [0x2, 'sbi_mismatch'],
  [0x4, 'srt_booted'],
  [0x8, 'srt_mismatch'],
  [0x10, 'crt_booted'],
  [0x20, 'crt_mismatch'],
  [0x40, 'second_rt'],
  [0x80, 'fastbooted'],
  [0x100, 'dir_hdr_booted'],
  [0x200, 'dir_hdr_mismatch'],
  [0x400, 'mbr_corrupt'],
  [0x800, 'cfg_mismatch'],
  [0x1000, 'fru_mismatch'],
];

/** func_reset_level values. */
export const FUNC_RESET_LEVELS = ['resetall', 'resetme', 'resetchildren', 'resetvf'] as const;
export const FUNC_RESET_ENABLES_VF_ID_VALID = 0x1;

/** nvm_factory_defaults mode / selection / result. */
export const NVM_FACTORY_MODE = { restore: 0, create: 1 } as const;
export const NVM_FACTORY_SELECTION = { cfg_option: 0x1, crashdump: 0x2 } as const;
export const NVM_FACTORY_RESULTS = ['create_ok', 'restore_ok', 'create_already'] as const;
export const NVM_FACTORY_CMD_ERR = ['unknown', 'no_valid_cfg', 'no_saved_cfg'] as const;
