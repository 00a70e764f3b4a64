/**
 * The classifier against the kernel's table (drivers/fwctl/bnxt/main.c, DMA
 * version), written out here as literal req_type numbers from hsi.h, and the
 * simulated driver's checks against the classifier for every req_type.
 */
import { describe, expect, it } from 'vitest';
import { Scope, classAllowsScope } from 'accelctl/sdk';
import { classifyHwrm, protocol } from '../../../plugins/bnxt/protocol';
import { bnxtDriverCheck } from '../../../plugins/bnxt/sim-driver';

type Row = [name: string, reqType: number];

/* bnxtctl_validate_rpc(): scope >= FWCTL_RPC_CONFIGURATION */
const CONFIGURATION: Row[] = [
  ['FUNC_RESET', 0x11], ['PORT_CLR_STATS', 0x25], ['FW_RESET', 0xc0], ['FW_SYNC', 0xc3], ['FW_SET_TIME', 0xc8],
  ['DBG_LOG_BUFFER_FLUSH', 0xff0f], ['DBG_ERASE_NVM', 0xff15], ['DBG_CFG', 0xff16], ['NVM_DEFRAG', 0xffec],
  ['NVM_FACTORY_DEFAULTS', 0xffee], ['NVM_FLUSH', 0xfff0], ['NVM_VERIFY_UPDATE', 0xfff5], ['NVM_ERASE_DIR_ENTRY', 0xfff7],
  ['NVM_MOD_DIR_ENTRY', 0xfff8], ['NVM_FIND_DIR_ENTRY', 0xfff9],
];
/* bnxtctl_validate_rpc(): scope >= FWCTL_RPC_DEBUG_READ_ONLY */
const READ_ONLY: Row[] = [
  ['VER_GET', 0x0], ['ERROR_RECOVERY_QCFG', 0xc], ['FUNC_QCAPS', 0x15], ['FUNC_QCFG', 0x16], ['FUNC_QSTATS', 0x18],
  ['PORT_PHY_QCFG', 0x27], ['PORT_MAC_QCFG', 0x28], ['PORT_PHY_QCAPS', 0x2a], ['PORT_PHY_I2C_READ', 0x2c],
  ['PORT_PHY_MDIO_READ', 0xb6], ['QUEUE_PRI2COS_QCFG', 0x37], ['QUEUE_COS2BW_QCFG', 0x39], ['VNIC_RSS_QCFG', 0x47],
  ['QUEUE_GLOBAL_QCFG', 0x87], ['QUEUE_ADPTV_QOS_RX_FEATURE_QCFG', 0x88], ['QUEUE_ADPTV_QOS_TX_FEATURE_QCFG', 0x8a],
  ['QUEUE_QCAPS', 0x8c], ['QUEUE_ADPTV_QOS_RX_TUNING_QCFG', 0x8d], ['QUEUE_ADPTV_QOS_TX_TUNING_QCFG', 0x8f],
  ['TUNNEL_DST_PORT_QUERY', 0xa0], ['PORT_TX_FIR_QCFG', 0xbc], ['FW_LIVEPATCH_QUERY', 0xbe], ['FW_QSTATUS', 0xc1],
  ['FW_HEALTH_CHECK', 0xc2], ['FW_GET_TIME', 0xc9], ['PORT_EP_TX_QCFG', 0xda], ['PORT_QCFG', 0xdd], ['PORT_MAC_QCAPS', 0xdf],
  ['TEMP_MONITOR_QUERY', 0xe0], ['REG_POWER_QUERY', 0xe1], ['CORE_FREQUENCY_QUERY', 0xe2],
  ['CFA_REDIRECT_QUERY_TUNNEL_TYPE', 0x112], ['CFA_ADV_FLOW_MGNT_QCAPS', 0x124], ['FUNC_RESOURCE_QCAPS', 0x190],
  ['FUNC_BACKING_STORE_QCAPS', 0x192], ['FUNC_BACKING_STORE_QCFG', 0x194], ['FUNC_QSTATS_EXT', 0x198],
  ['FUNC_PTP_PIN_QCFG', 0x19c], ['FUNC_PTP_EXT_QCFG', 0x1a1], ['FUNC_BACKING_STORE_QCFG_V2', 0x1a4],
  ['FUNC_BACKING_STORE_QCAPS_V2', 0x1a8], ['FUNC_SYNCE_QCFG', 0x1ac], ['FUNC_TTX_PACING_RATE_PROF_QUERY', 0x1c3],
  ['PORT_PHY_FDRSTAT', 0x232], ['DBG_RING_INFO_GET', 0xff1c], ['DBG_QCAPS', 0xff20], ['DBG_QCFG', 0xff21],
  ['DBG_USEQ_FLUSH', 0xff25], ['DBG_USEQ_QCAPS', 0xff26], ['DBG_SIM_CABLE_STATE', 0xff2e],
  ['DBG_TOKEN_QUERY_AUTH_IDS', 0xff2f], ['NVM_GET_DEV_INFO', 0xfff6], ['NVM_GET_DIR_INFO', 0xfffb], ['SELFTEST_QLIST', 0x200],
  ['DBG_COREDUMP_INITIATE', 0xff18],
];
/* bnxtctl_validate_rpc(): scope >= FWCTL_RPC_DEBUG_WRITE */
const DEBUG_WRITE: Row[] = [['PORT_PHY_I2C_WRITE', 0x2b], ['PORT_PHY_MDIO_WRITE', 0xb5]];

