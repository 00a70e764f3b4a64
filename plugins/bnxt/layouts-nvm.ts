/**
 * HWRM structs used by the capability blocks (config, reset, firmware, health,
 * metrics). Offsets from include/linux/bnxt/hsi.h (HSI 1.10.2/1.10.3); the
 * `(size:…)` comment above each struct in hsi.h is the size given here.
 */
import { defineStruct } from 'accelctl/sdk';

/** hwrm_nvm_get_variable_input / hwrm_nvm_set_variable_input (320b/40B): same layout. */
export const NvmVariableInput = defineStruct('hwrm_nvm_variable_input', 40, {
  /** dest_data_addr (GET) / src_data_addr (SET): the bnxt_fwctl DMA field. */
  data_addr: { at: 16, type: 'u64le' },
  /** Size of the variable in BITS (bnxt_hwrm_nvm_req() sends nvm_num_bits). */
  data_len: { at: 24, type: 'u16le' },
  option_num: { at: 26, type: 'u16le' },
  dimensions: { at: 28, type: 'u16le' },
  index_0: { at: 30, type: 'u16le' },
  index_1: { at: 32, type: 'u16le' },
  index_2: { at: 34, type: 'u16le' },
  index_3: { at: 36, type: 'u16le' },
  flags: { at: 38, type: 'u8' },
});
export const NVM_VARIABLE_ADDR_AT = 16;
/** NVM_GET_VARIABLE_REQ_FLAGS_FACTORY_DFLT: read the factory default instead of the stored value. */
export const NVM_GET_VARIABLE_FLAGS_FACTORY_DFLT = 0x1;

/** hwrm_nvm_get_variable_output (128b/16B). */
export const NvmGetVariableOutput = defineStruct('hwrm_nvm_get_variable_output', 16, {
  data_len: { at: 8, type: 'u16le' },
  option_num: { at: 10, type: 'u16le' },
  flags: { at: 12, type: 'u8' },
  valid: { at: 15, type: 'u8' },
});
/** hwrm_nvm_get_variable_cmd_err codes. */
export const NVM_VARIABLE_CMD_ERR = { UNKNOWN: 0, VAR_NOT_EXIST: 1, CORRUPT_VAR: 2, LEN_TOO_SHORT: 3 } as const;

/** hwrm_nvm_write_input (448b/56B). */
export const NvmWriteInput = defineStruct('hwrm_nvm_write_input', 56, {
  host_src_addr: { at: 16, type: 'u64le' },
  dir_type: { at: 24, type: 'u16le' },
  dir_ordinal: { at: 26, type: 'u16le' },
  dir_ext: { at: 28, type: 'u16le' },
  dir_attr: { at: 30, type: 'u16le' },
  dir_data_length: { at: 32, type: 'u32le' },
  option: { at: 36, type: 'u16le' },
  flags: { at: 38, type: 'u16le' },
  dir_item_length: { at: 40, type: 'u32le' },
  offset: { at: 44, type: 'u32le' },
  len: { at: 48, type: 'u32le' },
});
export const NVM_WRITE_ADDR_AT = 16;
export const NVM_WRITE_FLAGS = { KEEP_ORIG_ACTIVE_IMG: 0x1, BATCH_MODE: 0x2, BATCH_LAST: 0x4 } as const;

/** hwrm_nvm_write_output (128b/16B). */
export const NvmWriteOutput = defineStruct('hwrm_nvm_write_output', 16, {
  dir_item_length: { at: 8, type: 'u32le' },
  dir_idx: { at: 12, type: 'u16le' },
  valid: { at: 15, type: 'u8' },
});
export const NVM_WRITE_CMD_ERR = { UNKNOWN: 0, FRAG_ERR: 1, NO_SPACE: 2, WRITE_FAILED: 3, VERIFY_FAILED: 5, INVALID_HEADER: 6 } as const;

/** hwrm_nvm_modify_input (320b/40B). */
export const NvmModifyInput = defineStruct('hwrm_nvm_modify_input', 40, {
  host_src_addr: { at: 16, type: 'u64le' },
  dir_idx: { at: 24, type: 'u16le' },
  flags: { at: 26, type: 'u8' },
  offset: { at: 28, type: 'u32le' },
  len: { at: 32, type: 'u32le' },
});
export const NVM_MODIFY_ADDR_AT = 16;
export const NVM_MODIFY_FLAGS = { BATCH_MODE: 0x1, BATCH_LAST: 0x2 } as const;

