/**
 * The bnxt_fwctl scope table, as accelctl's classifier sees it.
 *
 * Source: drivers/fwctl/bnxt/main.c (torvalds/linux, the version with the
 * `bnxtctl_dma_cmds[]` descriptor table): a request type listed in the DMA
 * table takes that entry's `scope_min`; otherwise `bnxtctl_validate_rpc()`'s
 * switch decides (CONFIGURATION / DEBUG_READ_ONLY / DEBUG_WRITE); anything
 * else is refused with EPERM. The class (inspect / configure / mutate-debug)
 * is accelctl's reading of what each request does; the scope is the kernel's.
 */
import { Scope, type RpcClass } from 'accelctl/sdk';
import { HWRM, type HwrmName } from './hsi';

/** How the kernel finds the length of one DMA buffer (struct bnxtctl_dma_field). */
export type DmaField =
  /** Length read from the request: `width`-byte LE field at `at`, times `unit` bytes. */
  | { at: number; width: 2 | 4; unit: number }
  /** Fixed length (CMD_DATA_FIXED). */
  | { fixed: number };

export interface DmaDesc {
  /**
   * sizeof(struct hwrm_xxx_input): the kernel requires in_len to be exactly this.
   * undefined when no stored hsi.h defines the struct: the plugin then refuses
   * the request rather than guess (README.md, "DMA commands").
   */
  reqSize: number | undefined;
  fields: readonly DmaField[];
}

export interface TableEntry {
  name: HwrmName;
  scope: Scope;
  rpcClass: RpcClass;
  description: string;
  dma?: DmaDesc;
}

/** FWCTL_BNXT_MAX_DMABUF (include/uapi/fwctl/bnxt.h, in-place DMA version): 64 KiB. */
export const MAX_DMABUF = 0x10000;

const len = (at: number, width: 2 | 4, unit = 1): DmaField => ({ at, width, unit });

function entry(name: HwrmName, scope: Scope, rpcClass: RpcClass, description: string, dma?: DmaDesc): TableEntry {
  return dma === undefined ? { name, scope, rpcClass, description } : { name, scope, rpcClass, description, dma };
}

const C = Scope.CONFIGURATION;
const R = Scope.DEBUG_READ_ONLY;
const W = Scope.DEBUG_WRITE;
const F = Scope.DEBUG_WRITE_FULL;

/*
 * DMA descriptor table (bnxtctl_dma_cmds[]). Struct sizes and length-field
 * offsets were computed with a C compiler from hsi.h (HSI 1.10.2.164 layouts,
 * which these input structs share with 1.10.3.x); undefined where no stored
 * hsi.h defines the struct.
 */
