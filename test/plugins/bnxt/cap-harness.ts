/**
 * A CommandContext over the bnxt simulator that does what the umbrella's
 * simulated kernel does, including indirect (DMA) buffers through fake user
 * memory, injected faults, the power-loss budget and the power cycle after it.
 */
import { AccelError, Scope, simErrno, type CommandContext, type IndirectBuffer, type SimEnvironment } from 'accelctl/sdk';
import plugin from '../../../plugins/bnxt/index';
import sim from '../../../plugins/bnxt/sim';
import type { BnxtSimState } from '../../../plugins/bnxt/sim-firmware';

export interface Sent {
  name: string;
  scope: Scope;
  rpcClass: string;
}

export interface Harness {
  ctx: CommandContext;
  sent: Sent[];
  state: BnxtSimState;
  /** Milliseconds clock the firmware sees. */
  now: number;
  faults: string[];
  /** Bytes of flash writes left before power is lost (undefined: no power-loss fault). */
  powerBudget: number | undefined;
  powerLosses: number;
}

class PowerLoss extends Error {}

export function harness(state: BnxtSimState, now = 1_700_000_000_000): Harness {
  const h: Harness = { ctx: undefined as unknown as CommandContext, sent: [], state, now, faults: [], powerBudget: undefined, powerLosses: 0 };
  const send = async (request: Uint8Array, indirect: readonly IndirectBuffer[], options: { outLen?: number; allowDeviceError?: boolean }) => {
    const classifyContext = { inspect: async () => new Uint8Array(), inspectIndirect: async () => ({ reply: new Uint8Array(), buffers: [] }), cache: new Map() };
    const c = await plugin.protocol.classify(request, classifyContext);
    if (c === undefined) throw new AccelError('ACCELCTL_E_UNCLASSIFIED', 'unclassified');
    h.sent.push({ name: c.name, scope: c.scope, rpcClass: c.rpcClass });
    // The transport maps the buffers and patches their addresses into the request.
    const req = request.slice();
    const regions = indirect.map((b, i) => {
      const bytes = new Uint8Array(b.data ? b.data.length : (b.length ?? 0));
      if (b.data) bytes.set(b.data);
      const address = 0x7f00_0000_0000n + BigInt(i) * 0x1_0000_0000n;
      new DataView(req.buffer).setBigUint64(b.pointerAt, address, true);
      return { address, bytes };
    });
    const locate = (address: bigint, length: number) => {
      const r = regions.find((x) => address >= x.address && address - x.address + BigInt(length) <= BigInt(x.bytes.length));
      if (r === undefined) throw simErrno('EFAULT');
      return { r, at: Number(address - r.address) };
    };
    const outLen = options.outLen ?? plugin.protocol.defaultOutLen(req);
    const errno = sim.driverCheck(c.scope, req, outLen, h.state);
    if (errno !== undefined) throw new AccelError('ACCELCTL_E_KERNEL_REFUSED', errno);
    const env: SimEnvironment = {
      now: h.now,
      faults: h.faults,
      chargeFlashWrite: (bytes) => {
        if (h.powerBudget === undefined) return;
        if (bytes > h.powerBudget) throw new PowerLoss();
        h.powerBudget -= bytes;
      },
      memory: {
        read: (address, length) => {
          const { r, at } = locate(address, length);
          return r.bytes.slice(at, at + length);
        },
        write: (address, data) => {
          const { r, at } = locate(address, data.length);
          r.bytes.set(data, at);
        },
      },
    };
    let reply: Uint8Array;
    // Work on a copy, as the kernel persists state only when the RPC completes (or after a power cycle).
    const working = structuredClone(h.state);
    try {
      reply = h.faults.includes('fw-error') && sim.errorReply ? sim.errorReply(req, outLen) : sim.firmware(working, req, outLen, env);
    } catch (error) {
      if (error instanceof PowerLoss) {
        sim.powerCycle?.(working, Date.now());
        Object.assign(h.state, working);
        h.powerBudget = undefined;
        h.powerLosses += 1;
        throw new AccelError('ACCELCTL_E_KERNEL_REFUSED', 'EIO: the device lost power during the RPC');
      }
      throw error;
    }
    Object.assign(h.state, working);
    const status = plugin.protocol.replyStatus(req, reply);
    if (!status.ok && !options.allowDeviceError) throw new AccelError('ACCELCTL_E_DEVICE_STATUS', status.message, { details: { status: status.status } });
    return { reply, buffers: regions.map((r) => r.bytes) };
  };
  h.ctx = {
    device: { name: 'fwctl0', path: '/dev/fwctl/fwctl0', pci: '0000:3b:00.0', plugin: 'bnxt' },
    rpc: async (request, options = {}) => (await send(request, [], options)).reply,
    rpcIndirect: (request, indirect, options = {}) => send(request, indirect, options),
    info: async () => ({ deviceType: 3, deviceData: sim.info(h.state) }),
    cache: new Map(),
  };
  return h;
}

/** A new invocation: the per-invocation cache starts empty. */
export function nextInvocation(h: Harness): void {
  h.ctx = { ...h.ctx, cache: new Map() };
}
