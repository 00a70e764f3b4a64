/**
 * The mlx5 command opcodes the kernel's fwctl driver lets through, and the rule
 * it applies to each: drivers/fwctl/mlx5/main.c `mlx5ctl_validate_rpc()`.
 *
 * Opcode numbers come from include/linux/mlx5/mlx5_ifc.h (the big
 * `MLX5_CMD_OP_*` enum) and from the local enum at the top of
 * drivers/fwctl/mlx5/main.c (opcodes mlx5_ifc.h does not name). The table is
 * data, not logic: protocol.ts turns a rule into a class + minimum scope.
 */

/**
 * How mlx5ctl_validate_rpc() treats an opcode:
 *  - any-scope:        `return true` (FWCTL_RPC_CONFIGURATION and above)
 *  - debug-read-only:  `return scope >= FWCTL_RPC_DEBUG_READ_ONLY`
 *  - debug-write:      `return scope >= FWCTL_RPC_DEBUG_WRITE`
 *  - register-access:  op_mod 0 (write) any scope, otherwise DEBUG_READ_ONLY
 */
export type KernelRule = 'any-scope' | 'debug-read-only' | 'debug-write' | 'register-access';

export interface OpcodeInfo {
  opcode: number;
  /** MLX5_CMD_OP_<name> without the prefix. */
  name: string;
  rule: KernelRule;
  /**
   * For any-scope opcodes: does it change device state? The driver does not
   * care (all are CONFIGURATION), but accelctl's class does: a QUERY_* is
   * `inspect`, a MODIFY/SET/DELEGATE/POSTPONE is `configure`.
   */
  changes?: boolean;
}

const anyScope = (opcode: number, name: string, changes = false): OpcodeInfo => ({ opcode, name, rule: 'any-scope', changes });
const debugRo = (opcode: number, name: string): OpcodeInfo => ({ opcode, name, rule: 'debug-read-only' });

