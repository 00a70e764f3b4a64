/**
 * The classifier against the kernel's decisions (drivers/cxl/core/features.c),
 * and against the simulator's independent model of that driver.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Scope, type Scope as ScopeT } from 'accelctl/sdk';
import plugin from '../../../plugins/cxl/index';
import { setFeatureScope } from '../../../plugins/cxl/effects';
import { uuidToBytes } from '../../../plugins/cxl/features';
import { encodeGetFeature, encodeGetSupportedFeatures, encodeSetFeature } from '../../../plugins/cxl/requests';
import { kernelAllowsSet } from '../../../plugins/cxl/sim-driver';
import { RpcHeader } from '../../../plugins/cxl/uapi';
import { DriverRefused, fakeDevice } from './fake-device';

const SCOPES: ScopeT[] = [Scope.CONFIGURATION, Scope.DEBUG_READ_ONLY, Scope.DEBUG_WRITE, Scope.DEBUG_WRITE_FULL];
const U = {
  patrol: '96dad7d6-fde8-482b-a733-75774e06db8a',
  ecs: 'e5b13f22-2328-4a14-b8ba-b9691e893386',
  thermal: '5f3c9a10-6b2e-4d8a-9c41-2e7b0d5a8f01',
  link: '5f3c9a10-6b2e-4d8a-9c41-2e7b0d5a8f02',
  refresh: '5f3c9a10-6b2e-4d8a-9c41-2e7b0d5a8f03',
  trace: '5f3c9a10-6b2e-4d8a-9c41-2e7b0d5a8f04',
  knob: '5f3c9a10-6b2e-4d8a-9c41-2e7b0d5a8f05',
  filter: '5f3c9a10-6b2e-4d8a-9c41-2e7b0d5a8f06',
  fuse: '5f3c9a10-6b2e-4d8a-9c41-2e7b0d5a8f07',
  absent: '00000000-1111-2222-3333-444444444444',
};

async function classify(request: Uint8Array) {
  const dev = fakeDevice();
  return plugin.protocol.classify(request, dev.classifyContext());
}

/** The driver's verdict at every scope: true = accepted. */
function driverVerdicts(request: Uint8Array): boolean[] {
  const dev = fakeDevice();
  return SCOPES.map((s) => {
    try {
      dev.send(s, request);
      return true;
    } catch (e) {
      if (e instanceof DriverRefused) return false;
      throw e;
    }
  });
}

/** The classifier and the simulated driver agree: accepted exactly at and above the classified scope. */
async function expectAgreement(request: Uint8Array): Promise<void> {
  const c = await classify(request);
  const expected = SCOPES.map((s) => c !== undefined && s >= c.scope);
  expect(driverVerdicts(request)).toEqual(expected);
}

const setReq = (uuid: string, data = new Uint8Array(2)) => encodeSetFeature(uuidToBytes(uuid), 0, 0, 1, data);

