/**
 * The simulated bnxt_fwctl driver: bnxtctl_fw_rpc() and bnxtctl_validate_rpc()
 * from drivers/fwctl/bnxt/main.c, written out as the kernel writes them (a DMA
 * descriptor list, then a switch), independently of the classifier's table in
 * table.ts, so tests comparing the two mean something.
 */
import { Scope, type ErrnoName } from 'accelctl/sdk';
import { HWRM } from './hsi';

const HWRM_MAX_REQ_LEN = 128;
const SIZEOF_INPUT = 16;
const SIZEOF_OUTPUT = 8;
const FWCTL_BNXT_MAX_DMABUF = 0x10000;

interface LenField {
  lenAt?: number;
  width?: 2 | 4;
  unit?: number;
  bufLen?: number;
}
interface DmaCmd {
  reqType: number;
  scopeMin: Scope;
  /** sizeof(struct hwrm_xxx_input); null where the simulator does not know it (no check then). */
  reqSize: number | null;
  fields: LenField[];
}

const one = (lenAt: number, width: 2 | 4, unit = 1): LenField[] => [{ lenAt, width, unit }];

/* bnxtctl_dma_cmds[] */
const DMA_CMDS: DmaCmd[] = [
  { reqType: HWRM.NVM_SET_VARIABLE, scopeMin: Scope.CONFIGURATION, reqSize: 40, fields: one(24, 2) },
  { reqType: HWRM.NVM_GET_VARIABLE, scopeMin: Scope.CONFIGURATION, reqSize: 40, fields: one(24, 2) },
  { reqType: HWRM.NVM_READ, scopeMin: Scope.DEBUG_READ_ONLY, reqSize: 40, fields: one(32, 4) },
  { reqType: HWRM.NVM_GET_DIR_ENTRIES, scopeMin: Scope.DEBUG_READ_ONLY, reqSize: 24, fields: [{ bufLen: FWCTL_BNXT_MAX_DMABUF }] },
  { reqType: HWRM.NVM_WRITE, scopeMin: Scope.DEBUG_WRITE, reqSize: 56, fields: one(32, 4) },
  { reqType: HWRM.NVM_MODIFY, scopeMin: Scope.DEBUG_WRITE, reqSize: 40, fields: one(32, 4) },
  { reqType: HWRM.NVM_RAW_WRITE_BLK, scopeMin: Scope.DEBUG_WRITE_FULL, reqSize: 32, fields: one(28, 4) },
  { reqType: HWRM.NVM_RAW_DUMP, scopeMin: Scope.DEBUG_READ_ONLY, reqSize: 32, fields: one(28, 4) },
  { reqType: HWRM.FW_GET_STRUCTURED_DATA, scopeMin: Scope.DEBUG_READ_ONLY, reqSize: 32, fields: one(24, 2) },
  { reqType: HWRM.FW_SET_STRUCTURED_DATA, scopeMin: Scope.DEBUG_WRITE, reqSize: 32, fields: one(24, 2) },
  { reqType: HWRM.FW_LIVEPATCH, scopeMin: Scope.DEBUG_WRITE_FULL, reqSize: 32, fields: one(20, 4) },
  { reqType: HWRM.DBG_COREDUMP_LIST, scopeMin: Scope.DEBUG_READ_ONLY, reqSize: 32, fields: one(24, 4) },
  { reqType: HWRM.DBG_COREDUMP_RETRIEVE, scopeMin: Scope.DEBUG_READ_ONLY, reqSize: 56, fields: one(24, 4) },
  { reqType: HWRM.DBG_READ_DIRECT, scopeMin: Scope.DEBUG_READ_ONLY, reqSize: 32, fields: one(28, 4, 4) },
  { reqType: HWRM.DBG_READ_INDIRECT, scopeMin: Scope.DEBUG_READ_ONLY, reqSize: 80, fields: one(24, 4) },
  { reqType: HWRM.DBG_SERDES_TEST, scopeMin: Scope.DEBUG_READ_ONLY, reqSize: null, fields: [] },
  { reqType: HWRM.DBG_TOKEN_CFG, scopeMin: Scope.DEBUG_WRITE_FULL, reqSize: null, fields: [] },
  { reqType: HWRM.QUEUE_DSCP2PRI_QCFG, scopeMin: Scope.DEBUG_READ_ONLY, reqSize: 32, fields: one(26, 2) },
  { reqType: HWRM.PORT_QSTATS, scopeMin: Scope.DEBUG_READ_ONLY, reqSize: 40, fields: [{ bufLen: 408 }, { bufLen: 528 }] },
  { reqType: HWRM.PORT_QSTATS_EXT, scopeMin: Scope.DEBUG_READ_ONLY, reqSize: 40, fields: [...one(18, 2), ...one(20, 2)] },
  { reqType: HWRM.PORT_QSTATS_EXT_PFC_ADV, scopeMin: Scope.DEBUG_READ_ONLY, reqSize: null, fields: [] },
  { reqType: HWRM.PCIE_QSTATS, scopeMin: Scope.DEBUG_READ_ONLY, reqSize: 32, fields: one(16, 2) },
  { reqType: HWRM.STAT_GENERIC_QSTATS, scopeMin: Scope.DEBUG_READ_ONLY, reqSize: 32, fields: one(16, 2) },
  { reqType: HWRM.STAT_QUERY_ROCE_STATS, scopeMin: Scope.DEBUG_READ_ONLY, reqSize: null, fields: [] },
  { reqType: HWRM.STAT_QUERY_ROCE_STATS_EXT, scopeMin: Scope.DEBUG_READ_ONLY, reqSize: null, fields: [] },
  { reqType: HWRM.PORT_EVENTS_LOG, scopeMin: Scope.DEBUG_READ_ONLY, reqSize: null, fields: [] },
  { reqType: HWRM.PORT_PRBS_TEST, scopeMin: Scope.DEBUG_READ_ONLY, reqSize: 48, fields: one(24, 2) },
  { reqType: HWRM.PORT_DSC_DUMP, scopeMin: Scope.DEBUG_READ_ONLY, reqSize: 40, fields: one(24, 2) },
  { reqType: HWRM.SELFTEST_RETRIEVE_SERDES_DATA, scopeMin: Scope.DEBUG_READ_ONLY, reqSize: 40, fields: one(28, 2) },
  { reqType: HWRM.DBG_PTRACE, scopeMin: Scope.DEBUG_WRITE, reqSize: null, fields: [] },
];

