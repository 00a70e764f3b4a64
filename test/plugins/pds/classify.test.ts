/**
 * The classifier against the kernel's rules (drivers/fwctl/pds/main.c,
 * linux/pds/pds_adminq.h): attribute -> scope, version bits, first match,
 * size limits, unknown endpoints and operations.
 */
import { describe, expect, it } from 'vitest';
import { classAllowsScope, Scope } from 'accelctl/sdk';
import plugin from '../../../plugins/pds/index';
import { CATALOGUE, operationTable } from '../../../plugins/pds/catalog';
import { attrName, attrToClass, attrToScope, classifyWith, encodeRpc, FwAttr, makeOp, opcodeMatches, type OperationTable } from '../../../plugins/pds/protocol';

const table = operationTable();
const classify = (ep: number, op: number, inLen = 0, outLen = 0) => classifyWith(table, encodeRpc({ ep, op, inLen, outLen }));
const ctx = () => ({ cache: new Map<string, unknown>(), inspect: () => Promise.reject(new Error('no')), inspectIndirect: () => Promise.reject(new Error('no')) });

describe('attribute -> scope (pdsfc_get_operations) and class', () => {
  it('maps the five named attributes exactly as the kernel switch does', () => {
    expect(FwAttr).toEqual({ READ: 0x00, DEBUG_READ: 0x02, WRITE: 0x04, DEBUG_WRITE: 0x08, SYNC: 0x10 });
    expect(attrToScope(FwAttr.READ)).toBe(Scope.CONFIGURATION);
    expect(attrToScope(FwAttr.WRITE)).toBe(Scope.CONFIGURATION);
    expect(attrToScope(FwAttr.SYNC)).toBe(Scope.CONFIGURATION);
    expect(attrToScope(FwAttr.DEBUG_READ)).toBe(Scope.DEBUG_READ_ONLY);
    expect(attrToScope(FwAttr.DEBUG_WRITE)).toBe(Scope.DEBUG_WRITE);
  });

  it('sends every other value (unnamed, or bits combined) to DEBUG_WRITE_FULL', () => {
    for (const attr of [0x01, 0x03, 0x06, 0x0a, 0x0c, 0x12, 0x18, 0x20, 0x80, 0xff]) {
      expect(attrToScope(attr), attrName(attr)).toBe(Scope.DEBUG_WRITE_FULL);
      expect(attrToClass(attr)).toBe('mutate-debug');
    }
  });

  it('classes READ/DEBUG_READ inspect, WRITE/SYNC configure, DEBUG_WRITE mutate-debug, consistent with scope', () => {
    expect(attrToClass(FwAttr.READ)).toBe('inspect');
    expect(attrToClass(FwAttr.DEBUG_READ)).toBe('inspect');
    expect(attrToClass(FwAttr.WRITE)).toBe('configure');
    expect(attrToClass(FwAttr.SYNC)).toBe('configure');
    expect(attrToClass(FwAttr.DEBUG_WRITE)).toBe('mutate-debug');
    for (let attr = 0; attr < 256; attr++) expect(classAllowsScope(attrToClass(attr), attrToScope(attr)), `attr ${attr}`).toBe(true);
  });
});

describe('every catalogued operation', () => {
  const expected: Record<string, [string, Scope]> = {
    'system.get_ident': ['inspect', Scope.CONFIGURATION],
    'system.get_temps': ['inspect', Scope.CONFIGURATION],
    'system.set_identify_led': ['configure', Scope.CONFIGURATION],
    'system.commit_config': ['configure', Scope.CONFIGURATION],
    'system.get_fw_list': ['inspect', Scope.CONFIGURATION],
    'system.get_health': ['inspect', Scope.CONFIGURATION],
    'system.get_power': ['inspect', Scope.CONFIGURATION],
    'system.reset': ['configure', Scope.CONFIGURATION],
    'port.get_stats': ['inspect', Scope.CONFIGURATION],
    'port.get_config': ['inspect', Scope.CONFIGURATION],
    'port.set_mtu': ['configure', Scope.CONFIGURATION],
    'port.read_serdes': ['inspect', Scope.DEBUG_READ_ONLY],
    'port.reset_serdes': ['mutate-debug', Scope.DEBUG_WRITE],
    'diag.read_log': ['inspect', Scope.DEBUG_READ_ONLY],
    'diag.clear_log': ['mutate-debug', Scope.DEBUG_WRITE],
    'diag.read_csr': ['inspect', Scope.DEBUG_READ_ONLY],
    'diag.write_csr': ['mutate-debug', Scope.DEBUG_WRITE_FULL],
    'config.get_param': ['inspect', Scope.CONFIGURATION],
    'config.set_param': ['configure', Scope.CONFIGURATION],
  };

  for (const ep of CATALOGUE.endpoints) {
    for (const op of ep.operations) {
      const name = `${ep.name}.${op.name}`;
      it(`${name} -> ${expected[name]?.join(' / ')}`, () => {
        const c = classify(ep.id, makeOp(op.command, op.version));
        expect(c).toEqual({ rpcClass: expected[name]![0], scope: expected[name]![1], name });
      });
    }
  }

  it('covers every attribute kind the kernel names plus one it does not', () => {
    const attrs = new Set(CATALOGUE.endpoints.flatMap((ep) => ep.operations.map((op) => op.attr)));
    for (const a of Object.values(FwAttr)) expect(attrs.has(a)).toBe(true);
    expect([...attrs].some((a) => !(Object.values(FwAttr) as number[]).includes(a))).toBe(true);
    expect(Object.keys(expected).length).toBe(CATALOGUE.endpoints.reduce((n, ep) => n + ep.operations.length, 0));
  });

  it('lists every catalogued operation as an rpcKind with the same class and scope', () => {
    for (const kind of plugin.protocol.rpcKinds) {
      expect([kind.rpcClass, kind.scope]).toEqual(expected[kind.name]);
    }
    expect(plugin.protocol.rpcKinds.length).toBe(Object.keys(expected).length);
  });
});

