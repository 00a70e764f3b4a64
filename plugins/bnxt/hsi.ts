/**
 * HWRM facts from the Linux tree, include/linux/bnxt/hsi.h (HSI 1.10.3.x, the
 * `struct cmd_nums` and `struct ret_codes` tables). Numbers only: every other
 * module names request types and error codes through these constants.
 */

/** `struct cmd_nums`: the req_type values this plugin names (every one the fwctl driver's table lists). */
export const HWRM = {
  VER_GET: 0x0,
  ERROR_RECOVERY_QCFG: 0xc,
  FUNC_RESET: 0x11,
  FUNC_QCAPS: 0x15,
  FUNC_QCFG: 0x16,
  FUNC_QSTATS: 0x18,
  PORT_QSTATS: 0x23,
  PORT_CLR_STATS: 0x25,
  PORT_PHY_QCFG: 0x27,
  PORT_MAC_QCFG: 0x28,
  PORT_PHY_QCAPS: 0x2a,
  PORT_PHY_I2C_WRITE: 0x2b,
  PORT_PHY_I2C_READ: 0x2c,
  QUEUE_PRI2COS_QCFG: 0x37,
  QUEUE_COS2BW_QCFG: 0x39,
  QUEUE_DSCP2PRI_QCFG: 0x3c,
  VNIC_RSS_QCFG: 0x47,
  PORT_EVENTS_LOG: 0x67,
  QUEUE_GLOBAL_QCFG: 0x87,
  QUEUE_ADPTV_QOS_RX_FEATURE_QCFG: 0x88,
  QUEUE_ADPTV_QOS_TX_FEATURE_QCFG: 0x8a,
  QUEUE_QCAPS: 0x8c,
  QUEUE_ADPTV_QOS_RX_TUNING_QCFG: 0x8d,
  QUEUE_ADPTV_QOS_TX_TUNING_QCFG: 0x8f,
  TUNNEL_DST_PORT_QUERY: 0xa0,
  PORT_QSTATS_EXT: 0xb4,
  PORT_PHY_MDIO_WRITE: 0xb5,
  PORT_PHY_MDIO_READ: 0xb6,
  PORT_QSTATS_EXT_PFC_ADV: 0xba,
  PORT_TX_FIR_QCFG: 0xbc,
  FW_LIVEPATCH_QUERY: 0xbe,
  FW_LIVEPATCH: 0xbf,
  FW_RESET: 0xc0,
  FW_QSTATUS: 0xc1,
  FW_HEALTH_CHECK: 0xc2,
  FW_SYNC: 0xc3,
  FW_SET_TIME: 0xc8,
  FW_GET_TIME: 0xc9,
  FW_SET_STRUCTURED_DATA: 0xca,
  FW_GET_STRUCTURED_DATA: 0xcb,
  PORT_PRBS_TEST: 0xd5,
  PORT_DSC_DUMP: 0xd9,
  PORT_EP_TX_QCFG: 0xda,
  PORT_QCFG: 0xdd,
  PORT_MAC_QCAPS: 0xdf,
  TEMP_MONITOR_QUERY: 0xe0,
  REG_POWER_QUERY: 0xe1,
  CORE_FREQUENCY_QUERY: 0xe2,
  STAT_QUERY_ROCE_STATS: 0xe6,
  STAT_QUERY_ROCE_STATS_EXT: 0xe7,
  CFA_REDIRECT_QUERY_TUNNEL_TYPE: 0x112,
  CFA_ADV_FLOW_MGNT_QCAPS: 0x124,
  FUNC_RESOURCE_QCAPS: 0x190,
  FUNC_BACKING_STORE_QCAPS: 0x192,
  FUNC_BACKING_STORE_QCFG: 0x194,
  FUNC_QSTATS_EXT: 0x198,
  FUNC_PTP_PIN_QCFG: 0x19c,
  FUNC_PTP_EXT_QCFG: 0x1a1,
  FUNC_BACKING_STORE_QCFG_V2: 0x1a4,
  FUNC_BACKING_STORE_QCAPS_V2: 0x1a8,
  FUNC_SYNCE_QCFG: 0x1ac,
  FUNC_TTX_PACING_RATE_PROF_QUERY: 0x1c3,
  SELFTEST_QLIST: 0x200,
  SELFTEST_RETRIEVE_SERDES_DATA: 0x203,
  PCIE_QSTATS: 0x204,
  STAT_GENERIC_QSTATS: 0x218,
  PORT_PHY_FDRSTAT: 0x232,
  /*
   * SCH_GRP_CFG / SCH_GRP_QCFG are named by the fwctl driver's DMA table but no
   * stored hsi.h defines them, so their numbers are unknown here: the plugin
   * cannot name them and refuses them (see README.md).
   */
  DBG_SERDES_TEST: 0xff0e,
  DBG_LOG_BUFFER_FLUSH: 0xff0f,
  DBG_READ_DIRECT: 0xff10,
  DBG_READ_INDIRECT: 0xff11,
  DBG_WRITE_DIRECT: 0xff12,
  DBG_WRITE_INDIRECT: 0xff13,
  DBG_ERASE_NVM: 0xff15,
  DBG_CFG: 0xff16,
  DBG_COREDUMP_LIST: 0xff17,
  DBG_COREDUMP_INITIATE: 0xff18,
  DBG_COREDUMP_RETRIEVE: 0xff19,
  DBG_RING_INFO_GET: 0xff1c,
  DBG_QCAPS: 0xff20,
  DBG_QCFG: 0xff21,
  DBG_USEQ_FLUSH: 0xff25,
  DBG_USEQ_QCAPS: 0xff26,
  DBG_PTRACE: 0xff2d,
  DBG_SIM_CABLE_STATE: 0xff2e,
  DBG_TOKEN_QUERY_AUTH_IDS: 0xff2f,
  DBG_TOKEN_CFG: 0xff30,
  NVM_DEFRAG: 0xffec,
  NVM_FACTORY_DEFAULTS: 0xffee,
  NVM_FLUSH: 0xfff0,
  NVM_GET_VARIABLE: 0xfff1,
  NVM_SET_VARIABLE: 0xfff2,
  NVM_MODIFY: 0xfff4,
  NVM_VERIFY_UPDATE: 0xfff5,
  NVM_GET_DEV_INFO: 0xfff6,
  NVM_ERASE_DIR_ENTRY: 0xfff7,
  NVM_MOD_DIR_ENTRY: 0xfff8,
  NVM_FIND_DIR_ENTRY: 0xfff9,
  NVM_GET_DIR_ENTRIES: 0xfffa,
  NVM_GET_DIR_INFO: 0xfffb,
  NVM_RAW_DUMP: 0xfffc,
  NVM_READ: 0xfffd,
  NVM_WRITE: 0xfffe,
  NVM_RAW_WRITE_BLK: 0xffff,
} as const;