/** Every opcode mlx5ctl_validate_rpc() names, in the order of its switch. */
export const ALLOWED_OPCODES: readonly OpcodeInfo[] = [
  // "return true; /* scope >= FWCTL_RPC_CONFIGURATION; */"
  anyScope(0x823, 'MODIFY_CONG_STATUS', true),
  anyScope(0xb2e, 'POSTPONE_CONNECTED_QP_TIMEOUT', true), // local enum in main.c
  anyScope(0x101, 'QUERY_ADAPTER'),
  anyScope(0x740, 'QUERY_ESW_FUNCTIONS'),
  anyScope(0x100, 'QUERY_HCA_CAP'),
  anyScope(0x762, 'QUERY_HCA_VPORT_CONTEXT'),
  anyScope(0x10e, 'QUERY_OTHER_HCA_CAP'), // local enum in main.c
  anyScope(0x760, 'QUERY_ROCE_ADDRESS'),
  anyScope(0xb22, 'QUERY_VUID'), // MLX5_CMD_OPCODE_QUERY_VUID (mlx5_ifc.h) = MLX5_CMD_OP_QUERY_VUID (main.c)
  anyScope(0x731, 'DELEGATE_VHCA_MANAGEMENT', true), // local enum in main.c
  // "FW limits SET_HCA_CAP on the tools UID to only the other function mode"
  anyScope(0x109, 'SET_HCA_CAP', true),

  // "return scope >= FWCTL_RPC_DEBUG_READ_ONLY;"
  debugRo(0x964, 'FPGA_QUERY_QP_COUNTERS'),
  debugRo(0x962, 'FPGA_QUERY_QP'),
  debugRo(0x80d, 'NOP'),
  debugRo(0x971, 'QUERY_AFU'),
  debugRo(0x813, 'QUERY_BURST_SIZE'),
  debugRo(0x981, 'QUERY_CAPI_PEC'),
  debugRo(0x824, 'QUERY_CONG_PARAMS'),
  debugRo(0x826, 'QUERY_CONG_STATISTICS'),
  debugRo(0x822, 'QUERY_CONG_STATUS'),
  debugRo(0x402, 'QUERY_CQ'),
  debugRo(0xb14, 'QUERY_CRYPTO_STATE'),
  debugRo(0x716, 'QUERY_DC_CNAK_TRACE'),
  debugRo(0x713, 'QUERY_DCT'),
  debugRo(0x911, 'QUERY_DELAY_DROP_PARAMS'),
  debugRo(0x821, 'QUERY_DIAGNOSTIC_COUNTERS'),
  debugRo(0x819, 'QUERY_DIAGNOSTIC_PARAMS'),
  debugRo(0xb28, 'QUERY_DPA_PARTITION'),
  debugRo(0xb2a, 'QUERY_DPA_PARTITIONS'),
  debugRo(0x10c, 'QUERY_DRIVER_VERSION'),
  debugRo(0xb03, 'QUERY_EMULATED_FUNCTIONS_INFO'),
  debugRo(0xb2f, 'QUERY_EMULATED_RESOURCES_INFO'),
  debugRo(0xb0f, 'QUERY_EMULATION_DEVICE_EQ_MSIX_MAPPING'),
  debugRo(0x303, 'QUERY_EQ'),
  debugRo(0x752, 'QUERY_ESW_VPORT_CONTEXT'),
  debugRo(0x93b, 'QUERY_FLOW_COUNTER'),
  debugRo(0x935, 'QUERY_FLOW_GROUP'),
  debugRo(0x937, 'QUERY_FLOW_TABLE_ENTRY'),
  debugRo(0x932, 'QUERY_FLOW_TABLE'),
  debugRo(0xa02, 'QUERY_GENERAL_OBJECT'),
  debugRo(0x764, 'QUERY_HCA_VPORT_GID'),
  debugRo(0x765, 'QUERY_HCA_VPORT_PKEY'),
  debugRo(0x10a, 'QUERY_ISSI'),
  debugRo(0x82a, 'QUERY_L2_TABLE_ENTRY'),
  debugRo(0x842, 'QUERY_LAG'),
  debugRo(0x80b, 'QUERY_MAD_DEMUX'),
  debugRo(0xb13, 'QUERY_MATCH_SAMPLE_INFO'),
  debugRo(0x201, 'QUERY_MKEY'),
  debugRo(0x942, 'QUERY_MODIFY_HEADER_CONTEXT'),
  debugRo(0x8001, 'QUERY_MTT'),
  debugRo(0x754, 'QUERY_NIC_VPORT_CONTEXT'),
  debugRo(0x722, 'QUERY_NVMF_BACKEND_CONTROLLER'),
  debugRo(0xb02, 'QUERY_NVMF_CC_RESPONSE'),
  debugRo(0x728, 'QUERY_NVMF_NAMESPACE_CONTEXT'),
  debugRo(0x93f, 'QUERY_PACKET_REFORMAT_CONTEXT'),
  debugRo(0x107, 'QUERY_PAGES'),
  debugRo(0x602, 'QUERY_PSV'),
  debugRo(0x773, 'QUERY_Q_COUNTER'),
  debugRo(0x50b, 'QUERY_QP'),
  debugRo(0x781, 'QUERY_RATE_LIMIT'),
  debugRo(0x512, 'QUERY_RDB'),
  debugRo(0xb05, 'QUERY_REGEXP_PARAMS'),
  debugRo(0xb07, 'QUERY_REGEXP_REGISTER'),
  debugRo(0x90f, 'QUERY_RMP'),
  debugRo(0x90b, 'QUERY_RQ'),
  debugRo(0x919, 'QUERY_RQT'),
  debugRo(0x8000, 'QUERY_RSV_RESOURCES'),
  debugRo(0x8006, 'QUERY_SCHED_QUEUE'),
  debugRo(0x784, 'QUERY_SCHEDULING_ELEMENT'),
  debugRo(0x111, 'QUERY_SF_PARTITION'),
  debugRo(0x203, 'QUERY_SPECIAL_CONTEXTS'),
  debugRo(0x907, 'QUERY_SQ'),
  debugRo(0x702, 'QUERY_SRQ'),
  debugRo(0x903, 'QUERY_TIR'),
  debugRo(0x915, 'QUERY_TIS'),
  debugRo(0xa05, 'QUERY_UCTX'),
  debugRo(0xa09, 'QUERY_UMEM'),
  debugRo(0x117, 'QUERY_VHCA_MIGRATION_STATE'),
  debugRo(0xb0d, 'QUERY_VHCA_STATE'),
  debugRo(0x76f, 'QUERY_VNIC_ENV'),
  debugRo(0x770, 'QUERY_VPORT_COUNTER'),
  debugRo(0x750, 'QUERY_VPORT_STATE'),
  debugRo(0x831, 'QUERY_WOL_ROL'),
  debugRo(0x707, 'QUERY_XRC_SRQ'),
  debugRo(0x725, 'QUERY_XRQ_DC_PARAMS_ENTRY'),
  debugRo(0x727, 'QUERY_XRQ_ERROR_PARAMS'),
  debugRo(0x719, 'QUERY_XRQ'),
  debugRo(0xb08, 'USER_QUERY_XRQ_DC_PARAMS_ENTRY'),
  debugRo(0xb0a, 'USER_QUERY_XRQ_ERROR_PARAMS'),
  debugRo(0x730, 'QUERY_ADJACENT_FUNCTIONS_ID'),
  debugRo(0x732, 'QUERY_DELEGATED_VHCA'),

  // "return scope >= FWCTL_RPC_DEBUG_WRITE;"
  { opcode: 0x820, name: 'SET_DIAGNOSTIC_PARAMS', rule: 'debug-write' },

  // "if (op_mod == 0) /* write */ return true; return scope >= FWCTL_RPC_DEBUG_READ_ONLY;"
  { opcode: 0x805, name: 'ACCESS_REG', rule: 'register-access' },
  { opcode: 0xb0c, name: 'ACCESS_REGISTER_USER', rule: 'register-access' },
];