/** hwrm_nvm_verify_update_input (192b/24B). */
export const NvmVerifyUpdateInput = defineStruct('hwrm_nvm_verify_update_input', 24, {
  dir_type: { at: 16, type: 'u16le' },
  dir_ordinal: { at: 18, type: 'u16le' },
  dir_ext: { at: 20, type: 'u16le' },
});

/** hwrm_nvm_get_dev_info_output: the 80-byte part every 1.10.x firmware returns, netctrl when resp_len reaches 88. */
export const NvmGetDevInfoOutput = defineStruct('hwrm_nvm_get_dev_info_output', 88, {
  manufacturer_id: { at: 8, type: 'u16le' },
  device_id: { at: 10, type: 'u16le' },
  sector_size: { at: 12, type: 'u32le' },
  nvram_size: { at: 16, type: 'u32le' },
  reserved_size: { at: 20, type: 'u32le' },
  available_size: { at: 24, type: 'u32le' },
  nvm_cfg_ver_maj: { at: 28, type: 'u8' },
  nvm_cfg_ver_min: { at: 29, type: 'u8' },
  nvm_cfg_ver_upd: { at: 30, type: 'u8' },
  flags: { at: 31, type: 'u8' },
  pkg_name: { at: 32, type: 'string', length: 16 },
  hwrm_fw_major: { at: 48, type: 'u16le' },
  hwrm_fw_minor: { at: 50, type: 'u16le' },
  hwrm_fw_build: { at: 52, type: 'u16le' },
  hwrm_fw_patch: { at: 54, type: 'u16le' },
  mgmt_fw_major: { at: 56, type: 'u16le' },
  mgmt_fw_minor: { at: 58, type: 'u16le' },
  mgmt_fw_build: { at: 60, type: 'u16le' },
  mgmt_fw_patch: { at: 62, type: 'u16le' },
  roce_fw_major: { at: 64, type: 'u16le' },
  roce_fw_minor: { at: 66, type: 'u16le' },
  roce_fw_build: { at: 68, type: 'u16le' },
  roce_fw_patch: { at: 70, type: 'u16le' },
  netctrl_fw_major: { at: 72, type: 'u16le' },
  netctrl_fw_minor: { at: 74, type: 'u16le' },
  netctrl_fw_build: { at: 76, type: 'u16le' },
  netctrl_fw_patch: { at: 78, type: 'u16le' },
  valid: { at: 87, type: 'u8' },
});
export const NVM_DEV_INFO_FLAGS_FW_VER_VALID = 0x1;

/** hwrm_fw_reset_input (192b/24B). */
export const FwResetInput = defineStruct('hwrm_fw_reset_input', 24, {
  embedded_proc_type: { at: 16, type: 'u8' },
  selfrst_status: { at: 17, type: 'u8' },
  host_idx: { at: 18, type: 'u8' },
  flags: { at: 19, type: 'u8' },
});
export const FW_RESET_PROC = { BOOT: 0, MGMT: 1, NETCTRL: 2, ROCE: 3, HOST: 4, AP: 5, CHIP: 6 } as const;
export const FW_RESET_SELFRST = { NONE: 0, ASAP: 1, PCIERST: 2, POWER: 3 } as const;
export const FW_RESET_FLAGS = { RESET_GRACEFUL: 0x1, FW_ACTIVATION: 0x2 } as const;

/** hwrm_fw_reset_output (128b/16B). */
export const FwResetOutput = defineStruct('hwrm_fw_reset_output', 16, {
  selfrst_status: { at: 8, type: 'u8' },
  valid: { at: 15, type: 'u8' },
});

/** hwrm_func_qcfg_input (192b/24B). */
export const FuncQcfgInput = defineStruct('hwrm_func_qcfg_input', 24, {
  fid: { at: 16, type: 'u16le' },
});