/* bnxtctl_dma_cmds[]: req_type, scope_min, sizeof(input), [len offset, width, unit] per buffer */
type DmaRow = [name: string, reqType: number, scope: Scope, size: number | null, lens: [number, 2 | 4, number][]];
const DMA: DmaRow[] = [
  ['NVM_SET_VARIABLE', 0xfff2, Scope.CONFIGURATION, 40, [[24, 2, 1]]],
  ['NVM_GET_VARIABLE', 0xfff1, Scope.CONFIGURATION, 40, [[24, 2, 1]]],
  ['NVM_READ', 0xfffd, Scope.DEBUG_READ_ONLY, 40, [[32, 4, 1]]],
  ['NVM_GET_DIR_ENTRIES', 0xfffa, Scope.DEBUG_READ_ONLY, 24, []],
  ['NVM_WRITE', 0xfffe, Scope.DEBUG_WRITE, 56, [[32, 4, 1]]],
  ['NVM_MODIFY', 0xfff4, Scope.DEBUG_WRITE, 40, [[32, 4, 1]]],
  ['NVM_RAW_WRITE_BLK', 0xffff, Scope.DEBUG_WRITE_FULL, 32, [[28, 4, 1]]],
  ['NVM_RAW_DUMP', 0xfffc, Scope.DEBUG_READ_ONLY, 32, [[28, 4, 1]]],
  ['FW_GET_STRUCTURED_DATA', 0xcb, Scope.DEBUG_READ_ONLY, 32, [[24, 2, 1]]],
  ['FW_SET_STRUCTURED_DATA', 0xca, Scope.DEBUG_WRITE, 32, [[24, 2, 1]]],
  ['FW_LIVEPATCH', 0xbf, Scope.DEBUG_WRITE_FULL, 32, [[20, 4, 1]]],
  ['DBG_COREDUMP_LIST', 0xff17, Scope.DEBUG_READ_ONLY, 32, [[24, 4, 1]]],
  ['DBG_COREDUMP_RETRIEVE', 0xff19, Scope.DEBUG_READ_ONLY, 56, [[24, 4, 1]]],
  ['DBG_READ_DIRECT', 0xff10, Scope.DEBUG_READ_ONLY, 32, [[28, 4, 4]]],
  ['DBG_READ_INDIRECT', 0xff11, Scope.DEBUG_READ_ONLY, 80, [[24, 4, 1]]],
  ['DBG_SERDES_TEST', 0xff0e, Scope.DEBUG_READ_ONLY, null, []],
  ['DBG_TOKEN_CFG', 0xff30, Scope.DEBUG_WRITE_FULL, null, []],
  ['QUEUE_DSCP2PRI_QCFG', 0x3c, Scope.DEBUG_READ_ONLY, 32, [[26, 2, 1]]],
  ['PORT_QSTATS', 0x23, Scope.DEBUG_READ_ONLY, 40, []],
  ['PORT_QSTATS_EXT', 0xb4, Scope.DEBUG_READ_ONLY, 40, [[18, 2, 1], [20, 2, 1]]],
  ['PORT_QSTATS_EXT_PFC_ADV', 0xba, Scope.DEBUG_READ_ONLY, null, []],
  ['PCIE_QSTATS', 0x204, Scope.DEBUG_READ_ONLY, 32, [[16, 2, 1]]],
  ['STAT_GENERIC_QSTATS', 0x218, Scope.DEBUG_READ_ONLY, 32, [[16, 2, 1]]],
  ['STAT_QUERY_ROCE_STATS', 0xe6, Scope.DEBUG_READ_ONLY, null, []],
  ['STAT_QUERY_ROCE_STATS_EXT', 0xe7, Scope.DEBUG_READ_ONLY, null, []],
  ['PORT_EVENTS_LOG', 0x67, Scope.DEBUG_READ_ONLY, null, []],
  ['PORT_PRBS_TEST', 0xd5, Scope.DEBUG_READ_ONLY, 48, [[24, 2, 1]]],
  ['PORT_DSC_DUMP', 0xd9, Scope.DEBUG_READ_ONLY, 40, [[24, 2, 1]]],
  ['SELFTEST_RETRIEVE_SERDES_DATA', 0x203, Scope.DEBUG_READ_ONLY, 40, [[28, 2, 1]]],
  ['DBG_PTRACE', 0xff2d, Scope.DEBUG_WRITE, null, []],
];