describe('operation version bits 16-23 (PDS_FWCTL_RPC_OPCODE_CMP)', () => {
  it('accepts any version up to the listed one and refuses a newer one', () => {
    // port.get_stats is listed as version 1
    expect(classify(2, makeOp(0x0101, 0))?.name).toBe('port.get_stats');
    expect(classify(2, makeOp(0x0101, 1))?.name).toBe('port.get_stats');
    expect(classify(2, makeOp(0x0101, 2))).toBeUndefined();
    expect(classify(2, makeOp(0x0101, 0xff))).toBeUndefined();
    // port.get_config is listed as version 0
    expect(classify(2, makeOp(0x0102, 1))).toBeUndefined();
  });

  it('ignores bits 24-31, as the kernel macro does', () => {
    expect(classify(2, ((0xab << 24) | makeOp(0x0101, 1)) >>> 0)?.name).toBe('port.get_stats');
    expect(opcodeMatches(0xff000001, 0x00000001)).toBe(true);
  });

  it('takes the first matching entry in firmware order', () => {
    const dup: OperationTable = {
      maxReqSz: 64,
      maxRespSz: 64,
      endpoints: [{ id: 9, name: 'x', operations: [{ id: makeOp(5, 0), attr: FwAttr.READ, name: 'old' }, { id: makeOp(5, 3), attr: FwAttr.DEBUG_WRITE, name: 'new' }] }],
    };
    expect(classifyWith(dup, encodeRpc({ ep: 9, op: makeOp(5, 0), inLen: 0, outLen: 0 }))?.name).toBe('x.old');
    expect(classifyWith(dup, encodeRpc({ ep: 9, op: makeOp(5, 2), inLen: 0, outLen: 0 }))).toMatchObject({ name: 'x.new', scope: Scope.DEBUG_WRITE });
  });
});

describe('refusals (undefined)', () => {
  it('refuses an unknown endpoint and an unknown operation', () => {
    expect(classify(0, makeOp(1))).toBeUndefined();
    expect(classify(4, makeOp(1))).toBeUndefined();
    expect(classify(0xffffffff, makeOp(1))).toBeUndefined();
    expect(classify(1, makeOp(0x0101))).toBeUndefined(); // a port op on the system endpoint
    expect(classify(3, makeOp(0xffff))).toBeUndefined();
  });

  it('refuses in.len over max_req_sz and out.len over max_resp_sz (EINVAL in the driver)', () => {
    expect(classify(1, makeOp(1), CATALOGUE.maxReqSz, CATALOGUE.maxRespSz)).toBeDefined();
    expect(classify(1, makeOp(1), CATALOGUE.maxReqSz + 1, 0)).toBeUndefined();
    expect(classify(1, makeOp(1), 0, CATALOGUE.maxRespSz + 1)).toBeUndefined();
  });

  it('refuses a request shorter than struct fwctl_rpc_pds', () => {
    expect(classifyWith(table, encodeRpc({ ep: 1, op: 1, inLen: 0, outLen: 0 }).subarray(0, 47))).toBeUndefined();
    expect(classifyWith(table, new Uint8Array(0))).toBeUndefined();
  });
});

describe('protocol.classify', () => {
  it('caches the operation table in ctx.cache and reuses it', async () => {
    const c = ctx();
    expect(await plugin.protocol.classify(encodeRpc({ ep: 2, op: makeOp(0x0104), inLen: 8, outLen: 64 }), c)).toMatchObject({ rpcClass: 'inspect', scope: Scope.DEBUG_READ_ONLY });
    const table1 = c.cache.get('pds:operation-table');
    expect(table1).toBeDefined();
    await plugin.protocol.classify(encodeRpc({ ep: 1, op: 1, inLen: 0, outLen: 0 }), c);
    expect(c.cache.get('pds:operation-table')).toBe(table1);
  });
});