/** hwrm_func_qcfg_output, the fields up to always_1 (80 B) that every 1.10.x firmware returns. */
export const FuncQcfgOutput = defineStruct('hwrm_func_qcfg_output', 80, {
  fid: { at: 8, type: 'u16le' },
  port_id: { at: 10, type: 'u16le' },
  vlan: { at: 12, type: 'u16le' },
  flags: { at: 14, type: 'u16le' },
  mac_address: { at: 16, type: 'bytes', length: 6 },
  alloc_vfs: { at: 58, type: 'u16le' },
  alloc_msix: { at: 72, type: 'u16le' },
  registered_vfs: { at: 74, type: 'u16le' },
  always_1: { at: 79, type: 'u8' },
});
/** FUNC_QCFG_RESP_FLAGS_* used for running values. */
export const FUNC_QCFG_FLAGS = { OOB_WOL_MAGICPKT_ENABLED: 0x1, FW_DCBX_AGENT_ENABLED: 0x4, FW_LLDP_AGENT_ENABLED: 0x10 } as const;
/** hsi.h (size:1280b/160B) in HSI 1.10.2: what the simulator answers. */
export const FUNC_QCFG_OUTPUT_SIZE = 160;

/** hwrm_func_qstats_input (192b/24B). */
export const FuncQstatsInput = defineStruct('hwrm_func_qstats_input', 24, {
  fid: { at: 16, type: 'u16le' },
  flags: { at: 18, type: 'u8' },
});

/** hwrm_func_qstats_output (1408b/176B): 64-bit counters. */
export const FuncQstatsOutput = defineStruct('hwrm_func_qstats_output', 176, {
  tx_ucast_pkts: { at: 8, type: 'u64le' },
  tx_mcast_pkts: { at: 16, type: 'u64le' },
  tx_bcast_pkts: { at: 24, type: 'u64le' },
  tx_discard_pkts: { at: 32, type: 'u64le' },
  tx_drop_pkts: { at: 40, type: 'u64le' },
  tx_ucast_bytes: { at: 48, type: 'u64le' },
  tx_mcast_bytes: { at: 56, type: 'u64le' },
  tx_bcast_bytes: { at: 64, type: 'u64le' },
  rx_ucast_pkts: { at: 72, type: 'u64le' },
  rx_mcast_pkts: { at: 80, type: 'u64le' },
  rx_bcast_pkts: { at: 88, type: 'u64le' },
  rx_discard_pkts: { at: 96, type: 'u64le' },
  rx_drop_pkts: { at: 104, type: 'u64le' },
  rx_ucast_bytes: { at: 112, type: 'u64le' },
  rx_mcast_bytes: { at: 120, type: 'u64le' },
  rx_bcast_bytes: { at: 128, type: 'u64le' },
  rx_agg_pkts: { at: 136, type: 'u64le' },
  rx_agg_bytes: { at: 144, type: 'u64le' },
  rx_agg_events: { at: 152, type: 'u64le' },
  rx_agg_aborts: { at: 160, type: 'u64le' },
  valid: { at: 175, type: 'u8' },
});

/** hwrm_port_phy_qcfg_output: the leading fields (link state and speed); the struct is 96 B. */
export const PortPhyQcfgOutput = defineStruct('hwrm_port_phy_qcfg_output', 16, {
  link: { at: 8, type: 'u8' },
  link_speed: { at: 10, type: 'u16le' },
  duplex_cfg: { at: 12, type: 'u8' },
});
export const PORT_PHY_QCFG_OUTPUT_SIZE = 96;
/** PORT_PHY_QCFG_RESP_LINK_*: 0 no link, 1 signal, 2 link. link_speed is in units of 100 Mb/s. */
export const PORT_PHY_LINK = { NO_LINK: 0, SIGNAL: 1, LINK: 2 } as const;

/** hwrm_port_phy_qcfg_input (192b/24B). */
export const PortPhyQcfgInput = defineStruct('hwrm_port_phy_qcfg_input', 24, {
  port_id: { at: 16, type: 'u16le' },
});

/** bnxt_nvm_defs.h BNX_DIR_TYPE_* used here. */
export const BNX_DIR_TYPE = { UPDATE: 2, CHIMP_PATCH: 3, SHARED_CFG: 40, PORT_CFG: 41, FUNC_CFG: 42 } as const;