const DMA_ENTRIES: readonly TableEntry[] = [
  entry('NVM_SET_VARIABLE', C, 'configure', 'write an NVM configuration variable', { reqSize: 40, fields: [len(24, 2)] }),
  entry('NVM_GET_VARIABLE', C, 'inspect', 'read an NVM configuration variable', { reqSize: 40, fields: [len(24, 2)] }),
  entry('NVM_READ', R, 'inspect', 'read an NVM directory entry', { reqSize: 40, fields: [len(32, 4)] }),
  entry('NVM_GET_DIR_ENTRIES', R, 'inspect', 'read the NVM directory', { reqSize: 24, fields: [{ fixed: MAX_DMABUF }] }),
  entry('NVM_WRITE', W, 'mutate-debug', 'write an NVM directory entry', { reqSize: 56, fields: [len(32, 4)] }),
  entry('NVM_MODIFY', W, 'mutate-debug', 'modify part of an NVM directory entry', { reqSize: 40, fields: [len(32, 4)] }),
  entry('NVM_RAW_WRITE_BLK', F, 'mutate-debug', 'raw write of an NVM block', { reqSize: 32, fields: [len(28, 4)] }),
  entry('NVM_RAW_DUMP', R, 'inspect', 'raw read of NVM', { reqSize: 32, fields: [len(28, 4)] }),
  entry('FW_GET_STRUCTURED_DATA', R, 'inspect', 'read structured firmware data (DCBX, LLDP...)', { reqSize: 32, fields: [len(24, 2)] }),
  entry('FW_SET_STRUCTURED_DATA', W, 'mutate-debug', 'write structured firmware data', { reqSize: 32, fields: [len(24, 2)] }),
  entry('FW_LIVEPATCH', F, 'mutate-debug', 'apply a firmware live patch', { reqSize: 32, fields: [len(20, 4)] }),
  entry('DBG_COREDUMP_LIST', R, 'inspect', 'list firmware coredump segments', { reqSize: 32, fields: [len(24, 4)] }),
  entry('DBG_COREDUMP_RETRIEVE', R, 'inspect', 'retrieve a firmware coredump segment', { reqSize: 56, fields: [len(24, 4)] }),
  entry('DBG_READ_DIRECT', R, 'inspect', 'read device registers (read_len32 counts dwords)', { reqSize: 32, fields: [len(28, 4, 4)] }),
  entry('DBG_READ_INDIRECT', R, 'inspect', 'read indirect device memory', { reqSize: 80, fields: [len(24, 4)] }),
  entry('DBG_SERDES_TEST', R, 'inspect', 'run a SerDes eye test', { reqSize: undefined, fields: [] }),
  entry('DBG_TOKEN_CFG', F, 'mutate-debug', 'install a debug token', { reqSize: undefined, fields: [] }),
  entry('QUEUE_DSCP2PRI_QCFG', R, 'inspect', 'read the DSCP to priority map', { reqSize: 32, fields: [len(26, 2)] }),
  entry('PORT_QSTATS', R, 'inspect', 'read port statistics', { reqSize: 40, fields: [{ fixed: 408 }, { fixed: 528 }] }),
  entry('PORT_QSTATS_EXT', R, 'inspect', 'read extended port statistics', { reqSize: 40, fields: [len(18, 2), len(20, 2)] }),
  entry('PORT_QSTATS_EXT_PFC_ADV', R, 'inspect', 'read advanced PFC statistics', { reqSize: undefined, fields: [] }),
  entry('PCIE_QSTATS', R, 'inspect', 'read PCIe statistics', { reqSize: 32, fields: [len(16, 2)] }),
  entry('STAT_GENERIC_QSTATS', R, 'inspect', 'read generic statistics', { reqSize: 32, fields: [len(16, 2)] }),
  entry('STAT_QUERY_ROCE_STATS', R, 'inspect', 'read RoCE statistics', { reqSize: undefined, fields: [] }),
  entry('STAT_QUERY_ROCE_STATS_EXT', R, 'inspect', 'read extended RoCE statistics', { reqSize: undefined, fields: [] }),
  entry('PORT_EVENTS_LOG', R, 'inspect', 'read the port events log', { reqSize: undefined, fields: [] }),
  entry('PORT_PRBS_TEST', R, 'inspect', 'run a PRBS test', { reqSize: 48, fields: [len(24, 2)] }),
  entry('PORT_DSC_DUMP', R, 'inspect', 'dump SerDes DSC state', { reqSize: 40, fields: [len(24, 2)] }),
  entry('SELFTEST_RETRIEVE_SERDES_DATA', R, 'inspect', 'retrieve SerDes self-test data', { reqSize: 40, fields: [len(28, 2)] }),
  entry('DBG_PTRACE', W, 'mutate-debug', 'processor trace commands', { reqSize: undefined, fields: [] }),
];

/* bnxtctl_validate_rpc() switch: scope >= FWCTL_RPC_CONFIGURATION. */
const CONFIGURATION_ENTRIES: readonly TableEntry[] = [
  entry('FUNC_RESET', C, 'configure', 'reset a PCI function'),
  entry('PORT_CLR_STATS', C, 'configure', 'clear port statistics'),
  entry('FW_RESET', C, 'configure', 'reset firmware / chip'),
  entry('FW_SYNC', C, 'configure', 'synchronise firmware images'),
  entry('FW_SET_TIME', C, 'configure', 'set the firmware clock'),
  entry('DBG_LOG_BUFFER_FLUSH', C, 'configure', 'flush the firmware log buffer'),
  entry('DBG_ERASE_NVM', C, 'configure', 'erase NVM (debug)'),
  entry('DBG_CFG', C, 'configure', 'configure firmware debug settings'),
  entry('NVM_DEFRAG', C, 'configure', 'defragment NVM'),
  entry('NVM_FACTORY_DEFAULTS', C, 'configure', 'create or restore factory default configuration'),
  entry('NVM_FLUSH', C, 'configure', 'flush NVM write cache'),
  entry('NVM_VERIFY_UPDATE', C, 'configure', 'verify an NVM update'),
  entry('NVM_ERASE_DIR_ENTRY', C, 'configure', 'erase an NVM directory entry'),
  entry('NVM_MOD_DIR_ENTRY', C, 'configure', 'modify an NVM directory entry'),
  entry('NVM_FIND_DIR_ENTRY', C, 'inspect', 'look up an NVM directory entry'),
];

