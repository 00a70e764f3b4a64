/**
 * Every RPC the capability blocks send classifies to the class and minimum
 * scope the kernel driver (pdsfc_validate_rpc on the firmware's attributes)
 * would give it, the simulated driver agrees, and the new decoders and the
 * image check only ever throw AccelError.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isAccelError, Scope, toHex } from 'accelctl/sdk';
import plugin from '../../../plugins/pds/index';
import { cellValue } from '../../../plugins/pds/config';
import { PARAMS } from '../../../plugins/pds/config-params';
import { opRequest } from '../../../plugins/pds/op-call';
import { decodeFwList, FW_LIST_SIZE, FwListHeader, Health, ParamValues } from '../../../plugins/pds/payloads-caps';
import sim from '../../../plugins/pds/sim';

const classifyCtx = () => ({ cache: new Map<string, unknown>(), inspect: () => Promise.reject(new Error('no')), inspectIndirect: () => Promise.reject(new Error('no')) });

const EXPECTED: Record<string, [string, Scope]> = {
  'system.get_ident': ['inspect', Scope.CONFIGURATION],
  'system.get_temps': ['inspect', Scope.CONFIGURATION],
  'system.get_fw_list': ['inspect', Scope.CONFIGURATION],
  'system.get_health': ['inspect', Scope.CONFIGURATION],
  'system.get_power': ['inspect', Scope.CONFIGURATION],
  'system.commit_config': ['configure', Scope.CONFIGURATION],
  'system.reset': ['configure', Scope.CONFIGURATION],
  'port.get_stats': ['inspect', Scope.CONFIGURATION],
  'port.get_config': ['inspect', Scope.CONFIGURATION],
  'config.get_param': ['inspect', Scope.CONFIGURATION],
  'config.set_param': ['configure', Scope.CONFIGURATION],
};

const used = (): string[] => {
  const p = plugin;
  return [
    ...p.config!.rpcs.read,
    ...p.config!.rpcs.write,
    ...p.reset!.rpcs,
    ...p.firmware!.rpcs.show,
    ...p.firmware!.rpcs.flash,
    ...p.firmware!.rpcs.activate,
    ...p.health!.rpcs,
    ...p.metrics!.rpcs,
  ];
};

describe('capability RPCs', () => {
  it('every RPC a capability names is expected here and listed in rpcKinds with that class and scope', () => {
    const names = new Set(used());
    expect([...names].sort()).toEqual(Object.keys(EXPECTED).sort());
    for (const name of names) {
      const kind = plugin.protocol.rpcKinds.find((k) => k.name === name);
      expect(kind, name).toBeDefined();
      expect([kind!.rpcClass, kind!.scope], name).toEqual(EXPECTED[name]);
    }
  });

  for (const [name, [rpcClass, scope]] of Object.entries(EXPECTED)) {
    it(`${name}: classified ${rpcClass} / ${scope}; the driver passes it there and refuses below with EPERM`, async () => {
      const { request } = opRequest(name, new Uint8Array(8));
      const c = await plugin.protocol.classify(request, classifyCtx());
      expect(c).toEqual({ rpcClass, scope, name });
      const state = sim.create({ index: 0, serial: 'S' });
      for (const s of [Scope.CONFIGURATION, Scope.DEBUG_READ_ONLY, Scope.DEBUG_WRITE, Scope.DEBUG_WRITE_FULL]) {
        expect(sim.driverCheck(s, request, 48, state), `scope ${s}`).toBe(s >= scope ? undefined : 'EPERM');
      }
    });
  }

  it('config/reset/firmware declare classes consistent with what they send', () => {
    expect(plugin.config!.writeClass).toBe('configure');
    expect(plugin.reset!.rpcClass).toBe('configure');
  });

  it('encodes a get_param request for num_vfs as the 48-byte fwctl_rpc_pds: op 0x301, ep 4, in.len 4, out.len 104', () => {
    const { request, indirect } = opRequest('config.get_param', new Uint8Array([2, 0, 0, 0]));
    // include/uapi/fwctl/pds.h field order: in {op, ep, rsvd, len, payload}, out {retval, rsvd[2], len, payload}.
    expect(toHex(request)).toBe('01030000' + '04000000' + '00000000' + '04000000' + '0000000000000000' + '00000000' + '0000000000000000' + '68000000' + '0000000000000000');
    expect(indirect.map((b) => b.pointerAt)).toEqual([16, 40]);
  });
});

describe('new decoders and the image check on random bytes', () => {
  const onlyAccel = (fn: () => unknown, code = 'ACCELCTL_E_MALFORMED_REPLY') => {
    try {
      fn();
    } catch (error) {
      if (!isAccelError(error)) throw error;
      expect(error.code).toBe(code);
    }
  };

  it('fw list, health, param values and value cells', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 260 }), (b) => {
        onlyAccel(() => decodeFwList(b));
        onlyAccel(() => Health.decode(b));
        onlyAccel(() => {
          const v = ParamValues.decode(b);
          for (const spec of PARAMS) cellValue(spec, v.current);
        });
      }),
      { seed: 21, numRuns: 300 },
    );
  });

  it('a fw list claiming more slots than fit is malformed, not a RangeError', () => {
    const bytes = new Uint8Array(FW_LIST_SIZE);
    FwListHeader.write(bytes, { numSlots: 200 });
    expect(() => decodeFwList(bytes)).toThrow(/200 slots/);
  });

  it('inspectImage answers any bytes with ACCELCTL_E_UNSUPPORTED only', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 4096 }), (b) => {
        onlyAccel(() => plugin.firmware!.inspectImage(b), 'ACCELCTL_E_UNSUPPORTED');
        expect(() => plugin.firmware!.inspectImage(b)).toThrow();
      }),
      { seed: 5, numRuns: 100 },
    );
  });
});