export type HwrmName = keyof typeof HWRM;

const NAME_BY_TYPE = new Map<number, HwrmName>(Object.entries(HWRM).map(([name, value]) => [value, name as HwrmName]));

/** "HWRM_VER_GET" for 0x0; "HWRM_0x1234" for a type this plugin does not name. */
export function hwrmName(reqType: number): string {
  const name = NAME_BY_TYPE.get(reqType);
  return name === undefined ? `HWRM_0x${reqType.toString(16).padStart(4, '0')}` : `HWRM_${name}`;
}

/** `struct ret_codes`: HWRM_ERR_CODE_* carried in a response's error_code. */
export const HWRM_ERR = {
  SUCCESS: 0x0,
  FAIL: 0x1,
  INVALID_PARAMS: 0x2,
  RESOURCE_ACCESS_DENIED: 0x3,
  RESOURCE_ALLOC_ERROR: 0x4,
  INVALID_FLAGS: 0x5,
  INVALID_ENABLES: 0x6,
  UNSUPPORTED_TLV: 0x7,
  NO_BUFFER: 0x8,
  UNSUPPORTED_OPTION_ERR: 0x9,
  HOT_RESET_PROGRESS: 0xa,
  HOT_RESET_FAIL: 0xb,
  NO_FLOW_COUNTER_DURING_ALLOC: 0xc,
  KEY_HASH_COLLISION: 0xd,
  KEY_ALREADY_EXISTS: 0xe,
  HWRM_ERROR: 0xf,
  BUSY: 0x10,
  RESOURCE_LOCKED: 0x11,
  PF_UNAVAILABLE: 0x12,
  ENTITY_NOT_PRESENT: 0x13,
  SECURE_SOC_ERROR: 0x14,
  TLV_ENCAPSULATED_RESPONSE: 0x8000,
  UNKNOWN_ERR: 0xfffe,
  CMD_NOT_SUPPORTED: 0xffff,
} as const;

const ERR_BY_CODE = new Map<number, string>(Object.entries(HWRM_ERR).map(([name, value]) => [value, name]));

/** Linux errno names for the values bnxt_fwctl can store as error_code (see errorCodeName). */
const ERRNO_NAMES: Record<number, string> = {
  1: 'EPERM', 5: 'EIO', 11: 'EAGAIN', 12: 'ENOMEM', 14: 'EFAULT', 16: 'EBUSY', 19: 'ENODEV', 22: 'EINVAL',
  28: 'ENOSPC', 34: 'ERANGE', 95: 'EOPNOTSUPP', 110: 'ETIMEDOUT', 125: 'ECANCELED', 524: 'ENOTSUPP', 7: 'E2BIG',
};

/**
 * Name an error_code. drivers/fwctl/bnxt/main.c stores `cpu_to_le16(rc)` in
 * error_code when bnxt_send_msg() fails before firmware answered; rc is a
 * negative errno, so it arrives as 0x10000 - errno (e.g. 0xff92 = -ETIMEDOUT).
 */
export function errorCodeName(code: number): string {
  const known = ERR_BY_CODE.get(code);
  if (known !== undefined) return `HWRM_ERR_CODE_${known}`;
  const errno = 0x10000 - code;
  if (errno > 0 && errno < 4096) return `driver error -${ERRNO_NAMES[errno] ?? errno}`;
  return `HWRM error 0x${code.toString(16)}`;
}

/** include/linux/bnxt/hsi.h: HWRM_MAX_REQ_LEN, HWRM_MAX_RESP_LEN, HWRM_RESP_VALID_KEY. */
export const HWRM_MAX_REQ_LEN = 128;
export const HWRM_MAX_RESP_LEN = 704;
export const HWRM_RESP_VALID_KEY = 1;
/** HWRM_VERSION_{MAJOR,MINOR,UPDATE} of the hsi.h this plugin follows (1.10.3.x). */
export const HWRM_INTF_VERSION = { major: 1, minor: 10, update: 3 } as const;