function le(request: Uint8Array, at: number, width: 2 | 4): number {
  let value = 0;
  for (let i = width - 1; i >= 0; i--) value = value * 256 + (request[at + i] ?? 0);
  return value;
}

/* bnxtctl_check_dma_lens() */
function dmaLensValid(request: Uint8Array, desc: DmaCmd): boolean {
  for (const f of desc.fields) {
    const length = f.lenAt !== undefined ? le(request, f.lenAt, f.width ?? 4) * (f.unit ?? 1) : (f.bufLen ?? 0);
    if (length === 0 || length > FWCTL_BNXT_MAX_DMABUF) return false;
  }
  return true;
}

/* bnxtctl_validate_rpc(): true when the request may run at this scope. */
function validateRpc(reqType: number, scope: Scope): boolean {
  const desc = DMA_CMDS.find((d) => d.reqType === reqType);
  if (desc !== undefined) return scope >= desc.scopeMin;
  switch (reqType) {
    case HWRM.FUNC_RESET:
    case HWRM.PORT_CLR_STATS:
    case HWRM.FW_RESET:
    case HWRM.FW_SYNC:
    case HWRM.FW_SET_TIME:
    case HWRM.DBG_LOG_BUFFER_FLUSH:
    case HWRM.DBG_ERASE_NVM:
    case HWRM.DBG_CFG:
    case HWRM.NVM_DEFRAG:
    case HWRM.NVM_FACTORY_DEFAULTS:
    case HWRM.NVM_FLUSH:
    case HWRM.NVM_VERIFY_UPDATE:
    case HWRM.NVM_ERASE_DIR_ENTRY:
    case HWRM.NVM_MOD_DIR_ENTRY:
    case HWRM.NVM_FIND_DIR_ENTRY:
      return scope >= Scope.CONFIGURATION;
    case HWRM.VER_GET:
    case HWRM.ERROR_RECOVERY_QCFG:
    case HWRM.FUNC_QCAPS:
    case HWRM.FUNC_QCFG:
    case HWRM.FUNC_QSTATS:
    case HWRM.PORT_PHY_QCFG:
    case HWRM.PORT_MAC_QCFG:
    case HWRM.PORT_PHY_QCAPS:
    case HWRM.PORT_PHY_I2C_READ:
    case HWRM.PORT_PHY_MDIO_READ:
    case HWRM.QUEUE_PRI2COS_QCFG:
    case HWRM.QUEUE_COS2BW_QCFG:
    case HWRM.VNIC_RSS_QCFG:
    case HWRM.QUEUE_GLOBAL_QCFG:
    case HWRM.QUEUE_ADPTV_QOS_RX_FEATURE_QCFG:
    case HWRM.QUEUE_ADPTV_QOS_TX_FEATURE_QCFG:
    case HWRM.QUEUE_QCAPS:
    case HWRM.QUEUE_ADPTV_QOS_RX_TUNING_QCFG:
    case HWRM.QUEUE_ADPTV_QOS_TX_TUNING_QCFG:
    case HWRM.TUNNEL_DST_PORT_QUERY:
    case HWRM.PORT_TX_FIR_QCFG:
    case HWRM.FW_LIVEPATCH_QUERY:
    case HWRM.FW_QSTATUS:
    case HWRM.FW_HEALTH_CHECK:
    case HWRM.FW_GET_TIME:
    case HWRM.PORT_EP_TX_QCFG:
    case HWRM.PORT_QCFG:
    case HWRM.PORT_MAC_QCAPS:
    case HWRM.TEMP_MONITOR_QUERY:
    case HWRM.REG_POWER_QUERY:
    case HWRM.CORE_FREQUENCY_QUERY:
    case HWRM.CFA_REDIRECT_QUERY_TUNNEL_TYPE:
    case HWRM.CFA_ADV_FLOW_MGNT_QCAPS:
    case HWRM.FUNC_RESOURCE_QCAPS:
    case HWRM.FUNC_BACKING_STORE_QCAPS:
    case HWRM.FUNC_BACKING_STORE_QCFG:
    case HWRM.FUNC_QSTATS_EXT:
    case HWRM.FUNC_PTP_PIN_QCFG:
    case HWRM.FUNC_PTP_EXT_QCFG:
    case HWRM.FUNC_BACKING_STORE_QCFG_V2:
    case HWRM.FUNC_BACKING_STORE_QCAPS_V2:
    case HWRM.FUNC_SYNCE_QCFG:
    case HWRM.FUNC_TTX_PACING_RATE_PROF_QUERY:
    case HWRM.PORT_PHY_FDRSTAT:
    case HWRM.DBG_RING_INFO_GET:
    case HWRM.DBG_QCAPS:
    case HWRM.DBG_QCFG:
    case HWRM.DBG_USEQ_FLUSH:
    case HWRM.DBG_USEQ_QCAPS:
    case HWRM.DBG_SIM_CABLE_STATE:
    case HWRM.DBG_TOKEN_QUERY_AUTH_IDS:
    case HWRM.NVM_GET_DEV_INFO:
    case HWRM.NVM_GET_DIR_INFO:
    case HWRM.SELFTEST_QLIST:
    case HWRM.DBG_COREDUMP_INITIATE:
      return scope >= Scope.DEBUG_READ_ONLY;
    case HWRM.PORT_PHY_I2C_WRITE:
    case HWRM.PORT_PHY_MDIO_WRITE:
      return scope >= Scope.DEBUG_WRITE;
    default:
      return false;
  }
}

/**
 * bnxtctl_fw_rpc()'s refusals, in the kernel's order: sizes (EINVAL), DMA
 * request size and buffer lengths (EINVAL), then the scope table (EPERM).
 * (BNXT_EN_FLAG_ULP_STOPPED, also EPERM, is a runtime state not modelled.)
 */
export function bnxtDriverCheck(scope: Scope, request: Uint8Array, outLen: number): ErrnoName | undefined {
  if (request.length < SIZEOF_INPUT || request.length > HWRM_MAX_REQ_LEN) return 'EINVAL';
  if (outLen < SIZEOF_OUTPUT) return 'EINVAL';
  const reqType = le(request, 0, 2);
  const desc = DMA_CMDS.find((d) => d.reqType === reqType);
  if (desc !== undefined) {
    if (desc.reqSize !== null && request.length !== desc.reqSize) return 'EINVAL';
    if (!dmaLensValid(request, desc)) return 'EINVAL';
  }
  if (!validateRpc(reqType, scope)) return 'EPERM';
  return undefined;
}
