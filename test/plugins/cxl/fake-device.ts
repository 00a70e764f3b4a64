/**
 * An in-process CXL device for the tests: the simulator's driver rules and
 * firmware model behind a minimal pipeline (classify → policy-free send at the
 * classified scope → status check), without the umbrella.
 */
import { AccelError, classAllowsScope, type ClassifyContext, type CommandContext, type ErrnoName, type Scope } from 'accelctl/sdk';
import plugin from '../../../plugins/cxl/index';
import sim, { type CxlSimState } from '../../../plugins/cxl/sim';

export class DriverRefused extends Error {
  constructor(readonly errno: ErrnoName) {
    super(errno);
  }
}

export interface FakeDevice {
  state: CxlSimState;
  /** The device's view of time and injected faults; tests move the clock and set faults. */
  env: { now: number; faults: string[] };
  /** What the kernel would do at `scope`: an errno, or the reply. */
  send(scope: Scope, request: Uint8Array): Uint8Array;
  classifyContext(): ClassifyContext & { inspected: number };
  commandContext(): CommandContext & { sent: { name: string; scope: Scope }[] };
}

export function fakeDevice(index = 0): FakeDevice {
  const state = sim.create({ index, serial: `SIM-CXL-${index}` });
  const env = { now: 1_800_000_000_000, faults: [] as string[] };
  // The device booted at the fake clock's start (create() uses the real clock).
  state.health.boot_ms = env.now;
  const send = (scope: Scope, request: Uint8Array): Uint8Array => {
    const errno = sim.driverCheck(scope, request, 1 << 20, state);
    if (errno) throw new DriverRefused(errno);
    return sim.firmware(state, request, 1 << 20, { now: env.now, faults: env.faults, chargeFlashWrite: () => undefined, memory: { read: () => new Uint8Array(0), write: () => undefined } });
  };
  const classifyContext = (): ClassifyContext & { inspected: number } => {
    const ctx = {
      inspected: 0,
      cache: new Map<string, unknown>(),
      async inspect(request: Uint8Array) {
        const c = await plugin.protocol.classify(request, ctx);
        if (!c || c.rpcClass !== 'inspect') throw new AccelError('ACCELCTL_E_NOT_INSPECT', 'not inspect');
        ctx.inspected += 1;
        const reply = send(c.scope, request);
        const status = plugin.protocol.replyStatus(request, reply);
        if (!status.ok) throw new AccelError('ACCELCTL_E_DEVICE_STATUS', status.message);
        return reply;
      },
      async inspectIndirect(): Promise<never> {
        throw new Error('unused');
      },
    };
    return ctx;
  };
  const commandContext = (): CommandContext & { sent: { name: string; scope: Scope }[] } => {
    const classify = classifyContext();
    const ctx = {
      sent: [] as { name: string; scope: Scope }[],
      device: { name: 'fwctl0', path: '/dev/fwctl/fwctl0', pci: '0000:3b:00.0', plugin: 'cxl' },
      async rpc(request: Uint8Array) {
        const c = await plugin.protocol.classify(request, classify);
        if (!c) throw new AccelError('ACCELCTL_E_UNCLASSIFIED', 'unclassified');
        if (!classAllowsScope(c.rpcClass, c.scope)) throw new AccelError('ACCELCTL_E_PLUGIN', 'bad class/scope');
        ctx.sent.push({ name: c.name, scope: c.scope });
        let reply: Uint8Array;
        try {
          reply = send(c.scope, request);
        } catch (e) {
          if (e instanceof DriverRefused) throw new AccelError('ACCELCTL_E_KERNEL_REFUSED', e.errno);
          throw e;
        }
        const status = plugin.protocol.replyStatus(request, reply);
        if (!status.ok) throw new AccelError('ACCELCTL_E_DEVICE_STATUS', status.message, { details: { status: status.status } });
        return reply;
      },
      async rpcIndirect(): Promise<never> {
        throw new Error('unused');
      },
      async info() {
        return { deviceType: 2, deviceData: sim.info(state) };
      },
      cache: new Map(),
    };
    return ctx;
  };
  return { state, env, send, classifyContext, commandContext };
}

export const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
export const bytes = (h: string): Uint8Array => new Uint8Array(Buffer.from(h.replace(/\s+/g, ''), 'hex'));
