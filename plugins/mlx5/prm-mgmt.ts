/**
 * Management access registers behind the capabilities (config, reset, firmware,
 * health, metrics). All are read/written with ACCESS_REG; offsets are PRM
 * MSB-first bits as in the kernel's `struct mlx5_ifc_<name>_bits`.
 *
 * Sources, per struct:
 *  - MNVDA / NV TLVs: drivers/net/ethernet/mellanox/mlx5/core/lib/nv_param.c
 *    (`config_item`, `mnvda_reg`, `nv_global_pci_conf`, `nv_global_pci_cap`,
 *    `nv_sw_offload_conf`, `nv_sw_accelerate_conf`, `nv_keep_link_up`); the
 *    access_mode values (0 next, 1 current, 2 default) from mstflint's
 *    `tools_open_nv_hdr_fifth_gen` (read_current = bit 9, default = bit 8);
 *    `nv_vpi_link_conf` from mstflint `tools_open_vpi_settings` (per-port TLV 0x12).
 *  - MFRL, MCQS, MCQI, MCC, MCDA, PPCNT: include/linux/mlx5/mlx5_ifc.h.
 *  - MTMP: include/linux/mlx5/mlx5_ifc.h `mtmp_reg` (added with mlx5 hwmon).
 */
import { defineStruct } from 'accelctl/sdk';

/** include/linux/mlx5/driver.h MLX5_REG_* (MNVDA from nv_param.c / mstflint REG_ID_MNVDA). */
export const REG = {
  PPCNT: 0x5008,
  MTMP: 0x900a,
  MNVDA: 0x9024,
  MFRL: 0x9028,
  MCQS: 0x9060,
  MCQI: 0x9061,
  MCC: 0x9062,
  MCDA: 0x9063,
} as const;

// ---------------------------------------------------------------- MNVDA (non-volatile configuration)

/** `config_item` header (nv_param.c): 12 bytes, then configuration_item_data[64] dwords. */
export const ConfigItemHeader = defineStruct('config_item', 12, {
  valid: { bit: 0x00, width: 2 },
  priority: { bit: 0x02, width: 2 },
  header_type: { bit: 0x04, width: 2 },
  ovr_en: { bit: 0x06, width: 1 },
  rd_en: { bit: 0x07, width: 1 },
  /** mstflint: bit 8 = "default", bit 9 = "read_current" → 0 next boot, 1 current, 2 default. */
  access_mode: { bit: 0x08, width: 2 },
  writer_id: { bit: 0x0b, width: 5 },
  version: { bit: 0x10, width: 4 },
  host_id_valid: { bit: 0x16, width: 1 },
  length: { bit: 0x17, width: 9 },
  /** configuration_item_type_class_*: type_class[8] then the class's index fields. */
  type_class: { bit: 0x20, width: 8 },
  /** class 0 (global): parameter_index[0x18]. */
  global_parameter_index: { bit: 0x28, width: 24 },
  /** class 1 (physical port): port[8], parameter_index[0x10]. */
  port: { bit: 0x28, width: 8 },
  port_parameter_index: { bit: 0x30, width: 16 },
  crc16: { bit: 0x50, width: 16 },
});

export const MNVDA_HEADER_SIZE = 12;
export const MNVDA_DATA_SIZE = 256;
/** MLX5_ST_SZ_BYTES(mnvda_reg). */
export const MNVDA_SIZE = MNVDA_HEADER_SIZE + MNVDA_DATA_SIZE;

export const ACCESS_MODE = { NEXT: 0, CURRENT: 1, DEFAULT: 2 } as const;
/** mstflint WRITER_ID_ICMD_MLXCONFIG-style writer id for a host tool (accelctl). */
export const WRITER_ID_HOST_TOOL = 0x0f;

/** nv_param.c MLX5_CLASS_*_CTRL_ID_* and mstflint's per-port VPI TLV. */
export const TLV = {
  NV_GLOBAL_PCI_CONF: { typeClass: 0, index: 0x80 },
  NV_GLOBAL_PCI_CAP: { typeClass: 0, index: 0x81 },
  NV_SW_OFFLOAD_CONFIG: { typeClass: 0, index: 0x10a },
  NV_SW_ACCELERATE_CONF: { typeClass: 0, index: 0x11d },
  NV_VPI_LINK_CONF: { typeClass: 1, index: 0x12 },
  NV_KEEP_LINK_UP: { typeClass: 1, index: 0x190 },
} as const;

