/**
 * The plugin contract. A plugin is plain data (ESLint style): a `meta` block, a
 * protocol (classifier + reply status + decoders), a list of commands, and a
 * lazily loaded simulator (the firmware model and the kernel driver's rules).
 *
 * Everything here is what an out-of-tree `accelctl-plugin-<name>` package sees;
 * nothing in it refers to commander, chalk or a transport.
 */
import type { z } from 'zod';
import type { Classification, RpcClass, Scope } from '../core/scope';
import type { View } from './view';
import type { ConfigSupport, DumpInvocation, FirmwareSupport, HealthSupport, MetricsSupport, ResetSupport } from './capabilities';

/** Bumped only when the plugin contract changes incompatibly. */
export const SDK_VERSION = 1;

export interface PluginMeta {
  /** Command namespace and plugin id: `accelctl <name> ...`. Lower-case, [a-z0-9-]. */
  name: string;
  version: string;
  /** `enum fwctl_device_type` value this plugin drives (MLX5=1, CXL=2, BNXT=3, PDS=4). */
  deviceType: number;
  sdkVersion: number;
  /** One line for `accelctl plugin list` and man pages. */
  description: string;
  /** The kernel fwctl driver this plugin talks to, for docs ("mlx5_fwctl"). */
  kernelDriver?: string;
}

/** One kind of RPC the plugin knows, for `accelctl commands` and docs. */
export interface RpcKind {
  name: string;
  rpcClass: RpcClass;
  scope: Scope;
  description?: string;
}

export type ReplyStatus =
  | { ok: true }
  | {
      ok: false;
      /** Vendor status value (mlx5 status, CXL retval, pds retval, bnxt error_code). */
      status: number;
      message: string;
      /** Extra vendor detail, e.g. the mlx5 syndrome. */
      detail?: Record<string, number | string>;
    };

export interface RpcOptions {
  /** Size of the reply buffer; defaults to the protocol's `defaultOutLen`. */
  outLen?: number;
  /** Return a reply whose device-level status is an error instead of throwing. */
  allowDeviceError?: boolean;
}

/**
 * A buffer that the request points to by address (pds: `payload` fields are user
 * pointers the kernel copies from/to). The plugin leaves the u64 pointer field at
 * `pointerAt` zero; the transport places the buffer in memory and patches the
 * address in (the simulator uses fake addresses and `SimEnvironment.memory`).
 */
export interface IndirectBuffer {
  /** Byte offset, inside the request, of the u64 (host-endian) pointer field. */
  pointerAt: number;
  /** Bytes the device reads (input payload). */
  data?: Uint8Array;
  /** Capacity the device may write back (output payload); the buffer is zero-filled. */
  length?: number;
}

export interface IndirectReply {
  reply: Uint8Array;
  /** One per IndirectBuffer, in order, after the device wrote into them. */
  buffers: Uint8Array[];
}

export interface DeviceSummary {
  /** fwctl0 */
  name: string;
  /** /dev/fwctl/fwctl0 */
  path: string;
  /** PCI address of the parent function, e.g. 0000:3b:00.0, when known. */
  pci: string | undefined;
  plugin: string;
}

/** What the classifier may use when a decision depends on the device (CXL effects, pds attributes). */
export interface ClassifyContext {
  /**
   * Send an RPC the plugin itself classifies as `inspect` (refused otherwise) and
   * return its reply, status already checked. Used to learn what the kernel driver
   * knows, e.g. a CXL feature's effects or a pds operation's attribute.
   */
  inspect(request: Uint8Array, options?: RpcOptions): Promise<Uint8Array>;
  /** The same, for requests that carry indirect buffers. */
  inspectIndirect(request: Uint8Array, indirect: readonly IndirectBuffer[], options?: RpcOptions): Promise<IndirectReply>;
  /** Per-device cache that lives for one accelctl invocation. */
  cache: Map<string, unknown>;
}