describe('Get Supported Features / Get Feature', () => {
  it('are inspect at CONFIGURATION (the driver accepts them at any scope)', async () => {
    expect(await classify(encodeGetSupportedFeatures(0, 48 * 4))).toEqual({ rpcClass: 'inspect', scope: Scope.CONFIGURATION, name: 'GET_SUPPORTED_FEATURES' });
    expect(await classify(encodeGetFeature(uuidToBytes(U.patrol), 0, 4, 0))).toEqual({ rpcClass: 'inspect', scope: Scope.CONFIGURATION, name: 'GET_FEATURE' });
    await expectAgreement(encodeGetSupportedFeatures(0, 48 * 4));
    await expectAgreement(encodeGetFeature(uuidToBytes(U.patrol), 0, 4, 0));
  });
  it('Get Feature of a kernel-owned feature is allowed (only Set is refused)', async () => {
    expect(await classify(encodeGetFeature(uuidToBytes(U.patrol), 0, 4, 2))).toMatchObject({ rpcClass: 'inspect' });
  });
  it('wrong op_size or a zero count is refused (EINVAL)', async () => {
    const gsf = encodeGetSupportedFeatures(0, 48);
    RpcHeader.write(gsf, { op_size: 7 });
    expect(await classify(gsf)).toBeUndefined();
    expect(driverVerdicts(gsf)).toEqual([false, false, false, false]);
    const zero = encodeGetFeature(uuidToBytes(U.patrol), 0, 0, 0);
    expect(await classify(zero)).toBeUndefined();
    expect(fakeDevice().send.bind(null, Scope.DEBUG_WRITE_FULL, zero)).toThrow(expect.objectContaining({ errno: 'EINVAL' }));
  });
  it('a payload shorter than op_size is refused', async () => {
    expect(await classify(encodeGetFeature(uuidToBytes(U.patrol), 0, 4, 0).subarray(0, 30))).toBeUndefined();
    expect(await classify(new Uint8Array(8))).toBeUndefined();
  });
  it('the driver refuses a start index past the list (EINVAL)', () => {
    expect(() => fakeDevice().send(Scope.CONFIGURATION, encodeGetSupportedFeatures(11, 48))).toThrow(expect.objectContaining({ errno: 'EINVAL' }));
  });
});

describe('unknown opcodes are refused', () => {
  for (const opcode of [0x0000, 0x0100, 0x0200, 0x0401, 0x04ff, 0x0503, 0x0600, 0x4000, 0x4200, 0x4400, 0xffff]) {
    it(`0x${opcode.toString(16).padStart(4, '0')}`, async () => {
      const req = encodeGetSupportedFeatures(0, 48);
      RpcHeader.write(req, { opcode });
      expect(await classify(req)).toBeUndefined();
      expect(driverVerdicts(req)).toEqual([false, false, false, false]);
    });
  }
  it('the driver reads a u16 opcode: 0x00010500 is Get Supported Features', async () => {
    const req = encodeGetSupportedFeatures(0, 48);
    RpcHeader.write(req, { opcode: 0x10500 });
    expect(await classify(req)).toMatchObject({ name: 'GET_SUPPORTED_FEATURES' });
    await expectAgreement(req);
  });
});

describe('Set Feature on every simulated feature', () => {
  const cases: [string, string, ScopeT | undefined, string][] = [
    ['thermal-throttle (policy change immediate)', U.thermal, Scope.DEBUG_WRITE_FULL, 'SET_FEATURE_IMMEDIATE'],
    ['event-filter (log change immediate)', U.filter, Scope.DEBUG_WRITE_FULL, 'SET_FEATURE_IMMEDIATE'],
    ['link-power (cold + conventional reset only)', U.link, Scope.DEBUG_WRITE, 'SET_FEATURE_AFTER_RESET'],
    ['media-refresh (background)', U.refresh, undefined, ''],
    ['debug-trace (reserved bit 12)', U.trace, undefined, ''],
    ['legacy-knob (no effects)', U.knob, undefined, ''],
    ['fuse-info (not changeable)', U.fuse, undefined, ''],
    ['patrol-scrub (kernel-owned)', U.patrol, undefined, ''],
    ['a feature the device does not have', U.absent, undefined, ''],
  ];
  for (const [label, uuid, scope, name] of cases) {
    it(label, async () => {
      const c = await classify(setReq(uuid));
      if (scope === undefined) expect(c).toBeUndefined();
      else expect(c).toEqual({ rpcClass: 'mutate-debug', scope, name });
      await expectAgreement(setReq(uuid));
    });
  }
  it('patrol scrub: EINVAL below DEBUG_WRITE_FULL, EPERM at it (the handler refuses kernel-exclusive UUIDs)', () => {
    const dev = fakeDevice();
    expect(() => dev.send(Scope.DEBUG_WRITE, setReq(U.patrol))).toThrow(expect.objectContaining({ errno: 'EINVAL' }));
    expect(() => dev.send(Scope.DEBUG_WRITE_FULL, setReq(U.patrol))).toThrow(expect.objectContaining({ errno: 'EPERM' }));
  });
  it('a Set Feature without data (op_size <= 32) is refused', async () => {
    const req = setReq(U.thermal, new Uint8Array(0));
    expect(await classify(req)).toBeUndefined();
    expect(driverVerdicts(req)).toEqual([false, false, false, false]);
  });
  it('ECS is kernel-owned even when no device data is known', async () => {
    expect(await classify(setReq(U.ecs))).toBeUndefined();
  });
  it('learns effects with one inspect Get Supported Features and caches them', async () => {
    const dev = fakeDevice();
    const ctx = dev.classifyContext();
    await plugin.protocol.classify(setReq(U.thermal), ctx);
    await plugin.protocol.classify(setReq(U.link), ctx);
    expect(ctx.inspected).toBe(1);
    expect(ctx.cache.size).toBe(1);
  });
  it('every classification is consistent with its class', async () => {
    const { classAllowsScope } = await import('accelctl/sdk');
    for (const uuid of [U.thermal, U.link, U.filter]) {
      const c = (await classify(setReq(uuid)))!;
      expect(classAllowsScope(c.rpcClass, c.scope)).toBe(true);
    }
  });
});

