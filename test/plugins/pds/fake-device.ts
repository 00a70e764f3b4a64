/**
 * A CommandContext wired to the pds simulator without the umbrella: classify,
 * policy-free send at the classified (minimum) scope, the driver's check, and
 * the firmware with a user-memory model that patches the payload pointers the
 * way the transport does. Lets the commands run end to end in-process.
 */
import type { CommandContext, IndirectBuffer, Scope, SimEnvironment } from 'accelctl/sdk';
import { AccelError } from 'accelctl/sdk';
import plugin from '../../../plugins/pds/index';
import sim from '../../../plugins/pds/sim';
import type { PdsSimState } from '../../../plugins/pds/sim-state';

export class ErrnoError extends Error {
  constructor(readonly errno: string) {
    super(errno);
  }
}

/** User memory: each indirect buffer at its own fake address; anything else faults. */
export function userMemory(buffers: Uint8Array[], base = 0x7f00_0000_0000n): { memory: SimEnvironment['memory']; addresses: bigint[] } {
  const addresses = buffers.map((_, i) => base + BigInt(i) * 0x10_0000n);
  const locate = (address: bigint, length: number): { buf: Uint8Array; at: number } => {
    for (let i = 0; i < buffers.length; i++) {
      const start = addresses[i]!;
      const buf = buffers[i]!;
      if (address >= start && address + BigInt(length) <= start + BigInt(buf.length)) return { buf, at: Number(address - start) };
    }
    throw new ErrnoError('EFAULT');
  };
  return {
    addresses,
    memory: {
      read(address, length) {
        const { buf, at } = locate(address, length);
        return buf.slice(at, at + length);
      },
      write(address, data) {
        const { buf, at } = locate(address, data.length);
        buf.set(data, at);
      },
    },
  };
}

export interface SentRpc {
  scope: Scope;
  name: string;
  rpcClass: string;
}

export interface FakeOptions {
  now?: number;
  /** A clock read at every RPC (overrides `now`), so tests can move time. */
  clock?: () => number;
  /** Injected faults, read at every RPC (mutate the array to inject or clear). */
  faults?: string[];
  scopeOverride?: Scope;
}

export function fakeContext(state: PdsSimState, options: FakeOptions = {}): CommandContext & { sent: SentRpc[] } {
  const sent: SentRpc[] = [];
  const cache = new Map<string, unknown>();
  const rpcIndirect = async (request: Uint8Array, indirect: readonly IndirectBuffer[], rpcOptions: { allowDeviceError?: boolean } = {}) => {
    const classification = await plugin.protocol.classify(request, {
      cache,
      inspect: () => Promise.reject(new Error('unused')),
      inspectIndirect: () => Promise.reject(new Error('unused')),
    });
    if (!classification) throw new AccelError('ACCELCTL_E_UNCLASSIFIED', 'unclassified');
    const scope = options.scopeOverride ?? classification.scope;
    sent.push({ scope, name: classification.name, rpcClass: classification.rpcClass });
    const buffers = indirect.map((b) => (b.data ? new Uint8Array(b.data) : new Uint8Array(b.length ?? 0)));
    const { memory, addresses } = userMemory(buffers);
    const patched = new Uint8Array(request);
    const dv = new DataView(patched.buffer);
    indirect.forEach((b, i) => dv.setBigUint64(b.pointerAt, addresses[i]!, true));
    const refused = sim.driverCheck(scope, patched, 48, state);
    if (refused) throw new AccelError('ACCELCTL_E_KERNEL_REFUSED', refused, { details: { errno: refused } });
    const now = options.clock?.() ?? options.now ?? 1_700_000_000_000;
    const reply = sim.firmware(state, patched, 48, { now, memory, faults: options.faults ?? [], chargeFlashWrite: () => undefined });
    const status = plugin.protocol.replyStatus(patched, reply);
    if (!status.ok && !rpcOptions.allowDeviceError) throw new AccelError('ACCELCTL_E_DEVICE_STATUS', status.message, { details: status.detail ?? {} });
    return { reply, buffers };
  };
  return {
    sent,
    device: { name: 'fwctl0', path: '/dev/fwctl/fwctl0', pci: '0000:3b:00.0', plugin: 'pds' },
    rpc: (request, rpcOptions) => rpcIndirect(request, [], rpcOptions).then((r) => r.reply),
    rpcIndirect,
    info: async () => ({ deviceType: 4, deviceData: sim.info(state) }),
    cache: new Map(),
  };
}