export interface Protocol {
  /**
   * Classify a request exactly as the kernel driver will: the class, and the
   * minimum scope the driver accepts. Return undefined for anything the driver
   * would refuse or the plugin does not understand: the umbrella then refuses
   * to send it.
   */
  classify(request: Uint8Array, context: ClassifyContext): Classification | undefined | Promise<Classification | undefined>;
  /** The device-level outcome carried inside a delivered reply. */
  replyStatus(request: Uint8Array, reply: Uint8Array): ReplyStatus;
  /** Reply buffer size to offer when the caller does not say. */
  defaultOutLen(request: Uint8Array): number;
  /** Decode a reply into JSON-able data for `accelctl rpc`, when the plugin can. */
  decodeReply?(request: Uint8Array, reply: Uint8Array): unknown;
  /** Decode the driver's FWCTL_INFO device data. */
  decodeInfo?(data: Uint8Array): Record<string, unknown>;
  /** Every RPC kind the plugin can classify (for `accelctl commands`). */
  rpcKinds: readonly RpcKind[];
}

export interface CommandContext {
  device: DeviceSummary;
  /** Classify, apply policy, send, check the device-level status. */
  rpc(request: Uint8Array, options?: RpcOptions): Promise<Uint8Array>;
  /** The same, for requests that point to indirect buffers (pds payloads). */
  rpcIndirect(request: Uint8Array, indirect: readonly IndirectBuffer[], options?: RpcOptions): Promise<IndirectReply>;
  /** FWCTL_INFO: device type and the driver's device data. */
  info(): Promise<{ deviceType: number; deviceData: Uint8Array }>;
  /** Per-device cache for one invocation, shared with the classifier's ClassifyContext.cache. */
  cache: Map<string, unknown>;
}

/** A command option: a zod schema (type, default, validation) plus what help shows. */
export interface OptionSpec<S extends z.ZodType = z.ZodType> {
  schema: S;
  description: string;
  /** Single-letter alias, e.g. 'c' for -c. */
  short?: string;
  /** Placeholder shown in help, e.g. 'ID'. */
  valueName?: string;
}

export interface ArgSpec {
  name: string;
  description: string;
  required?: boolean;
  variadic?: boolean;
}

export type OptionValues<O extends Record<string, OptionSpec>> = { [K in keyof O]: z.infer<O[K]['schema']> };

export interface PluginCommand<O extends Record<string, OptionSpec> = Record<string, OptionSpec>, R = unknown> {
  name: string;
  summary: string;
  description?: string;
  /** The most invasive class this command sends (it never sends above it). */
  rpcClass: RpcClass;
  /** The RPC kinds it sends, by name from `protocol.rpcKinds`. */
  rpcs: readonly string[];
  /** Positional arguments after the device. */
  args?: readonly ArgSpec[];
  options?: O;
  examples?: readonly string[];
  /**
   * How `accelctl dump` runs this command. Default: an inspect command with no
   * required arguments runs once with default options; anything else is skipped.
   * `false` leaves it out; a list names the invocations to run.
   */
  dump?: readonly DumpInvocation[] | false;
  run(context: CommandContext, input: { args: string[]; options: OptionValues<O> }): Promise<R>;
  /** Text rendering; JSON output is the result itself. */
  render?(result: R): View[];
}

/** Facts about an identified device for `accelctl list`. */
export interface DeviceIdentity {
  model?: string;
  firmware?: string;
  serial?: string;
}

/**
 * A plugin's commands, loaded when first needed: `accelctl list`, `info`, `health`
 * and the like never run a plugin command, so they need not load (or build the
 * option schemas of) any. `() => import('./commands')` with a default export.
 */
export type CommandsLoader = () => Promise<{ default: readonly PluginCommand<any, any>[] }>;

export interface Plugin {
  meta: PluginMeta;
  protocol: Protocol;
  /** The vendor commands (`accelctl <plugin> <command>`): a list, or a loader of one. */
  commands: readonly PluginCommand<any, any>[] | CommandsLoader;
  /**
   * Read model/firmware/serial with inspect RPCs, for `accelctl list`. It may leave out
   * what a device refuses to tell; a reply it cannot decode should be thrown, so that
   * `list` shows the device as failed rather than a quietly partial row.
   */
  identify?(context: CommandContext): Promise<DeviceIdentity>;
  /** The simulated device, loaded only when a simulated device is used. */
  simulator?: () => Promise<{ default: SimulatorDefinition<any> }>;
  /** `accelctl config`: persistent parameters mapped to the device's RPCs. */
  config?: ConfigSupport;
  /** `accelctl reset`: a device reset that applies pending configuration and firmware. */
  reset?: ResetSupport;
  /** `accelctl fw`: versions, flash, activate. */
  firmware?: FirmwareSupport;
  /** `accelctl health`: devlink-style health reporters. */
  health?: HealthSupport;
  /** `accelctl metrics`: temperatures, power, link, counters. */
  metrics?: MetricsSupport;
}