/* bnxtctl_validate_rpc() switch: scope >= FWCTL_RPC_DEBUG_READ_ONLY. */
const READ_ONLY_NAMES: readonly HwrmName[] = [
  'VER_GET', 'ERROR_RECOVERY_QCFG', 'FUNC_QCAPS', 'FUNC_QCFG', 'FUNC_QSTATS', 'PORT_PHY_QCFG', 'PORT_MAC_QCFG',
  'PORT_PHY_QCAPS', 'PORT_PHY_I2C_READ', 'PORT_PHY_MDIO_READ', 'QUEUE_PRI2COS_QCFG', 'QUEUE_COS2BW_QCFG',
  'VNIC_RSS_QCFG', 'QUEUE_GLOBAL_QCFG', 'QUEUE_ADPTV_QOS_RX_FEATURE_QCFG', 'QUEUE_ADPTV_QOS_TX_FEATURE_QCFG',
  'QUEUE_QCAPS', 'QUEUE_ADPTV_QOS_RX_TUNING_QCFG', 'QUEUE_ADPTV_QOS_TX_TUNING_QCFG', 'TUNNEL_DST_PORT_QUERY',
  'PORT_TX_FIR_QCFG', 'FW_LIVEPATCH_QUERY', 'FW_QSTATUS', 'FW_HEALTH_CHECK', 'FW_GET_TIME', 'PORT_EP_TX_QCFG',
  'PORT_QCFG', 'PORT_MAC_QCAPS', 'TEMP_MONITOR_QUERY', 'REG_POWER_QUERY', 'CORE_FREQUENCY_QUERY',
  'CFA_REDIRECT_QUERY_TUNNEL_TYPE', 'CFA_ADV_FLOW_MGNT_QCAPS', 'FUNC_RESOURCE_QCAPS', 'FUNC_BACKING_STORE_QCAPS',
  'FUNC_BACKING_STORE_QCFG', 'FUNC_QSTATS_EXT', 'FUNC_PTP_PIN_QCFG', 'FUNC_PTP_EXT_QCFG',
  'FUNC_BACKING_STORE_QCFG_V2', 'FUNC_BACKING_STORE_QCAPS_V2', 'FUNC_SYNCE_QCFG', 'FUNC_TTX_PACING_RATE_PROF_QUERY',
  'PORT_PHY_FDRSTAT', 'DBG_RING_INFO_GET', 'DBG_QCAPS', 'DBG_QCFG', 'DBG_USEQ_FLUSH', 'DBG_USEQ_QCAPS',
  'DBG_SIM_CABLE_STATE', 'DBG_TOKEN_QUERY_AUTH_IDS', 'NVM_GET_DEV_INFO', 'NVM_GET_DIR_INFO', 'SELFTEST_QLIST',
  'DBG_COREDUMP_INITIATE',
];

/* bnxtctl_validate_rpc() switch: scope >= FWCTL_RPC_DEBUG_WRITE. */
const DEBUG_WRITE_ENTRIES: readonly TableEntry[] = [
  entry('PORT_PHY_I2C_WRITE', W, 'mutate-debug', 'write a transceiver register over I2C'),
  entry('PORT_PHY_MDIO_WRITE', W, 'mutate-debug', 'write a PHY register over MDIO'),
];

/** Every request type the kernel driver names, keyed by req_type. */
export const SCOPE_TABLE: ReadonlyMap<number, TableEntry> = new Map(
  [
    ...DMA_ENTRIES,
    ...CONFIGURATION_ENTRIES,
    ...READ_ONLY_NAMES.map((name) => entry(name, R, 'inspect', `HWRM_${name}`)),
    ...DEBUG_WRITE_ENTRIES,
  ].map((e) => [HWRM[e.name], e] as const),
);
