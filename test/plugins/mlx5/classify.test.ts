/**
 * The classifier against drivers/fwctl/mlx5/main.c mlx5ctl_validate_rpc(): every
 * opcode the kernel names (expected class + minimum scope written out here,
 * independently of opcodes.ts), opcodes outside the list, and agreement with
 * the simulated driver (sim-driver.ts, a separate transcription) for every
 * 16-bit opcode at every scope.
 */
import { Scope, classAllowsScope } from 'accelctl/sdk';
import { describe, expect, it } from 'vitest';
import { ALLOWED_OPCODES } from '../../../plugins/mlx5/opcodes';
import { classify, protocol } from '../../../plugins/mlx5/protocol';

const { rpcKinds } = protocol;
import { mlx5DriverCheck } from '../../../plugins/mlx5/sim-driver';

type Expect = [opcode: number, name: string, rpcClass: 'inspect' | 'configure' | 'mutate-debug', scope: Scope];
const C = Scope.CONFIGURATION;
const RO = Scope.DEBUG_READ_ONLY;
const W = Scope.DEBUG_WRITE;

/** Transcribed from mlx5ctl_validate_rpc() (opcode values: mlx5_ifc.h + main.c local enum). */
const KERNEL_TABLE: Expect[] = [
  [0x823, 'MODIFY_CONG_STATUS', 'configure', C],
  [0xb2e, 'POSTPONE_CONNECTED_QP_TIMEOUT', 'configure', C],
  [0x101, 'QUERY_ADAPTER', 'inspect', C],
  [0x740, 'QUERY_ESW_FUNCTIONS', 'inspect', C],
  [0x100, 'QUERY_HCA_CAP', 'inspect', C],
  [0x762, 'QUERY_HCA_VPORT_CONTEXT', 'inspect', C],
  [0x10e, 'QUERY_OTHER_HCA_CAP', 'inspect', C],
  [0x760, 'QUERY_ROCE_ADDRESS', 'inspect', C],
  [0xb22, 'QUERY_VUID', 'inspect', C],
  [0x731, 'DELEGATE_VHCA_MANAGEMENT', 'configure', C],
  [0x109, 'SET_HCA_CAP', 'configure', C],
  ...(
    [
      [0x964, 'FPGA_QUERY_QP_COUNTERS'], [0x962, 'FPGA_QUERY_QP'], [0x80d, 'NOP'], [0x971, 'QUERY_AFU'],
      [0x813, 'QUERY_BURST_SIZE'], [0x981, 'QUERY_CAPI_PEC'], [0x824, 'QUERY_CONG_PARAMS'], [0x826, 'QUERY_CONG_STATISTICS'],
      [0x822, 'QUERY_CONG_STATUS'], [0x402, 'QUERY_CQ'], [0xb14, 'QUERY_CRYPTO_STATE'], [0x716, 'QUERY_DC_CNAK_TRACE'],
      [0x713, 'QUERY_DCT'], [0x911, 'QUERY_DELAY_DROP_PARAMS'], [0x821, 'QUERY_DIAGNOSTIC_COUNTERS'],
      [0x819, 'QUERY_DIAGNOSTIC_PARAMS'], [0xb28, 'QUERY_DPA_PARTITION'], [0xb2a, 'QUERY_DPA_PARTITIONS'],
      [0x10c, 'QUERY_DRIVER_VERSION'], [0xb03, 'QUERY_EMULATED_FUNCTIONS_INFO'], [0xb2f, 'QUERY_EMULATED_RESOURCES_INFO'],
      [0xb0f, 'QUERY_EMULATION_DEVICE_EQ_MSIX_MAPPING'], [0x303, 'QUERY_EQ'], [0x752, 'QUERY_ESW_VPORT_CONTEXT'],
      [0x93b, 'QUERY_FLOW_COUNTER'], [0x935, 'QUERY_FLOW_GROUP'], [0x937, 'QUERY_FLOW_TABLE_ENTRY'], [0x932, 'QUERY_FLOW_TABLE'],
      [0xa02, 'QUERY_GENERAL_OBJECT'], [0x764, 'QUERY_HCA_VPORT_GID'], [0x765, 'QUERY_HCA_VPORT_PKEY'], [0x10a, 'QUERY_ISSI'],
      [0x82a, 'QUERY_L2_TABLE_ENTRY'], [0x842, 'QUERY_LAG'], [0x80b, 'QUERY_MAD_DEMUX'], [0xb13, 'QUERY_MATCH_SAMPLE_INFO'],
      [0x201, 'QUERY_MKEY'], [0x942, 'QUERY_MODIFY_HEADER_CONTEXT'], [0x8001, 'QUERY_MTT'], [0x754, 'QUERY_NIC_VPORT_CONTEXT'],
      [0x722, 'QUERY_NVMF_BACKEND_CONTROLLER'], [0xb02, 'QUERY_NVMF_CC_RESPONSE'], [0x728, 'QUERY_NVMF_NAMESPACE_CONTEXT'],
      [0x93f, 'QUERY_PACKET_REFORMAT_CONTEXT'], [0x107, 'QUERY_PAGES'], [0x602, 'QUERY_PSV'], [0x773, 'QUERY_Q_COUNTER'],
      [0x50b, 'QUERY_QP'], [0x781, 'QUERY_RATE_LIMIT'], [0x512, 'QUERY_RDB'], [0xb05, 'QUERY_REGEXP_PARAMS'],
      [0xb07, 'QUERY_REGEXP_REGISTER'], [0x90f, 'QUERY_RMP'], [0x90b, 'QUERY_RQ'], [0x919, 'QUERY_RQT'],
      [0x8000, 'QUERY_RSV_RESOURCES'], [0x8006, 'QUERY_SCHED_QUEUE'], [0x784, 'QUERY_SCHEDULING_ELEMENT'],
      [0x111, 'QUERY_SF_PARTITION'], [0x203, 'QUERY_SPECIAL_CONTEXTS'], [0x907, 'QUERY_SQ'], [0x702, 'QUERY_SRQ'],
      [0x903, 'QUERY_TIR'], [0x915, 'QUERY_TIS'], [0xa05, 'QUERY_UCTX'], [0xa09, 'QUERY_UMEM'],
      [0x117, 'QUERY_VHCA_MIGRATION_STATE'], [0xb0d, 'QUERY_VHCA_STATE'], [0x76f, 'QUERY_VNIC_ENV'],
      [0x770, 'QUERY_VPORT_COUNTER'], [0x750, 'QUERY_VPORT_STATE'], [0x831, 'QUERY_WOL_ROL'], [0x707, 'QUERY_XRC_SRQ'],
      [0x725, 'QUERY_XRQ_DC_PARAMS_ENTRY'], [0x727, 'QUERY_XRQ_ERROR_PARAMS'], [0x719, 'QUERY_XRQ'],
      [0xb08, 'USER_QUERY_XRQ_DC_PARAMS_ENTRY'], [0xb0a, 'USER_QUERY_XRQ_ERROR_PARAMS'],
      [0x730, 'QUERY_ADJACENT_FUNCTIONS_ID'], [0x732, 'QUERY_DELEGATED_VHCA'],
    ] as const
  ).map(([op, name]): Expect => [op, name, 'inspect', RO]),
  [0x820, 'SET_DIAGNOSTIC_PARAMS', 'mutate-debug', W],
];