export type TlvName = keyof typeof TLV;

/** `nv_global_pci_conf` (0x60 bits). */
export const NvGlobalPciConf = defineStruct('nv_global_pci_conf', 12, {
  sriov_valid: { bit: 0x00, width: 1 },
  per_pf_total_vf: { bit: 0x11, width: 1 },
  sriov_en: { bit: 0x20, width: 1 },
  total_vfs: { bit: 0x30, width: 16 },
});

/** `nv_global_pci_cap` (0x80 bits). */
export const NvGlobalPciCap = defineStruct('nv_global_pci_cap', 16, {
  max_vfs_per_pf_valid: { bit: 0x00, width: 1 },
  per_pf_total_vf_supported: { bit: 0x14, width: 1 },
  sriov_support: { bit: 0x20, width: 1 },
  max_vfs_per_pf: { bit: 0x30, width: 16 },
});

/** `nv_sw_offload_conf` (0x40 bits), the fields accelctl offers. */
export const NvSwOffloadConf = defineStruct('nv_sw_offload_conf', 8, {
  ip_over_vxlan_port: { bit: 0x00, width: 16 },
  pci_atomic_mode: { bit: 0x11, width: 3 },
  ip_over_vxlan_en: { bit: 0x1a, width: 1 },
  cqe_compression: { bit: 0x1c, width: 3 },
});

/** `nv_sw_accelerate_conf` (0x40 bits). */
export const NvSwAccelerateConf = defineStruct('nv_sw_accelerate_conf', 8, {
  swp_l4_csum_mode: { bit: 0x00, width: 2 },
});

/** `nv_keep_link_up` (0x20 bits). */
export const NvKeepLinkUp = defineStruct('nv_keep_link_up', 4, {
  keep_ib_link_up: { bit: 0x1e, width: 1 },
  keep_eth_link_up: { bit: 0x1f, width: 1 },
});

/** mstflint `tools_open_vpi_settings`: network_link_type at 0x0.0-0x0.1 (MSB-first bit 30). */
export const NvVpiLinkConf = defineStruct('nv_vpi_link_conf', 4, {
  default_link_type: { bit: 0x1c, width: 2 },
  network_link_type: { bit: 0x1e, width: 2 },
});

// ---------------------------------------------------------------- MFRL (firmware reset level)

export const MfrlReg = defineStruct('mfrl_reg', 8, {
  pci_sync_for_fw_update_start: { bit: 0x22, width: 1 },
  pci_sync_for_fw_update_resp: { bit: 0x23, width: 2 },
  rst_type_sel: { bit: 0x25, width: 3 },
  reset_state: { bit: 0x2c, width: 4 },
  reset_type: { bit: 0x30, width: 8 },
  reset_level: { bit: 0x38, width: 8 },
});

/** MLX5_MFRL_REG_RESET_LEVEL*, MLX5_MFRL_REG_RESET_TYPE_*, MLX5_MFRL_REG_RESET_STATE_*. */
export const MFRL_LEVEL = { LEVEL0: 1 << 0, LEVEL3: 1 << 3, LEVEL6: 1 << 6 } as const;
export const MFRL_TYPE = { FULL_CHIP: 1 << 0, NET_PORT_ALIVE: 1 << 1 } as const;
export const MFRL_STATE_NAMES = ['idle', 'in_negotiation', 'reset_in_progress', 'timeout', 'nack'];

// ---------------------------------------------------------------- component update (MCQS/MCQI/MCC/MCDA)

export const McqsReg = defineStruct('mcqs_reg', 16, {
  last_index_flag: { bit: 0x00, width: 1 },
  fw_device: { bit: 0x08, width: 8 },
  component_index: { bit: 0x10, width: 16 },
  identifier: { bit: 0x30, width: 16 },
  component_status: { bit: 0x57, width: 5 },
  component_update_state: { bit: 0x5c, width: 4 },
  last_update_state_changer_type: { bit: 0x60, width: 4 },
  last_update_state_changer_host_id: { bit: 0x64, width: 4 },
});

