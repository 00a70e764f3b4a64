/**
 * The kernel driver's own checks, modelled on drivers/fwctl/mlx5/main.c
 * `mlx5ctl_fw_rpc()` and `mlx5ctl_validate_rpc()`.
 *
 * Written on purpose as its own switch over raw header bytes (like the C code),
 * not on top of opcodes.ts / protocol.ts: the tests compare this with the
 * plugin's classifier, and that comparison only means something if the two
 * are independent transcriptions of the kernel.
 */
import type { ErrnoName } from 'accelctl/sdk';

/** MLX5_ST_SZ_BYTES(mbox_in_hdr) and MLX5_ST_SZ_BYTES(mbox_out_hdr). */
const MBOX_IN_HDR_BYTES = 16;
const MBOX_OUT_HDR_BYTES = 16;

/** enum fwctl_rpc_scope */
const FWCTL_RPC_DEBUG_READ_ONLY = 1;
const FWCTL_RPC_DEBUG_WRITE = 2;

export function validateRpc(rpcIn: Uint8Array, scope: number): boolean {
  // MLX5_GET(mbox_in_hdr, in, opcode) / op_mod: big-endian u16 at bytes 0 and 6.
  const opcode = ((rpcIn[0] ?? 0) << 8) | (rpcIn[1] ?? 0);
  const opMod = ((rpcIn[6] ?? 0) << 8) | (rpcIn[7] ?? 0);

  switch (opcode) {
    case 0x823: // MODIFY_CONG_STATUS
    case 0xb2e: // POSTPONE_CONNECTED_QP_TIMEOUT
    case 0x101: // QUERY_ADAPTER
    case 0x740: // QUERY_ESW_FUNCTIONS
    case 0x100: // QUERY_HCA_CAP
    case 0x762: // QUERY_HCA_VPORT_CONTEXT
    case 0x10e: // QUERY_OTHER_HCA_CAP
    case 0x760: // QUERY_ROCE_ADDRESS
    case 0xb22: // QUERY_VUID
    case 0x731: // DELEGATE_VHCA_MANAGEMENT
    case 0x109: // SET_HCA_CAP
      return true; /* scope >= FWCTL_RPC_CONFIGURATION */

    case 0x964: // FPGA_QUERY_QP_COUNTERS
    case 0x962: // FPGA_QUERY_QP
    case 0x80d: // NOP
    case 0x971: // QUERY_AFU
    case 0x813: // QUERY_BURST_SIZE
    case 0x981: // QUERY_CAPI_PEC
    case 0x824: // QUERY_CONG_PARAMS
    case 0x826: // QUERY_CONG_STATISTICS
    case 0x822: // QUERY_CONG_STATUS
    case 0x402: // QUERY_CQ
    case 0xb14: // QUERY_CRYPTO_STATE
    case 0x716: // QUERY_DC_CNAK_TRACE
    case 0x713: // QUERY_DCT
    case 0x911: // QUERY_DELAY_DROP_PARAMS
    case 0x821: // QUERY_DIAGNOSTIC_COUNTERS
    case 0x819: // QUERY_DIAGNOSTIC_PARAMS
    case 0xb28: // QUERY_DPA_PARTITION
    case 0xb2a: // QUERY_DPA_PARTITIONS
    case 0x10c: // QUERY_DRIVER_VERSION
    case 0xb03: // QUERY_EMULATED_FUNCTIONS_INFO
    case 0xb2f: // QUERY_EMULATED_RESOURCES_INFO
    case 0xb0f: // QUERY_EMULATION_DEVICE_EQ_MSIX_MAPPING
    case 0x303: // QUERY_EQ
    case 0x752: // QUERY_ESW_VPORT_CONTEXT
    case 0x93b: // QUERY_FLOW_COUNTER
    case 0x935: // QUERY_FLOW_GROUP
    case 0x937: // QUERY_FLOW_TABLE_ENTRY
    case 0x932: // QUERY_FLOW_TABLE
    case 0xa02: // QUERY_GENERAL_OBJECT
    case 0x764: // QUERY_HCA_VPORT_GID
    case 0x765: // QUERY_HCA_VPORT_PKEY
    case 0x10a: // QUERY_ISSI
    case 0x82a: // QUERY_L2_TABLE_ENTRY
    case 0x842: // QUERY_LAG
    case 0x80b: // QUERY_MAD_DEMUX
    case 0xb13: // QUERY_MATCH_SAMPLE_INFO
    case 0x201: // QUERY_MKEY
    case 0x942: // QUERY_MODIFY_HEADER_CONTEXT
    case 0x8001: // QUERY_MTT
    case 0x754: // QUERY_NIC_VPORT_CONTEXT
    case 0x722: // QUERY_NVMF_BACKEND_CONTROLLER
    case 0xb02: // QUERY_NVMF_CC_RESPONSE
    case 0x728: // QUERY_NVMF_NAMESPACE_CONTEXT
    case 0x93f: // QUERY_PACKET_REFORMAT_CONTEXT
    case 0x107: // QUERY_PAGES
    case 0x602: // QUERY_PSV
    case 0x773: // QUERY_Q_COUNTER
    case 0x50b: // QUERY_QP
    case 0x781: // QUERY_RATE_LIMIT
    case 0x512: // QUERY_RDB
    case 0xb05: // QUERY_REGEXP_PARAMS
    case 0xb07: // QUERY_REGEXP_REGISTER
    case 0x90f: // QUERY_RMP
    case 0x90b: // QUERY_RQ
    case 0x919: // QUERY_RQT
    case 0x8000: // QUERY_RSV_RESOURCES
    case 0x8006: // QUERY_SCHED_QUEUE
    case 0x784: // QUERY_SCHEDULING_ELEMENT
    case 0x111: // QUERY_SF_PARTITION
    case 0x203: // QUERY_SPECIAL_CONTEXTS
    case 0x907: // QUERY_SQ
    case 0x702: // QUERY_SRQ
    case 0x903: // QUERY_TIR
    case 0x915: // QUERY_TIS
    case 0xa05: // QUERY_UCTX
    case 0xa09: // QUERY_UMEM
    case 0x117: // QUERY_VHCA_MIGRATION_STATE
    case 0xb0d: // QUERY_VHCA_STATE
    case 0x76f: // QUERY_VNIC_ENV
    case 0x770: // QUERY_VPORT_COUNTER
    case 0x750: // QUERY_VPORT_STATE
    case 0x831: // QUERY_WOL_ROL
    case 0x707: // QUERY_XRC_SRQ
    case 0x725: // QUERY_XRQ_DC_PARAMS_ENTRY
    case 0x727: // QUERY_XRQ_ERROR_PARAMS
    case 0x719: // QUERY_XRQ
    case 0xb08: // USER_QUERY_XRQ_DC_PARAMS_ENTRY
    case 0xb0a: // USER_QUERY_XRQ_ERROR_PARAMS
    case 0x730: // QUERY_ADJACENT_FUNCTIONS_ID
    case 0x732: // QUERY_DELEGATED_VHCA
      return scope >= FWCTL_RPC_DEBUG_READ_ONLY;

    case 0x820: // SET_DIAGNOSTIC_PARAMS
      return scope >= FWCTL_RPC_DEBUG_WRITE;

    case 0x805: // ACCESS_REG
    case 0xb0c: // ACCESS_REGISTER_USER
      if (opMod === 0) /* write */ return true; /* scope >= FWCTL_RPC_CONFIGURATION */
      return scope >= FWCTL_RPC_DEBUG_READ_ONLY;

    default:
      return false;
  }
}

/** mlx5ctl_fw_rpc(): size checks first (EMSGSIZE), then the allow-list (EBADMSG). */
export function mlx5DriverCheck(scope: number, rpcIn: Uint8Array, outLen: number): ErrnoName | undefined {
  if (rpcIn.length < MBOX_IN_HDR_BYTES || outLen < MBOX_OUT_HDR_BYTES) return 'EMSGSIZE';
  if (!validateRpc(rpcIn, scope)) return 'EBADMSG';
  return undefined;
}