/** Opcodes this plugin encodes itself, by name. */
export const OP = {
  QUERY_HCA_CAP: 0x100,
  QUERY_ADAPTER: 0x101,
  SET_HCA_CAP: 0x109,
  ACCESS_REG: 0x805,
  NOP: 0x80d,
  QUERY_DIAGNOSTIC_PARAMS: 0x819,
  SET_DIAGNOSTIC_PARAMS: 0x820,
  QUERY_DIAGNOSTIC_COUNTERS: 0x821,
  ACCESS_REGISTER_USER: 0xb0c,
} as const;

/**
 * A few well-known opcodes the driver refuses (they allocate or destroy FW
 * objects, or reset the function). Only used to name them in `rpc` output.
 */
export const REFUSED_OPCODE_NAMES: Readonly<Record<number, string>> = {
  0x102: 'INIT_HCA',
  0x103: 'TEARDOWN_HCA',
  0x104: 'ENABLE_HCA',
  0x105: 'DISABLE_HCA',
  0x108: 'MANAGE_PAGES',
  0x10b: 'SET_ISSI',
  0x10d: 'SET_DRIVER_VERSION',
  0x200: 'CREATE_MKEY',
  0x202: 'DESTROY_MKEY',
  0x301: 'CREATE_EQ',
  0x400: 'CREATE_CQ',
  0x500: 'CREATE_QP',
  0x501: 'DESTROY_QP',
  0x755: 'MODIFY_NIC_VPORT_CONTEXT',
  0x800: 'ALLOC_PD',
  0x825: 'MODIFY_CONG_PARAMS',
  0xa04: 'CREATE_UCTX',
  0xa06: 'DESTROY_UCTX',
  0xb0e: 'MODIFY_VHCA_STATE',
};

const BY_OPCODE: ReadonlyMap<number, OpcodeInfo> = new Map(ALLOWED_OPCODES.map((info) => [info.opcode, info]));

export function lookupOpcode(opcode: number): OpcodeInfo | undefined {
  return BY_OPCODE.get(opcode);
}

export function opcodeName(opcode: number): string {
  return BY_OPCODE.get(opcode)?.name ?? REFUSED_OPCODE_NAMES[opcode] ?? `OPCODE_0x${opcode.toString(16).padStart(4, '0')}`;
}