/** mlx5 fw.c MCQS_IDENTIFIER_*. */
export const COMPONENT_IDS: Readonly<Record<number, string>> = {
  0x1: 'boot_img',
  0x4: 'oem_nvconfig',
  0x5: 'mlnx_nvconfig',
  0x6: 'cs_token',
  0x7: 'dbg_token',
  0xa: 'gearbox',
};
export const COMPONENT_BOOT_IMG = 0x1;

/** mlx5 fw.c MCQS_UPDATE_STATE_*. */
export const UPDATE_STATE = { IDLE: 0, IN_PROGRESS: 1, APPLIED: 2, ACTIVE: 3, ACTIVE_PENDING_RESET: 4, FAILED: 5, CANCELED: 6, BUSY: 7 } as const;
export const UPDATE_STATE_NAMES = ['idle', 'in_progress', 'applied', 'active', 'active_pending_reset', 'failed', 'canceled', 'busy'];
/** PRM component_status: 0 not present, 1 present, 2 in use. */
export const COMPONENT_STATUS_NAMES = ['not_present', 'present', 'in_use'];

/** `mcqi_reg` fixed part (0xc0 bits); the data union follows at byte 24. */
export const McqiReg = defineStruct('mcqi_reg', 24, {
  read_pending_component: { bit: 0x00, width: 1 },
  component_index: { bit: 0x10, width: 16 },
  info_type: { bit: 0x5b, width: 5 },
  info_size: { bit: 0x60, width: 32 },
  offset: { bit: 0x80, width: 32 },
  data_size: { bit: 0xb0, width: 16 },
});

/** mlx5 fw.c MCQI_INFO_TYPE_*. */
export const MCQI_INFO = { CAPABILITIES: 0x0, VERSION: 0x1, ACTIVATION_METHOD: 0x5 } as const;

export const McqiCap = defineStruct('mcqi_cap', 20, {
  supported_info_bitmask: { bit: 0x00, width: 32 },
  component_size: { bit: 0x20, width: 32 },
  max_component_size: { bit: 0x40, width: 32 },
  log_mcda_word_size: { bit: 0x60, width: 4 },
  mcda_max_write_size: { bit: 0x70, width: 16 },
  rd_en: { bit: 0x80, width: 1 },
  match_chip_id: { bit: 0x82, width: 1 },
  match_psid: { bit: 0x83, width: 1 },
  check_user_timestamp: { bit: 0x84, width: 1 },
  match_base_guid_mac: { bit: 0x85, width: 1 },
});

/** `mcqi_version` (0x2c0 bits = 88 bytes; version_string[92] is cut to what fits the union). */
export const McqiVersion = defineStruct('mcqi_version', 124, {
  build_time_valid: { bit: 0x02, width: 1 },
  user_defined_time_valid: { bit: 0x03, width: 1 },
  version_string_length: { bit: 0x18, width: 8 },
  version: { bit: 0x20, width: 32 },
  build_time: { bit: 0x40, width: 64 },
  user_defined_time: { bit: 0x80, width: 64 },
  build_tool_version: { bit: 0xc0, width: 32 },
  version_string: { at: 0x20, type: 'string', length: 92 },
});

export const MccReg = defineStruct('mcc_reg', 32, {
  time_elapsed_since_last_cmd: { bit: 0x04, width: 12 },
  instruction: { bit: 0x18, width: 8 },
  component_index: { bit: 0x30, width: 16 },
  update_handle: { bit: 0x48, width: 24 },
  handle_owner_type: { bit: 0x60, width: 4 },
  handle_owner_host_id: { bit: 0x64, width: 4 },
  control_progress: { bit: 0x69, width: 7 },
  error_code: { bit: 0x70, width: 8 },
  control_state: { bit: 0x7c, width: 4 },
  component_size: { bit: 0x80, width: 32 },
});

/** mlx5 fw.c `enum mlxsw_reg_mcc_instruction` (sic). */
export const MCC_INSTR = { LOCK_UPDATE_HANDLE: 0x01, RELEASE_UPDATE_HANDLE: 0x02, UPDATE_COMPONENT: 0x03, VERIFY_COMPONENT: 0x04, ACTIVATE: 0x06, CANCEL: 0x08 } as const;

