/**
 * Optional capabilities a plugin offers on top of its own commands. The umbrella
 * owns the user-facing commands (`config`, `reset`, `fw`, `health`, `metrics`,
 * `dump`) and their output, validation, gates and progress; a plugin only maps
 * them to its device's real RPCs. A plugin without a capability simply lacks
 * the block, and the umbrella says so plainly.
 *
 * Every RPC a capability sends still goes through `ctx.rpc`, so it is classified
 * and gated like any other; the class fields here are for docs and listings.
 */
import type { RpcClass } from '../core/scope';
import type { CommandContext } from './plugin';

// ---------------------------------------------------------------- configuration

export type ParamType =
  | { kind: 'bool' }
  | { kind: 'int'; min: number; max: number; unit?: string }
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'string'; maxLength: number };

export type ParamValue = boolean | number | string;

/** What makes a new value take effect. */
export type ApplyMode = 'immediate' | 'reset' | 'reboot';

export interface ConfigParamDef {
  /** snake_case, stable: scripts use it (`sriov_en`, `num_of_vfs`). */
  name: string;
  type: ParamType;
  description: string;
  apply: ApplyMode;
  readOnly?: boolean;
}

export interface ConfigParamState {
  name: string;
  default: ParamValue;
  /** The value in effect now. */
  current: ParamValue;
  /** The value after the next reset/reboot (equals current when nothing is pending). */
  nextBoot: ParamValue;
}

export interface ConfigChange {
  name: string;
  value: ParamValue;
}

export interface ConfigSupport {
  /** The parameters this device offers. */
  params(context: CommandContext): Promise<readonly ConfigParamDef[]>;
  /** Current, next-boot and default values of the named parameters (all when empty). */
  read(context: CommandContext, names: readonly string[]): Promise<ConfigParamState[]>;
  /** Set values (already validated against their types by the umbrella). */
  write(context: CommandContext, changes: readonly ConfigChange[]): Promise<void>;
  /** The class of a write: configure, or mutate-debug where the kernel scopes it so (CXL). */
  writeClass: RpcClass;
  rpcs: { read: readonly string[]; write: readonly string[] };
  /** Shown with `config show`/`set`, e.g. why writes are mutate-debug on this device. */
  note?: string;
  /** What makes pending values current on this device, when not `accelctl reset` (e.g. "a CXL reset or power cycle"). */
  applyHint?: string;
}

// ---------------------------------------------------------------- device reset

export interface ResetLevel {
  name: string;
  description: string;
}

export interface ResetSupport {
  /** The first level is the default. */
  levels: readonly ResetLevel[];
  rpcClass: RpcClass;
  rpcs: readonly string[];
  /** Reset the device; pending configuration (and a stored firmware image) then take effect. */
  reset(context: CommandContext, level: string): Promise<{ note?: string }>;
}

// ---------------------------------------------------------------- firmware

export interface FirmwareVersions {
  /** Board/ASIC identity: board_id, psid, asic ... */
  fixed: Record<string, string>;
  /** What runs now, per component. */
  running: Record<string, string>;
  /** What the flash holds, per component (differs from running after a flash, until activation). */
  stored: Record<string, string>;
  /** The bank that runs, where the device has banks. */
  activeBank?: string;
  /** A stored image waits for activation. */
  pendingActivation: boolean;
  /** Shown with the versions, e.g. what the kernel does not let the plugin read. */
  note?: string;
}

export interface FirmwareImageInfo {
  /** Image format name, e.g. "accelctl-sim-mlx5". */
  format: string;
  version: string;
  /** What the image is built for (PSID, board id, device id). */
  target: string;
  components: readonly string[];
  size: number;
}

export type FlashPhase = 'prepare' | 'write' | 'verify' | 'done';

export interface FlashProgress {
  phase: FlashPhase;
  /** Bytes done in this phase. */
  done: number;
  total: number;
}

export interface FlashResult {
  verified: boolean;
  /** What the operator must do for the new image to run ("accelctl fw activate", "a reset"). */
  activation: string;
}

export interface FirmwareSupport {
  show(context: CommandContext): Promise<FirmwareVersions>;
  /**
   * Check an image before a byte goes to the device: format, size, checksum.
   * Throws AccelError ACCELCTL_E_BAD_IMAGE for anything wrong.
   */
  inspectImage(image: Uint8Array): FirmwareImageInfo;
  /** Check the image is for this device (inspect RPCs only); throws ACCELCTL_E_BAD_IMAGE. */
  checkTarget(context: CommandContext, info: FirmwareImageInfo): Promise<void>;
  /** Write the image in the device's own chunking, reporting progress; verify after writing. */
  flash(context: CommandContext, image: Uint8Array, options: { component?: string; progress: (p: FlashProgress) => void }): Promise<FlashResult>;
  /** Make the stored image run. */
  activate(context: CommandContext): Promise<void>;
  /** The class of flash/activate RPCs; absent when this device cannot be flashed through fwctl. */
  flashClass?: RpcClass;
  rpcs: { show: readonly string[]; flash: readonly string[]; activate: readonly string[] };
}

// ---------------------------------------------------------------- health and metrics

export interface HealthReporter {
  /** devlink-style reporter name: fw, fw_fatal, thermal, link ... */
  name: string;
  state: 'healthy' | 'error';
  errorCount: number;
  lastError?: { message: string; time?: string };
  /** What an operator should do, when in error. */
  recommendedAction?: string;
}

export interface HealthSupport {
  reporters(context: CommandContext): Promise<HealthReporter[]>;
  rpcs: readonly string[];
}

export interface Metric {
  /** snake_case without the accelctl_ prefix and with its unit suffix (temperature_celsius). */
  name: string;
  help: string;
  type: 'gauge' | 'counter';
  value: number;
  /** Extra labels beyond device/plugin/pci (port, sensor ...). */
  labels?: Record<string, string>;
}

export interface MetricsSupport {
  collect(context: CommandContext): Promise<Metric[]>;
  rpcs: readonly string[];
}

/** One way to run a command in a bug-report dump (`accelctl dump`). */
export interface DumpInvocation {
  args?: readonly string[];
  options?: Record<string, unknown>;
}
