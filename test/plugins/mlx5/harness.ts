/**
 * A CommandContext wired straight to the mlx5 simulator: classify with the
 * plugin, refuse what the simulated driver refuses at the classified scope,
 * run the firmware, truncate to out_len like the fwctl core, check the status.
 * Lets command/firmware tests run without the umbrella.
 */
import { AccelError, type CommandContext, type RpcOptions, type SimEnvironment } from 'accelctl/sdk';
import { protocol } from '../../../plugins/mlx5/protocol';
import sim from '../../../plugins/mlx5/sim';
import type { Mlx5SimState } from '../../../plugins/mlx5/sim-state';

export interface Harness {
  ctx: CommandContext;
  state: Mlx5SimState;
  clock: { now: number };
  sent: { request: Uint8Array; scope: number; name: string; rpcClass: string }[];
  /** Faults the model sees (env.faults): 'health-error'; 'fw-error' answers with sim.errorReply. */
  faults: string[];
  /** Like `accelctl sim fault --set power-loss --after-bytes N`: flash bytes left before power is lost. */
  power: { lossAfter?: number };
}

class PowerLoss extends Error {}

export const env = (now: number): SimEnvironment => ({
  now,
  faults: [],
  chargeFlashWrite: () => undefined,
  memory: {
    read: () => {
      throw new Error('mlx5 has no indirect buffers');
    },
    write: () => {
      throw new Error('mlx5 has no indirect buffers');
    },
  },
});

export function makeHarness(start = 1_700_000_000_000): Harness {
  const state = sim.create({ index: 0, serial: 'MT2301X00001' });
  // The model boots at creation on the real clock; these tests run a fake one.
  state.boot_ms = start;
  for (const port of state.ports) if (port.up_since_ms) port.up_since_ms = start;
  const clock = { now: start };
  const sent: Harness['sent'] = [];
  const faults: string[] = [];
  const power: Harness['power'] = {};
  const rpc = async (request: Uint8Array, options: RpcOptions = {}): Promise<Uint8Array> => {
    const c = protocol.classify(request, { inspect: rpc, inspectIndirect: async () => ({ reply: new Uint8Array(), buffers: [] }), cache: new Map() });
    const cls = await c;
    if (!cls) throw new AccelError('ACCELCTL_E_UNCLASSIFIED', 'refused by classifier');
    const outLen = options.outLen ?? protocol.defaultOutLen(request);
    const errno = sim.driverCheck(cls.scope, request, outLen, state);
    if (errno) throw new AccelError('ACCELCTL_E_KERNEL_REFUSED', errno);
    sent.push({ request, scope: cls.scope, name: cls.name, rpcClass: cls.rpcClass });
    let full: Uint8Array;
    if (faults.includes('fw-error') && sim.errorReply) {
      full = sim.errorReply(request, outLen);
    } else {
      // What src/sim/kernel.ts does: charge the power-loss budget, power-cycle the model when it runs out.
      const chargeFlashWrite = (bytes: number) => {
        if (power.lossAfter === undefined) return;
        if (bytes > power.lossAfter) throw new PowerLoss('power lost');
        power.lossAfter -= bytes;
      };
      try {
        full = sim.firmware(state, request, outLen, { ...env(clock.now), faults, chargeFlashWrite });
      } catch (error) {
        if (!(error instanceof PowerLoss)) throw error;
        sim.powerCycle?.(state, clock.now);
        power.lossAfter = undefined;
        throw new AccelError('ACCELCTL_E_IO', 'EIO: the device lost power during the RPC');
      }
    }
    const reply = full.subarray(0, Math.min(outLen, full.length));
    const status = protocol.replyStatus(request, reply);
    if (!status.ok && !options.allowDeviceError) {
      throw new AccelError('ACCELCTL_E_DEVICE_STATUS', `${status.message} syndrome ${String(status.detail?.syndrome)}`, {
        details: { status: status.status },
      });
    }
    return reply;
  };
  const ctx: CommandContext = {
    device: { name: 'fwctl0', path: '/dev/fwctl/fwctl0', pci: '0000:3b:00.0', plugin: 'mlx5' },
    rpc,
    rpcIndirect: async () => {
      throw new Error('not used by mlx5');
    },
    info: async () => ({ deviceType: 1, deviceData: sim.info(state) }),
    cache: new Map(),
  };
  return { ctx, state, clock, sent, faults, power };
}

/** Parse literal hex written with spaces in tests. */
export const hex = (text: string): Uint8Array => new Uint8Array(Buffer.from(text.replace(/\s+/g, ''), 'hex'));
export const toHexStr = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
