/** Test helpers: a fake clock/memory and a mini pipeline (classify → driverCheck → firmware). */
import { AccelError, Scope, type CommandContext, type SimEnvironment } from 'accelctl/sdk';
import plugin from '../../../plugins/bnxt/index';
import sim from '../../../plugins/bnxt/sim';
import type { BnxtSimState } from '../../../plugins/bnxt/sim-firmware';

export const env = (now = 1_700_000_000_000): SimEnvironment => ({
  now,
  faults: [],
  chargeFlashWrite: () => undefined,
  memory: {
    read: () => {
      throw new Error('no indirect memory in bnxt tests');
    },
    write: () => {
      throw new Error('no indirect memory in bnxt tests');
    },
  },
});

export const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
export const unhex = (text: string): Uint8Array => new Uint8Array(Buffer.from(text.replace(/\s+/g, ''), 'hex'));

export function freshState(index = 0): BnxtSimState {
  return sim.create({ index, serial: `SIMBNXT${index.toString().padStart(4, '0')}` });
}

export interface SentRpc {
  name: string;
  scope: Scope;
}

/**
 * A CommandContext that does what the umbrella does with a simulated device:
 * classify, send at the minimum scope, apply the driver's checks, run firmware,
 * and turn a device-level error into ACCELCTL_E_DEVICE_STATUS.
 */
export function simContext(state: BnxtSimState, now = 1_700_000_000_000, sent: SentRpc[] = []): CommandContext {
  return {
    device: { name: 'fwctl0', path: '/dev/fwctl/fwctl0', pci: '0000:3b:00.0', plugin: 'bnxt' },
    async rpc(request, options = {}) {
      const c = await plugin.protocol.classify(request, { inspect: async () => new Uint8Array(), inspectIndirect: async () => ({ reply: new Uint8Array(), buffers: [] }), cache: new Map() });
      if (c === undefined) throw new AccelError('ACCELCTL_E_UNCLASSIFIED', 'unclassified');
      sent.push({ name: c.name, scope: c.scope });
      const outLen = options.outLen ?? plugin.protocol.defaultOutLen(request);
      const errno = sim.driverCheck(c.scope, request, outLen, state);
      if (errno !== undefined) throw new AccelError('ACCELCTL_E_KERNEL_REFUSED', errno);
      const reply = sim.firmware(state, request, outLen, env(now));
      const status = plugin.protocol.replyStatus(request, reply);
      if (!status.ok && !options.allowDeviceError) throw new AccelError('ACCELCTL_E_DEVICE_STATUS', status.message, { details: { status: status.status } });
      return reply;
    },
    rpcIndirect: async () => {
      throw new Error('not used by bnxt');
    },
    info: async () => ({ deviceType: 3, deviceData: sim.info(state) }),
    cache: new Map(),
  };
}
