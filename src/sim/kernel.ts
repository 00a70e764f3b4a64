/**
 * The simulated kernel: the fwctl core's ioctl rules (drivers/fwctl/main.c) in
 * front of each plugin's driver checks and firmware model.
 *
 * It takes the same inputs as the real ioctl — a request number, the user's
 * struct bytes and user memory — so the simulated transport exercises the same
 * struct encoding as the Linux one. Rules applied, in the kernel's order:
 *  - unknown ioctl → ENOTTY; struct smaller than its last field → EINVAL;
 *    larger with non-zero tail → E2BIG (copy_struct_from_user)
 *  - FWCTL_INFO: flags ≠ 0 → EOPNOTSUPP; device data only when a buffer is given
 *  - FWCTL_RPC: in/out over 2 MiB → EMSGSIZE; unknown scope → EOPNOTSUPP;
 *    DEBUG_WRITE_FULL without CAP_SYS_RAWIO → EPERM; DEBUG_WRITE and above taint
 *    the kernel for the *requested* scope before the driver looks at the RPC;
 *    then the driver's own checks, then firmware; out_len reports the full reply
 *    length while only what fits is copied.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadPlugin, loadSimulator } from '../core/plugins';
import { hasCapSysRawio, parseTaint } from '../core/privilege';
import { Scope, isScope } from '../core/scope';
import type { SimulatorDefinition } from '../sdk/plugin';
import { FwctlErrno } from '../transport/types';
import { FWCTL_INFO, FWCTL_MAX_RPC_LEN, FWCTL_RPC, FwctlInfoStruct, FwctlRpcStruct, TAINT_FWCTL_BIT } from '../transport/uapi';
import { forgetDeviceState, loadDeviceState, recordRpc, storeDeviceState, withFileLock, writeFileAtomic, type DeviceState } from './state-store';
import type { UserMemory } from './user-memory';
import { watchWrites } from './write-watch';

class PowerLoss extends Error {}

/** Spend the injected power-loss budget; throws PowerLoss when these bytes would cross it. */
function chargeFlash(state: DeviceState, bytes: number): void {
  if (!state.faults.includes('power-loss')) return;
  const budget = state.power_loss_after_bytes ?? 0;
  if (bytes > budget) throw new PowerLoss('power lost');
  state.power_loss_after_bytes = budget - bytes;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** copy_struct_from_user: accept larger structs only when the extra bytes are zero. */
function checkStructSize(arg: Uint8Array, minSize: number, size: number): void {
  const userSize = arg.length >= 4 ? new DataView(arg.buffer, arg.byteOffset, arg.byteLength).getUint32(0, true) : 0;
  if (arg.length < 4 || userSize < minSize || userSize > arg.length) throw new FwctlErrno('EINVAL', `struct size ${userSize} < ${minSize}`);
  if (userSize > size && arg.subarray(size, userSize).some((b) => b !== 0)) throw new FwctlErrno('E2BIG');
}

export type SimulatorResolver = (pluginName: string) => Promise<SimulatorDefinition<unknown>>;

const fromRegistry: SimulatorResolver = async (name) => loadSimulator(await loadPlugin(name, { commands: false }));

export class SimKernel {
  /** Simulators already resolved, by plugin name: the per-RPC locked section needs no await. */
  readonly resolved = new Map<string, SimulatorDefinition<unknown>>();

  constructor(
    readonly root: string,
    /** Where a device's simulator comes from (the plugin registry; tests inject their own). */
    readonly resolveSimulator: SimulatorResolver = fromRegistry,
  ) {}

  get taintPath(): string {
    return join(this.root, 'proc/sys/kernel/tainted');
  }

  /** open(2) of SIM/dev/fwctl/fwctlN. `stateMaxAgeMs`: how old a device state this file's RPCs may take as current (see state-store.ts). */
  open(devicePath: string, { stateMaxAgeMs = 0 } = {}): SimFile {
    const state = loadDeviceState(devicePath);
    if (state.faults.includes('gone')) throw new FwctlErrno('ENODEV', 'device is gone');
    return new SimFile(this, devicePath, stateMaxAgeMs);
  }

  async taint(): Promise<void> {
    await withFileLock(this.taintPath, () => {
      let text = '0';
      try {
        text = readFileSync(this.taintPath, 'utf8');
      } catch {
        // A fleet without a taint file starts untainted.
      }
      const taint = parseTaint(text);
      if (!taint.fwctl) writeFileAtomic(this.taintPath, `${taint.value + 2 ** TAINT_FWCTL_BIT}\n`);
    });
  }
}

export class SimFile {
  /**
   * Whether this file's last RPC changed the device. Writes come in runs (a flash
   * is hundreds of them): after one, the next RPC goes straight to the locked
   * read-modify-write instead of first running on the unlocked copy for nothing.
   */
  private lastChanged = false;

  constructor(
    private readonly kernel: SimKernel,
    readonly devicePath: string,
    private readonly stateMaxAgeMs = 0,
  ) {}

  private async simulator(state: DeviceState): Promise<SimulatorDefinition<unknown>> {
    const known = this.kernel.resolved.get(state.plugin);
    if (known) return known;
    const sim = await this.kernel.resolveSimulator(state.plugin);
    this.kernel.resolved.set(state.plugin, sim);
    return sim;
  }

  async ioctl(request: number, arg: Uint8Array, memory: UserMemory): Promise<void> {
    if (request === FWCTL_INFO) return this.info(arg, memory);
    if (request === FWCTL_RPC) return this.rpc(arg, memory);
    throw new FwctlErrno('ENOTTY', `ioctl 0x${request.toString(16)} is not an fwctl ioctl`);
  }

  private async info(arg: Uint8Array, memory: UserMemory): Promise<void> {
    checkStructSize(arg, FwctlInfoStruct.size, FwctlInfoStruct.size);
    const cmd = FwctlInfoStruct.decode(arg);
    if (cmd.flags !== 0) throw new FwctlErrno('EOPNOTSUPP', 'flags must be 0');
    const state = loadDeviceState(this.devicePath);
    if (state.faults.includes('gone')) throw new FwctlErrno('ENODEV');
    const sim = await this.simulator(state);
    const data = sim.info(state.firmware);
    let reported = 0;
    if (cmd.device_data_len > 0) {
      const padded = new Uint8Array(cmd.device_data_len);
      padded.set(data.subarray(0, cmd.device_data_len));
      memory.write(cmd.out_device_data, padded);
      reported = data.length;
    }
    FwctlInfoStruct.write(arg, { out_device_type: state.device_type, device_data_len: reported });
  }

  private async rpc(arg: Uint8Array, memory: UserMemory): Promise<void> {
    checkStructSize(arg, FwctlRpcStruct.size, FwctlRpcStruct.size);
    const cmd = FwctlRpcStruct.decode(arg);
    const scope = cmd.scope;
    const reject = (errno: FwctlErrno, countScope?: Scope): never => {
      recordRpc(this.devicePath, countScope, true);
      throw errno;
    };

    if (cmd.in_len > FWCTL_MAX_RPC_LEN || cmd.out_len > FWCTL_MAX_RPC_LEN) reject(new FwctlErrno('EMSGSIZE'));
    if (!isScope(scope)) return reject(new FwctlErrno('EOPNOTSUPP', `unknown scope ${scope}`));
    if (scope === Scope.DEBUG_WRITE_FULL && !hasCapSysRawio()) reject(new FwctlErrno('EPERM', 'DEBUG_WRITE_FULL needs CAP_SYS_RAWIO'), scope);
    // The kernel taints for the scope asked for, before the driver validates the RPC.
    if (scope >= Scope.DEBUG_WRITE) await this.kernel.taint();

    const input = memory.read(cmd.in, cmd.in_len);
    // One read of the state serves the latency, the faults that act before the device
    // is reached and the RPC itself: nothing awaits between this read and execute(),
    // so no other RPC of this process can touch the object in between.
    let loaded = loadDeviceState(this.devicePath, { maxAgeMs: this.stateMaxAgeMs });
    if (!this.kernel.resolved.has(loaded.plugin)) {
      await this.simulator(loaded);
      loaded = loadDeviceState(this.devicePath, { maxAgeMs: this.stateMaxAgeMs });
    }
    // Counted when the kernel takes it, before the device hangs on it: the RPC was sent.
    recordRpc(this.devicePath, scope, false);
    if (loaded.faults.includes('hang')) await new Promise<never>(() => setInterval(() => undefined, 60_000));
    // The modelled device takes latency_ms to execute the command. The simulator's own
    // bookkeeping (state I/O, a lock when the RPC changes state) happens while it
    // works, as a kernel's does while firmware runs, so it is not added on top.
    const deviceBusy = loaded.latency_ms > 0 ? sleep(loaded.latency_ms) : undefined;

    let outcome = this.lastChanged ? undefined : this.execute(loaded, scope, input, cmd.out_len, memory);
    if (!outcome || outcome.changed) {
      // The RPC changes the device (a write, a flash, a power loss): forget what ran on
      // the unlocked copy and do it again as one locked read-modify-write, so a
      // concurrent process's change is neither lost nor overwritten. (The unlocked run
      // wrote into the cached state object: that copy is no longer the file's.)
      if (outcome) forgetDeviceState(this.devicePath);
      outcome = await withFileLock(this.devicePath, async () => {
        const locked = this.execute(loadDeviceState(this.devicePath, { reread: true }), scope, input, cmd.out_len, memory);
        if (locked.changed && locked.store) await storeDeviceState(this.devicePath, locked.state);
        // Changed in memory but not stored (a crashed model): the file is the truth.
        else if (locked.changed) forgetDeviceState(this.devicePath);
        return locked;
      });
    }
    this.lastChanged = outcome.changed;
    if (outcome.refused) recordRpc(this.devicePath, undefined, true);

    await deviceBusy;
    if (outcome.error) throw outcome.error;
    const reply = outcome.reply!;
    memory.write(cmd.out, reply.subarray(0, Math.min(cmd.out_len, reply.length)));
    FwctlRpcStruct.write(arg, { out_len: reply.length });
  }

  /**
   * The driver's checks and the firmware model on the state, without I/O. Most
   * RPCs only read; `changed` says whether this one wrote to the state (watched, see
   * write-watch.ts; the caller then redoes it under the lock and stores it). `store`
   * is false when the model crashed, whose half-made change must not be kept.
   */
  private execute(current: DeviceState, scope: Scope, input: Uint8Array, outLen: number, memory: UserMemory): RpcOutcome {
    const watch = watchWrites(current);
    const state = watch.view;
    const done = (result: Omit<RpcOutcome, 'state' | 'changed'>): RpcOutcome => Object.assign(result, { state: current, changed: watch.changed() });
    if (state.faults.includes('gone')) return done({ error: new FwctlErrno('ENODEV', 'device is gone'), refused: true, store: true });
    const sim = this.kernel.resolved.get(state.plugin)!;
    const errno = sim.driverCheck(scope, input, outLen, state.firmware);
    if (errno) return done({ error: new FwctlErrno(errno, `the ${state.plugin} driver refused the RPC`), refused: true, store: true });
    if (state.faults.includes('garbage')) {
      const reply = new Uint8Array(Math.max(1, Math.min(outLen, 64)));
      for (let i = 0; i < reply.length; i++) reply[i] = (i * 73 + 41) & 0xff;
      return done({ reply, refused: false, store: true });
    }
    if (state.faults.includes('fw-error') && sim.errorReply) return done({ reply: sim.errorReply(input, outLen), refused: false, store: true });
    try {
      const reply = sim.firmware(state.firmware, input, outLen, { now: Date.now(), memory, faults: state.faults, chargeFlashWrite: (bytes) => chargeFlash(state, bytes) });
      return done({ reply, refused: false, store: true });
    } catch (error) {
      if (error instanceof PowerLoss) {
        // The device lost power mid-write: what was committed stays, volatile state goes.
        sim.powerCycle?.(state.firmware, Date.now());
        state.faults = state.faults.filter((f) => f !== 'power-loss');
        delete state.power_loss_after_bytes;
        return done({ error: new FwctlErrno('EIO', 'the device lost power during the RPC'), refused: false, store: true });
      }
      // A model that throws is a firmware that crashed: the RPC did not complete.
      if (error instanceof FwctlErrno) return done({ error, refused: false, store: false });
      return done({ error: new FwctlErrno('EIO', `simulated ${state.plugin} firmware failed: ${(error as Error).message}`), refused: false, store: false });
    }
  }
}

interface RpcOutcome {
  reply?: Uint8Array;
  error?: FwctlErrno;
  /** The driver refused the RPC (counted in the device's RPC log). */
  refused: boolean;
  /** The state after the RPC, and whether the RPC changed it. */
  state: DeviceState;
  changed: boolean;
  /** Whether a change may be kept (not after a crashed model). */
  store: boolean;
}