/** A request of `size` bytes with req_type set and every DMA length set to `lenValue`. */
function request(reqType: number, size = 16, lens: [number, 2 | 4, number][] = [], lenValue = 64): Uint8Array {
  const bytes = new Uint8Array(size);
  const dv = new DataView(bytes.buffer);
  dv.setUint16(0, reqType, true);
  dv.setUint16(2, 0xffff, true);
  dv.setUint16(6, 0xffff, true);
  for (const [at, width] of lens) {
    if (at + width > size) continue;
    if (width === 2) dv.setUint16(at, lenValue, true);
    else dv.setUint32(at, lenValue, true);
  }
  return bytes;
}

const INSPECT_AT_CONFIGURATION = new Set(['NVM_FIND_DIR_ENTRY', 'NVM_GET_VARIABLE']);

describe('classifier: the inline switch', () => {
  it.each(CONFIGURATION)('HWRM_%s needs CONFIGURATION', (name, type) => {
    const c = classifyHwrm(request(type, 24));
    expect(c).toEqual({ rpcClass: INSPECT_AT_CONFIGURATION.has(name) ? 'inspect' : 'configure', scope: Scope.CONFIGURATION, name: `HWRM_${name}` });
  });
  it.each(READ_ONLY)('HWRM_%s is inspect at DEBUG_READ_ONLY', (name, type) => {
    expect(classifyHwrm(request(type, 24))).toEqual({ rpcClass: 'inspect', scope: Scope.DEBUG_READ_ONLY, name: `HWRM_${name}` });
  });
  it.each(DEBUG_WRITE)('HWRM_%s is mutate-debug at DEBUG_WRITE', (name, type) => {
    expect(classifyHwrm(request(type, 24))).toEqual({ rpcClass: 'mutate-debug', scope: Scope.DEBUG_WRITE, name: `HWRM_${name}` });
  });
});

describe('classifier: the DMA descriptor table', () => {
  it.each(DMA.filter((r) => r[3] !== null))('HWRM_%s: scope, exact size, buffer lengths', (name, type, scope, size, lens) => {
    const good = classifyHwrm(request(type, size!, lens));
    expect(good).toMatchObject({ scope, name: `HWRM_${name}` });
    expect(classAllowsScope(good!.rpcClass, good!.scope)).toBe(true);
    // in_len must equal sizeof(input)
    expect(classifyHwrm(request(type, size! + 8, lens))).toBeUndefined();
    expect(classifyHwrm(request(type, size! - 8, lens))).toBeUndefined();
    if (lens.length > 0) {
      expect(classifyHwrm(request(type, size!, lens, 0))).toBeUndefined(); // zero length
      const [, width, unit] = lens[0]!;
      const limit = Math.floor(0x10000 / unit); // FWCTL_BNXT_MAX_DMABUF in units
      if (width === 4) {
        expect(classifyHwrm(request(type, size!, lens, limit + 1))).toBeUndefined();
        expect(classifyHwrm(request(type, size!, lens, limit))).toBeDefined(); // exactly 64 KiB
      } else {
        expect(classifyHwrm(request(type, size!, lens, 0xffff))).toBeDefined(); // a u16 length always fits
      }
    }
  });
  it.each(DMA.filter((r) => r[3] === null))('HWRM_%s: input layout unknown here, so refused', (_name, type) => {
    for (const size of [16, 24, 32, 40, 48, 56, 64, 80, 128]) expect(classifyHwrm(request(type, size))).toBeUndefined();
  });
});