describe('effects → scope over all 65536 effects values', () => {
  it('setFeatureScope agrees with the sim driver’s kernelAllowsSet at every scope (exhaustive)', () => {
    let full = 0;
    let write = 0;
    let refused = 0;
    for (let effects = 0; effects < 0x10000; effects++) {
      const v = setFeatureScope(effects);
      const want = SCOPES.map((s) => v.ok && s >= v.scope);
      const got = SCOPES.map((s) => kernelAllowsSet({ flags: 1, effects }, s));
      if (want.join() !== got.join()) throw new Error(`effects 0x${effects.toString(16)}: classifier ${want} driver ${got}`);
      if (!v.ok) refused++;
      else if (v.scope === Scope.DEBUG_WRITE_FULL) full++;
      else write++;
    }
    // Bits 12..15 or 6 refuse: 65536 - 4096 * 2 / 2 = 2048 values remain; 15/16 of those have an immediate bit.
    expect({ full, write, refused }).toEqual({ full: 1920, write: 112, refused: 65536 - 2032 });
  });
  it('property: random flags and effects, classifier vs driver (fast-check)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 0xffff }), (flags, effects) => {
        const v = setFeatureScope(effects);
        const changeable = (flags & 1) === 1;
        for (const s of SCOPES) expect(kernelAllowsSet({ flags, effects }, s)).toBe(changeable && v.ok && s >= v.scope);
      }),
      { seed: 0xc0ffee, numRuns: 300 },
    );
  });
  it('named cases', () => {
    expect(setFeatureScope(0x0202)).toEqual({ ok: true, scope: Scope.DEBUG_WRITE_FULL });
    expect(setFeatureScope(0x0c01)).toEqual({ ok: true, scope: Scope.DEBUG_WRITE });
    expect(setFeatureScope(0x0403)).toEqual({ ok: true, scope: Scope.DEBUG_WRITE_FULL });
    expect(setFeatureScope(0x0200)).toEqual({ ok: false, reason: 'no-effects' });
    expect(setFeatureScope(0x0020)).toEqual({ ok: false, reason: 'no-effects' }); // security state change alone
    expect(setFeatureScope(0x0042)).toEqual({ ok: false, reason: 'background' });
    expect(setFeatureScope(0x8002)).toEqual({ ok: false, reason: 'reserved-effects' });
    expect(setFeatureScope(0x0102)).toEqual({ ok: true, scope: Scope.DEBUG_WRITE_FULL }); // bit 8 is ignored
  });
});
