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
  sent: { request: Uint8Array; scope: number; name: string }[];
}

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
  const clock = { now: start };
  const sent: Harness['sent'] = [];
  const rpc = async (request: Uint8Array, options: RpcOptions = {}): Promise<Uint8Array> => {
    const c = protocol.classify(request, { inspect: rpc, inspectIndirect: async () => ({ reply: new Uint8Array(), buffers: [] }), cache: new Map() });
    const cls = await c;
    if (!cls) throw new AccelError('ACCELCTL_E_UNCLASSIFIED', 'refused by classifier');
    const outLen = options.outLen ?? protocol.defaultOutLen(request);
    const errno = sim.driverCheck(cls.scope, request, outLen, state);
    if (errno) throw new AccelError('ACCELCTL_E_KERNEL_REFUSED', errno);
    sent.push({ request, scope: cls.scope, name: cls.name });
    const full = sim.firmware(state, request, outLen, env(clock.now));
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
  return { ctx, state, clock, sent };
}

/** Parse literal hex written with spaces in tests. */
export const hex = (text: string): Uint8Array => new Uint8Array(Buffer.from(text.replace(/\s+/g, ''), 'hex'));
export const toHexStr = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