export type ErrnoName =
  | 'EPERM'
  | 'ENODEV'
  | 'ENOMEM'
  | 'EINVAL'
  | 'E2BIG'
  | 'ENOTTY'
  | 'EOPNOTSUPP'
  | 'EMSGSIZE'
  | 'EBADMSG'
  | 'EIO'
  | 'ETIMEDOUT'
  | 'EFAULT';

export interface SimEnvironment {
  /** Milliseconds since the epoch (a clock the simulator may fake). */
  now: number;
  /**
   * Faults injected with `accelctl sim fault` that the model itself acts on:
   * 'health-error' (a health reporter goes to error) and 'fw-error' (the
   * umbrella answers with `errorReply` itself). hang/garbage/gone never reach the model.
   */
  faults: readonly string[];
  /**
   * Call before committing `bytes` to flash. When an injected power loss is due
   * it throws (the umbrella then power-cycles the model and fails the RPC), so the
   * bytes are never committed: exactly what losing power mid-write does.
   */
  chargeFlashWrite(bytes: number): void;
  /**
   * User memory as the kernel sees it through copy_from_user/copy_to_user: the
   * indirect buffers of this RPC at their (fake) addresses. Unknown addresses or
   * out-of-range accesses throw an errno EFAULT, as the kernel would return.
   */
  memory: {
    read(address: bigint, length: number): Uint8Array;
    write(address: bigint, data: Uint8Array): void;
  };
}

/**
 * A simulated device: the plugin's kernel driver rules plus its firmware model.
 * State is plain JSON, persisted by the simulator between invocations.
 */
export interface SimulatorDefinition<State> {
  /** PCI identity written to the fake sysfs. */
  pci: {
    vendor: number;
    device: number;
    subsystemVendor?: number;
    subsystemDevice?: number;
    classCode: number;
    /** PCI driver name, e.g. mlx5_core (the `driver` link). */
    driver: string;
  };
  /** 'pci': fwctl parent is the PCI function; 'cxl-memdev': parent is memN under it. */
  topology: 'pci' | 'cxl-memdev';
  /** Marketing name, written to the PCI VPD identifier string. */
  model: string;
  /** 'cxl-memdev': the memdev's sysfs firmware_version (the FW revision the kernel reads at probe). */
  memdevFirmwareVersion?: string;
  /** A fresh device. `index` is the fwctl minor; `serial` is unique in the fleet. */
  create(seed: { index: number; serial: string }): State;
  /** FWCTL_INFO device data (the driver's struct), may be empty. */
  info(state: State): Uint8Array;
  /**
   * The kernel driver's own checks, run after the fwctl core's: return an errno to
   * refuse (mlx5 refuses an opcode not allowed at the scope with EBADMSG).
   */
  driverCheck(scope: Scope, request: Uint8Array, outLen: number, state: State): ErrnoName | undefined;
  /**
   * Execute in firmware; may change `state`. Returns the reply (may be longer than
   * outLen). Throw `simErrno('EINVAL')` for refusals a driver makes only once it
   * has looked deeper (the RPC then fails with that errno, state unchanged).
   */
  firmware(state: State, request: Uint8Array, outLen: number, env: SimEnvironment): Uint8Array;
  /** A delivered reply carrying a firmware failure status, for the 'fw-error' fault. */
  errorReply?(request: Uint8Array, outLen: number): Uint8Array;
  /** What a power cycle or cold reset at time `now` does to the model (volatile state lost, banks kept). */
  powerCycle?(state: State, now: number): void;
  /** A valid (or with `corrupt`, a deliberately broken) firmware image for this device. */
  buildImage?(options: { version: string; size?: number; corrupt?: boolean; target?: string }, state?: State): Uint8Array;
}

export function definePlugin<P extends Plugin>(plugin: P): P {
  return plugin;
}

export function defineCommand<O extends Record<string, OptionSpec>, R>(command: PluginCommand<O, R>): PluginCommand<O, R> {
  return command;
}

export function defineSimulator<State>(simulator: SimulatorDefinition<State>): SimulatorDefinition<State> {
  return simulator;
}

/** Build an option spec with its zod schema inferred. */
export function option<S extends z.ZodType>(schema: S, description: string, extra: Omit<OptionSpec<S>, 'schema' | 'description'> = {}): OptionSpec<S> {
  return { schema, description, ...extra };
}