describe('classifier refusals', () => {
  it('unknown req_types (not in the kernel table)', () => {
    for (const type of [0x17 /* FUNC_CFG */, 0x20 /* PORT_PHY_CFG */, 0xff12 /* DBG_WRITE_DIRECT */, 0xfff3 /* NVM_INSTALL_UPDATE */, 0x1234, 0xd4 /* OEM_CMD */]) {
      expect(classifyHwrm(request(type, 24))).toBeUndefined();
    }
  });
  it('requests shorter than struct input or longer than HWRM_MAX_REQ_LEN', () => {
    expect(classifyHwrm(new Uint8Array(0))).toBeUndefined();
    expect(classifyHwrm(request(0, 16).subarray(0, 15))).toBeUndefined();
    expect(classifyHwrm(request(0, 128))).toBeDefined();
    expect(classifyHwrm(request(0, 129))).toBeUndefined();
  });
  it('every class/scope pair is consistent and rpcKinds lists the whole table', () => {
    const kernelCount = CONFIGURATION.length + READ_ONLY.length + DEBUG_WRITE.length + DMA.length;
    expect(protocol.rpcKinds).toHaveLength(kernelCount);
    for (const kind of protocol.rpcKinds) expect(classAllowsScope(kind.rpcClass, kind.scope)).toBe(true);
    const names = new Set(protocol.rpcKinds.map((k) => k.name));
    for (const [name] of [...CONFIGURATION, ...READ_ONLY, ...DEBUG_WRITE, ...DMA]) expect(names.has(`HWRM_${name}`)).toBe(true);
  });
});

describe('simulated driver agrees with the classifier', () => {
  const scopes = [Scope.CONFIGURATION, Scope.DEBUG_READ_ONLY, Scope.DEBUG_WRITE, Scope.DEBUG_WRITE_FULL];
  const unknownLayout = new Set(DMA.filter((r) => r[3] === null).map((r) => r[1]));

  it('for every req_type 0..0xffff: passes at the classified scope and above, EPERM below, EPERM if unclassified', () => {
    const dmaByType = new Map(DMA.map((r) => [r[1], r] as const));
    let checked = 0;
    for (let type = 0; type <= 0xffff; type++) {
      const dma = dmaByType.get(type);
      const req = dma && dma[3] !== null ? request(type, dma[3], dma[4]) : request(type, 24);
      const c = classifyHwrm(req);
      if (unknownLayout.has(type)) {
        // The kernel knows the size; we do not. The classifier refuses, the driver model checks scope only.
        expect(c).toBeUndefined();
        continue;
      }
      for (const scope of scopes) {
        const errno = bnxtDriverCheck(scope, req, 704);
        if (c === undefined) expect(errno, `0x${type.toString(16)}`).toBe('EPERM');
        else expect(errno, `${c.name} at ${scope}`).toBe(scope >= c.scope ? undefined : 'EPERM');
      }
      checked++;
    }
    expect(checked).toBe(0x10000 - unknownLayout.size);
  });

  it('size checks come first and answer EINVAL', () => {
    expect(bnxtDriverCheck(Scope.DEBUG_WRITE_FULL, new Uint8Array(15), 704)).toBe('EINVAL');
    expect(bnxtDriverCheck(Scope.DEBUG_WRITE_FULL, request(0, 129), 704)).toBe('EINVAL');
    expect(bnxtDriverCheck(Scope.DEBUG_WRITE_FULL, request(0, 24), 7)).toBe('EINVAL');
    expect(bnxtDriverCheck(Scope.CONFIGURATION, request(0xfffd, 48, [[32, 4, 1]]), 704)).toBe('EINVAL'); // NVM_READ wrong size
    expect(bnxtDriverCheck(Scope.DEBUG_READ_ONLY, request(0xfffd, 40, [[32, 4, 1]], 0), 704)).toBe('EINVAL'); // zero length
    expect(bnxtDriverCheck(Scope.CONFIGURATION, request(0xfffd, 40, [[32, 4, 1]]), 704)).toBe('EPERM'); // good size, low scope
  });
});