/** mlxfw.h `enum mlxfw_fsm_state`. */
export const FSM = { IDLE: 0, LOCKED: 1, INITIALIZE: 2, DOWNLOAD: 3, VERIFY: 4, APPLY: 5, ACTIVATE: 6 } as const;
export const FSM_NAMES = ['idle', 'locked', 'initialize', 'download', 'verify', 'apply', 'activate'];

/** mlxfw.h `enum mlxfw_fsm_state_err` with mlxfw_fsm.c's messages. */
export const FSM_ERR = { OK: 0, ERROR: 1, DIGEST_ERR: 2, NOT_APPLICABLE: 3, UNKNOWN_KEY: 4, AUTH_FAILED: 5, UNSIGNED: 6, KEY_NOT_APPLICABLE: 7, BAD_FORMAT: 8, PENDING_RESET: 9 } as const;
export const FSM_ERR_MESSAGES = [
  'ok',
  'general error',
  'component hash mismatch',
  'component not applicable',
  'unknown key',
  'authentication failed',
  'component was not signed',
  'key not applicable',
  'bad format',
  'pending reset',
];

/** `mcda_reg` fixed part; data[] dwords follow at byte 16. */
export const McdaReg = defineStruct('mcda_reg', 16, {
  update_handle: { bit: 0x08, width: 24 },
  offset: { bit: 0x20, width: 32 },
  size: { bit: 0x50, width: 16 },
});

// ---------------------------------------------------------------- MTMP, PPCNT

export const MtmpReg = defineStruct('mtmp_reg', 32, {
  sensor_index: { bit: 0x14, width: 12 },
  temperature: { bit: 0x30, width: 16 },
  mte: { bit: 0x40, width: 1 },
  mtr: { bit: 0x41, width: 1 },
  max_temperature: { bit: 0x50, width: 16 },
  tee: { bit: 0x60, width: 2 },
  temp_threshold_hi: { bit: 0x70, width: 16 },
  temp_threshold_lo: { bit: 0x90, width: 16 },
  sensor_name: { at: 0x18, type: 'string', length: 8 },
});

/** MTMP temperatures are signed, in 0.125 °C. */
export const mtmpCelsius = (raw: number): number => ((raw << 16) >> 16) / 8;

/** `ppcnt_reg` (0x800 bits): 8-byte header + the counter-set union (248 bytes). */
export const PPCNT_SIZE = 256;
export const PpcntHeader = defineStruct('ppcnt_reg', 8, {
  swid: { bit: 0x00, width: 8 },
  local_port: { bit: 0x08, width: 8 },
  pnat: { bit: 0x10, width: 2 },
  grp: { bit: 0x1a, width: 6 },
  clr: { bit: 0x20, width: 1 },
  prio_tc: { bit: 0x3d, width: 3 },
});
/** MLX5_IEEE_802_3_COUNTERS_GROUP. */
export const PPCNT_GRP_IEEE_802_3 = 0x0;

/** `eth_802_3_cntrs_grp_data_layout`: 64-bit counters (high, low dwords) in this order. */
export const ETH_802_3_COUNTERS = [
  'a_frames_transmitted_ok',
  'a_frames_received_ok',
  'a_frame_check_sequence_errors',
  'a_alignment_errors',
  'a_octets_transmitted_ok',
  'a_octets_received_ok',
  'a_multicast_frames_xmitted_ok',
  'a_broadcast_frames_xmitted_ok',
  'a_multicast_frames_received_ok',
  'a_broadcast_frames_received_ok',
  'a_in_range_length_errors',
  'a_out_of_range_length_field',
  'a_frame_too_long_errors',
  'a_symbol_error_during_carrier',
  'a_mac_control_frames_transmitted',
  'a_mac_control_frames_received',
  'a_unsupported_opcodes_received',
  'a_pause_mac_ctrl_frames_received',
  'a_pause_mac_ctrl_frames_transmitted',
] as const;
export type Eth8023Counter = (typeof ETH_802_3_COUNTERS)[number];
