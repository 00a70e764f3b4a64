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
import { Scope, isScope, scopeName } from '../core/scope';
import type { SimulatorDefinition } from '../sdk/plugin';
import { FwctlErrno } from '../transport/types';
import { FWCTL_INFO, FWCTL_MAX_RPC_LEN, FWCTL_RPC, FwctlInfoStruct, FwctlRpcStruct, TAINT_FWCTL_BIT } from '../transport/uapi';
import { forgetDeviceState, loadDeviceState, storeDeviceState, withFileLock, writeFileAtomic, type DeviceState } from './state-store';
import type { UserMemory } from './user-memory';

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

const fromRegistry: SimulatorResolver = async (name) => loadSimulator(await loadPlugin(name));

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

  /** open(2) of SIM/dev/fwctl/fwctlN. */
  open(devicePath: string): SimFile {
    const state = loadDeviceState(devicePath);
    if (state.faults.includes('gone')) throw new FwctlErrno('ENODEV', 'device is gone');
    return new SimFile(this, devicePath);
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
  constructor(
    private readonly kernel: SimKernel,
    readonly devicePath: string,
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
    const reject = async (errno: FwctlErrno, countScope?: Scope): Promise<never> => {
      await this.count(countScope, true);
      throw errno;
    };

    if (cmd.in_len > FWCTL_MAX_RPC_LEN || cmd.out_len > FWCTL_MAX_RPC_LEN) await reject(new FwctlErrno('EMSGSIZE'));
    if (!isScope(scope)) return reject(new FwctlErrno('EOPNOTSUPP', `unknown scope ${scope}`));
    if (scope === Scope.DEBUG_WRITE_FULL && !hasCapSysRawio()) await reject(new FwctlErrno('EPERM', 'DEBUG_WRITE_FULL needs CAP_SYS_RAWIO'), scope);
    // The kernel taints for the scope asked for, before the driver validates the RPC.
    if (scope >= Scope.DEBUG_WRITE) await this.kernel.taint();

    const input = memory.read(cmd.in, cmd.in_len);
    // Read (and, when it changed, parse) the state once outside the lock, for the
    // latency and the faults that act before the device is reached.
    const before = loadDeviceState(this.devicePath);
    if (!this.kernel.resolved.has(before.plugin)) await this.simulator(before);
    if (before.faults.includes('hang')) await new Promise<never>(() => setInterval(() => undefined, 60_000));
    // The modelled device takes latency_ms to execute the command. The simulator's own
    // bookkeeping (lock, state I/O) happens while it works, as a kernel's does while
    // firmware runs, so it is not added on top of the device's time.
    const deviceBusy = before.latency_ms > 0 ? sleep(before.latency_ms) : undefined;

    // One locked read-modify-write: the state is read again under the lock (another
    // process may have changed it), stats and firmware change in the same object,
    // and one write stores both. Only the write awaits (on the thread pool).
    const reply = await withFileLock(this.devicePath, async () => {
      let written = false;
      const store = async (state: DeviceState) => {
        await storeDeviceState(this.devicePath, state);
        written = true;
      };
      try {
        const state = loadDeviceState(this.devicePath);
        state.stats.requested[scopeName(scope)] += 1;
        if (state.faults.includes('gone')) {
          state.stats.refused += 1;
          await store(state);
          throw new FwctlErrno('ENODEV', 'device is gone');
        }
        const sim = this.kernel.resolved.get(state.plugin) ?? (await this.simulator(state));
        const errno = sim.driverCheck(scope, input, cmd.out_len, state.firmware);
        if (errno) {
          state.stats.refused += 1;
          await store(state);
          throw new FwctlErrno(errno, `the ${state.plugin} driver refused the RPC`);
        }
        let out: Uint8Array;
        if (state.faults.includes('garbage')) {
          out = new Uint8Array(Math.max(1, Math.min(cmd.out_len, 64)));
          for (let i = 0; i < out.length; i++) out[i] = (i * 73 + 41) & 0xff;
        } else if (state.faults.includes('fw-error') && sim.errorReply) {
          out = sim.errorReply(input, cmd.out_len);
        } else {
          try {
            out = sim.firmware(state.firmware, input, cmd.out_len, { now: Date.now(), memory, faults: state.faults, chargeFlashWrite: (bytes) => chargeFlash(state, bytes) });
          } catch (error) {
            if (error instanceof PowerLoss) {
              // The device lost power mid-write: what was committed stays, volatile state goes.
              sim.powerCycle?.(state.firmware, Date.now());
              state.faults = state.faults.filter((f) => f !== 'power-loss');
              delete state.power_loss_after_bytes;
              await store(state);
              throw new FwctlErrno('EIO', 'the device lost power during the RPC');
            }
            // A model that throws is a firmware that crashed: the RPC did not complete.
            if (error instanceof FwctlErrno) throw error;
            throw new FwctlErrno('EIO', `simulated ${state.plugin} firmware failed: ${(error as Error).message}`);
          }
        }
        await store(state);
        return out;
      } finally {
        // Changed in memory but not stored (a crashed model): the file is the truth.
        if (!written) forgetDeviceState(this.devicePath);
      }
    });

    await deviceBusy;
    memory.write(cmd.out, reply.subarray(0, Math.min(cmd.out_len, reply.length)));
    FwctlRpcStruct.write(arg, { out_len: reply.length });
  }

  private async count(scope: Scope | undefined, refused: boolean): Promise<void> {
    await withFileLock(this.devicePath, async () => {
      const state = loadDeviceState(this.devicePath);
      if (scope !== undefined) state.stats.requested[scopeName(scope)] += 1;
      if (refused) state.stats.refused += 1;
      try {
        await storeDeviceState(this.devicePath, state);
      } catch (error) {
        forgetDeviceState(this.devicePath);
        throw error;
      }
    });
  }
}