/** A few the driver refuses: object create/destroy, function reset, garbage. */
const OUTSIDE = [0x0000, 0x0102, 0x0103, 0x0108, 0x0200, 0x0202, 0x0500, 0x0501, 0x0755, 0x0825, 0x0a04, 0x0a06, 0x0b0e, 0x7fff, 0xffff];

const mailbox = (opcode: number, opMod = 0, length = 16): Uint8Array => {
  const bytes = new Uint8Array(length);
  bytes[0] = opcode >> 8;
  bytes[1] = opcode & 0xff;
  bytes[6] = opMod >> 8;
  bytes[7] = opMod & 0xff;
  return bytes;
};

describe('classify: every opcode in mlx5ctl_validate_rpc()', () => {
  it('the opcode table has exactly the kernel entries', () => {
    expect(KERNEL_TABLE.length).toBe(92);
    const table = ALLOWED_OPCODES.filter((o) => o.rule !== 'register-access').map((o) => [o.opcode, o.name]);
    expect(new Set(table.map(([op]) => op)).size).toBe(table.length); // no duplicate opcode
    expect(table.sort()).toEqual(KERNEL_TABLE.map(([op, name]) => [op, name]).sort());
  });

  it.each(KERNEL_TABLE)('opcode %i (%s) → %s at scope %i', (opcode, name, rpcClass, scope) => {
    // any op_mod: only ACCESS_REG* look at it
    for (const opMod of [0, 1, 0x1b, 0xffff]) {
      expect(classify(mailbox(opcode, opMod))).toEqual({ rpcClass, scope, name });
    }
  });

  it('ACCESS_REG / ACCESS_REGISTER_USER: op_mod 0 is a configure write, anything else an inspect read at DEBUG_READ_ONLY', () => {
    for (const [opcode, name] of [[0x805, 'ACCESS_REG'], [0xb0c, 'ACCESS_REGISTER_USER']] as const) {
      expect(classify(mailbox(opcode, 0))).toEqual({ rpcClass: 'configure', scope: C, name: `${name}_WRITE` });
      for (const opMod of [1, 2, 0x100, 0xffff]) {
        expect(classify(mailbox(opcode, opMod))).toEqual({ rpcClass: 'inspect', scope: RO, name: `${name}_READ` });
      }
    }
  });

  it.each(OUTSIDE)('opcode %i outside the allow-list → undefined', (opcode) => {
    expect(classify(mailbox(opcode))).toBeUndefined();
    expect(classify(mailbox(opcode, 1, 64))).toBeUndefined();
  });

  it('requests shorter than the 16-byte in header → undefined', () => {
    for (let len = 0; len < 16; len++) expect(classify(mailbox(0x100, 1, 16).subarray(0, len))).toBeUndefined();
    expect(classify(mailbox(0x100, 1, 16))).toBeDefined();
  });

  it('every classification respects classAllowsScope, and rpcKinds lists each of them', () => {
    const names = new Set(rpcKinds.map((k) => k.name));
    expect(rpcKinds.length).toBe(92 + 4);
    for (const kind of rpcKinds) expect(classAllowsScope(kind.rpcClass, kind.scope)).toBe(true);
    for (const [, name] of KERNEL_TABLE) expect(names.has(name)).toBe(true);
    for (const n of ['ACCESS_REG_READ', 'ACCESS_REG_WRITE', 'ACCESS_REGISTER_USER_READ', 'ACCESS_REGISTER_USER_WRITE']) expect(names.has(n)).toBe(true);
    const byName = new Map(rpcKinds.map((k) => [k.name, k]));
    expect(byName.get('ACCESS_REG_READ')).toMatchObject({ rpcClass: 'inspect', scope: RO });
    expect(byName.get('SET_DIAGNOSTIC_PARAMS')).toMatchObject({ rpcClass: 'mutate-debug', scope: W });
  });
});

