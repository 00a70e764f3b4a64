/**
 * The simulated kernel driver (sim-driver.ts, read from the firmware's query
 * bytes) against the plugin's classifier (catalog.ts): they are written
 * separately and must reach the same decision for every request.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Scope } from 'accelctl/sdk';
import { CATALOGUE, operationTable } from '../../../plugins/pds/catalog';
import { classifyWith, encodeRpc, makeOp } from '../../../plugins/pds/protocol';
import sim from '../../../plugins/pds/sim';
import { driverScopeOf, probeDriver, validateRpc } from '../../../plugins/pds/sim-driver';
import { FIRMWARE_ENDPOINTS, FIRMWARE_LIMITS } from '../../../plugins/pds/sim-firmware';

const state = sim.create({ index: 0, serial: 'FLM0000000001' });
const SCOPES = [Scope.CONFIGURATION, Scope.DEBUG_READ_ONLY, Scope.DEBUG_WRITE, Scope.DEBUG_WRITE_FULL] as const;
const table = operationTable();

describe('catalogue vs firmware', () => {
  it('lists the same endpoints, operation ids, attributes (in order) and limits', () => {
    expect(FIRMWARE_LIMITS).toEqual({ maxReqSz: CATALOGUE.maxReqSz, maxRespSz: CATALOGUE.maxRespSz });
    expect(table.endpoints.map((ep) => ({ id: ep.id, ops: ep.operations.map((op) => [op.id, op.attr]) }))).toEqual(
      FIRMWARE_ENDPOINTS.map((ep) => ({ id: ep.id, ops: ep.ops.map(([id, attr]) => [id, attr]) })),
    );
  });
});

describe('driverScopeOf (the kernel switch, sim side)', () => {
  it('agrees with the documented mapping', () => {
    expect([0x00, 0x02, 0x04, 0x08, 0x10, 0x20, 0x06].map(driverScopeOf)).toEqual([0, 1, 0, 2, 0, 3, 3]);
  });
});

describe('driverCheck agrees with the classifier', () => {
  for (const ep of CATALOGUE.endpoints) {
    for (const op of ep.operations) {
      it(`${ep.name}.${op.name}: passes at the classified scope and above, EPERM below`, () => {
        const request = encodeRpc({ ep: ep.id, op: makeOp(op.command, op.version), inLen: op.request?.size ?? 0, outLen: op.response?.size(op.version) ?? 0 });
        const c = classifyWith(table, request)!;
        expect(c).toBeDefined();
        for (const scope of SCOPES) {
          expect(sim.driverCheck(scope, request, 48, state), `scope ${scope}`).toBe(scope >= c.scope ? undefined : 'EPERM');
        }
      });
    }
  }

  it('refuses unknown endpoints and operations with EINVAL at every scope', () => {
    for (const [ep, op] of [[0, 1], [7, 1], [1, 0x0101], [2, makeOp(0x0101, 2)], [3, 0x0205]] as const) {
      const request = encodeRpc({ ep, op, inLen: 0, outLen: 0 });
      expect(classifyWith(table, request)).toBeUndefined();
      for (const scope of SCOPES) expect(sim.driverCheck(scope, request, 48, state)).toBe('EINVAL');
    }
  });

  it('refuses oversize in.len / out.len with EINVAL, before looking at the endpoint', () => {
    expect(sim.driverCheck(Scope.DEBUG_WRITE_FULL, encodeRpc({ ep: 1, op: 1, inLen: 1025, outLen: 0 }), 48, state)).toBe('EINVAL');
    expect(sim.driverCheck(Scope.DEBUG_WRITE_FULL, encodeRpc({ ep: 1, op: 1, inLen: 0, outLen: 4097 }), 48, state)).toBe('EINVAL');
    expect(sim.driverCheck(Scope.CONFIGURATION, encodeRpc({ ep: 1, op: 1, inLen: 1024, outLen: 4096 }), 48, state)).toBeUndefined();
  });

  it('refuses a short request', () => {
    expect(sim.driverCheck(Scope.CONFIGURATION, new Uint8Array(40), 48, state)).toBe('EINVAL');
  });

  it('turns a failing operations query into ENOMEM, as pdsfc_validate_rpc does', () => {
    const tables = probeDriver();
    tables.endpoints.push(42); // listed by ROOT but unknown to the ENDPOINT query
    expect(validateRpc(tables, { ep: 42, op: 1, inLen: 0, outLen: 0 }, Scope.DEBUG_WRITE_FULL)).toBe('ENOMEM');
  });

  it('agrees on random requests (fast-check)', () => {
    const epArb = fc.oneof(fc.constantFrom(0, 1, 2, 3, 4), fc.integer({ min: 0, max: 0xffffffff }));
    const opArb = fc.oneof(
      fc.record({ cmd: fc.constantFrom(1, 2, 3, 4, 0x101, 0x102, 0x103, 0x104, 0x105, 0x201, 0x202, 0x203, 0x204, 0x300), ver: fc.integer({ min: 0, max: 3 }), hi: fc.constantFrom(0, 0x7f) }).map(({ cmd, ver, hi }) => ((hi << 24) | makeOp(cmd, ver)) >>> 0),
      fc.integer({ min: 0, max: 0xffffffff }),
    );
    const lenArb = fc.oneof(fc.integer({ min: 0, max: 64 }), fc.integer({ min: 0, max: 8192 }));
    fc.assert(
      fc.property(epArb, opArb, lenArb, lenArb, (ep, op, inLen, outLen) => {
        const request = encodeRpc({ ep, op, inLen, outLen });
        const c = classifyWith(table, request);
        for (const scope of SCOPES) {
          const verdict = sim.driverCheck(scope, request, 48, state);
          if (c === undefined) expect(verdict).toBe('EINVAL');
          else expect(verdict).toBe(scope >= c.scope ? undefined : 'EPERM');
        }
      }),
      { seed: 4242, numRuns: 300 },
    );
  });
});