describe('simulated driver (sim-driver.ts) agrees with the classifier', () => {
  const scopes = [Scope.CONFIGURATION, Scope.DEBUG_READ_ONLY, Scope.DEBUG_WRITE, Scope.DEBUG_WRITE_FULL];

  it('for every 16-bit opcode, op_mod 0/1/7, at every scope', () => {
    let allowed = 0;
    for (let opcode = 0; opcode <= 0xffff; opcode++) {
      for (const opMod of [0, 1, 7]) {
        const req = mailbox(opcode, opMod);
        const c = classify(req);
        for (const scope of scopes) {
          const errno = mlx5DriverCheck(scope, req, 16);
          const expected = c !== undefined && scope >= c.scope ? undefined : 'EBADMSG';
          if (errno !== expected) throw new Error(`opcode 0x${opcode.toString(16)} op_mod ${opMod} scope ${scope}: driver ${errno}, classifier ${JSON.stringify(c)}`);
        }
        if (c && opMod === 0) allowed++;
      }
    }
    expect(allowed).toBe(94); // 92 table entries + ACCESS_REG + ACCESS_REGISTER_USER
  });

  it('passes at the classified scope and refuses one below it', () => {
    for (const [opcode, , , scope] of KERNEL_TABLE) {
      const req = mailbox(opcode);
      expect(mlx5DriverCheck(scope, req, 16)).toBeUndefined();
      if (scope > 0) expect(mlx5DriverCheck((scope - 1) as Scope, req, 16)).toBe('EBADMSG');
    }
  });

  it('EMSGSIZE when in or out is shorter than the 16-byte mailbox header', () => {
    expect(mlx5DriverCheck(Scope.CONFIGURATION, mailbox(0x100).subarray(0, 15), 0x1010)).toBe('EMSGSIZE');
    expect(mlx5DriverCheck(Scope.CONFIGURATION, mailbox(0x100), 15)).toBe('EMSGSIZE');
    // size checks come before the allow-list: a refused opcode with a short out is EMSGSIZE too
    expect(mlx5DriverCheck(Scope.DEBUG_WRITE_FULL, mailbox(0x200), 8)).toBe('EMSGSIZE');
    expect(mlx5DriverCheck(Scope.CONFIGURATION, mailbox(0x100), 16)).toBeUndefined();
  });
});
