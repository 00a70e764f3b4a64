/**
 * The RPC pipeline every request goes through, whichever command built it:
 *
 *   classify (plugin) → check the class/scope pair → dry-run stop → policy gate
 *   → send at the minimum scope (transport, with timeout) → device-level status
 *
 * Safety lives here and only here: a plugin cannot send without a
 * classification, cannot pick its own scope, and an inspect-only run (dump)
 * cannot send anything else, whatever the plugin's command does.
 */
import type { ClassifyContext, CommandContext, IndirectBuffer, IndirectReply, Plugin, RpcOptions } from '../sdk/plugin';
import { FwctlErrno, type FwctlHandle, type FwctlRpcResult } from '../transport/types';
import { FWCTL_MAX_RPC_LEN } from '../transport/uapi';
import type { DeviceEntry } from './discovery';
import { errnoToError } from './errno';
import { AccelError, isAccelError, withoutDevicePrefix } from './errors';
import { hasCapSysRawio } from './privilege';
import { Scope, classAllowsScope, scopeName, type Classification, type ScopeName } from './scope';
import { monotonicMs } from './clock';

export type Gate = 'none' | 'yes' | 'allow-mutate';

export interface PolicyOptions {
  /** configure RPCs were confirmed on the command line (--yes). */
  yes: boolean;
  /** mutate-debug RPCs were allowed on the command line (--allow-mutate). */
  allowMutate: boolean;
  /**
   * Stop before the command's first RPC that could change anything (configure or
   * mutate-debug) and report it instead; reads still run, so a command can show
   * what it would change.
   */
  dryRun: boolean;
  /** Refuse anything but inspect (dump, list, health). */
  inspectOnly: boolean;
  timeoutMs: number;
  /**
   * Send each distinct inspect request once (dump): a repeat is answered with the
   * reply already read. A dump is one snapshot of the device, and asks its firmware
   * nothing twice (identity, firmware and configuration sections read some of the
   * same registers).
   */
  snapshot?: boolean;
  /** Ask the operator (TTY, not JSON); undefined when no one can answer. */
  confirm?: (question: string) => Promise<boolean>;
  /** Observer for -v output and statistics. */
  onRpc?: (event: RpcEvent) => void;
}

export interface RpcEvent {
  device: string;
  name: string;
  rpcClass: Classification['rpcClass'];
  scope: ScopeName;
  request: Uint8Array;
  reply?: Uint8Array;
  durationMs?: number;
  /** The kernel reported a longer reply than the buffer offered. */
  truncated?: boolean;
}

export interface PlannedRpc {
  device: string;
  name: string;
  rpc_class: Classification['rpcClass'];
  scope: ScopeName;
  gate: Gate;
  request: Uint8Array;
  out_len: number;
}

/** Thrown to end a --dry-run at the first RPC a command would send. */
export class DryRunStop extends Error {
  constructor(readonly planned: PlannedRpc) {
    super('dry run');
    this.name = 'DryRunStop';
  }
}

export function gateFor(classification: Classification): Gate {
  if (classification.rpcClass === 'configure') return 'yes';
  if (classification.rpcClass === 'mutate-debug') return 'allow-mutate';
  return 'none';
}

/**
 * Settle with `promise`, or fail with ACCELCTL_E_TIMEOUT after `ms`. One promise
 * and one timer per RPC, no Promise.race (this runs for every RPC: DESIGN.md §6).
 */
function withTimeout<T>(promise: Promise<T>, ms: number, device: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new AccelError('ACCELCTL_E_TIMEOUT', `${device}: no answer within ${ms} ms`, { hint: 'raise --timeout, or check the device health' })),
      ms,
    );
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

type Mode = 'command' | 'classifier';

/** The identity of an inspect request for PolicyOptions.snapshot: scope, reply size and bytes. */
function snapshotKeyOf(scope: Scope, outLen: number, request: Uint8Array): string {
  return `${scope}/${outLen}/${Buffer.from(request.buffer, request.byteOffset, request.byteLength).toString('latin1')}`;
}

export class DevicePipeline {
  /** Lives for one invocation; classifiers keep what they learned here. */
  readonly cache = new Map<string, unknown>();
  /** Replies by inspect request, when the policy asks for a snapshot. */
  private readonly snapshotReplies = new Map<string, FwctlRpcResult>();
  private configureConfirmed = false;
  /**
   * The first RPC failure of this device in this invocation, whether or not the
   * caller took it: a best-effort step (a plugin's identify) may swallow it, and
   * `list` still says the device failed.
   */
  firstFailure: AccelError | undefined;
  /**
   * Set when the device stopped answering (timeout, gone) in an inspect-only
   * invocation: it is sent nothing more, so a hung device costs one --timeout, not
   * one per RPC that list, health or metrics would still try.
   */
  private stoppedAnswering: AccelError | undefined;

  constructor(
    readonly entry: DeviceEntry,
    readonly handle: FwctlHandle,
    readonly plugin: Plugin,
    readonly policy: PolicyOptions,
  ) {}

  private readonly classifyContext: ClassifyContext = {
    inspect: async (request, options) => (await this.send(request, [], options ?? {}, 'classifier')).reply,
    inspectIndirect: (request, indirect, options) => this.send(request, indirect, options ?? {}, 'classifier'),
    cache: this.cache,
  };

  /** The plugin's verdict, checked for consistency. Refuses what it cannot classify. */
  async classify(request: Uint8Array): Promise<Classification> {
    const verdict = this.plugin.protocol.classify(request, this.classifyContext);
    return this.checkClassification(verdict instanceof Promise ? await verdict : verdict);
  }

  private checkClassification(classification: Classification | undefined): Classification {
    if (!classification) {
      throw new AccelError('ACCELCTL_E_UNCLASSIFIED', `${this.entry.name}: the ${this.plugin.meta.name} plugin cannot classify this request; it was not sent`, {
        hint: `only RPCs the ${this.plugin.meta.name} kernel driver accepts can be sent; see 'accelctl commands ${this.plugin.meta.name}'`,
      });
    }
    if (!classAllowsScope(classification.rpcClass, classification.scope)) {
      throw new AccelError(
        'ACCELCTL_E_PLUGIN',
        `plugin ${this.plugin.meta.name} classified ${classification.name} as ${classification.rpcClass} at scope ${scopeName(classification.scope)}, which that class may not use`,
      );
    }
    return classification;
  }

  /**
   * Ask once, up front, for a command that will send configure RPCs (config set
   * shows old → new first). Later configure RPCs of this invocation then pass.
   */
  async confirmConfigure(question: string): Promise<void> {
    if (this.policy.yes || this.configureConfirmed || this.policy.dryRun) return;
    if (!this.policy.confirm) {
      throw new AccelError('ACCELCTL_E_NEEDS_YES', `${this.entry.name}: this changes the device configuration; refused without confirmation`, { hint: 'add --yes to confirm' });
    }
    if (!(await this.policy.confirm(question))) {
      throw new AccelError('ACCELCTL_E_NEEDS_YES', `${this.entry.name}: not confirmed, nothing was sent`);
    }
    this.configureConfirmed = true;
  }

  private async gate(c: Classification, mode: Mode): Promise<void> {
    const what = `${this.entry.name}: ${c.name} is ${c.rpcClass}`;
    if ((this.policy.inspectOnly || mode === 'classifier') && c.rpcClass !== 'inspect') {
      throw new AccelError('ACCELCTL_E_NOT_INSPECT', `${what}; only inspect RPCs may be sent here`);
    }
    if (c.rpcClass === 'configure' && !this.policy.yes && !this.configureConfirmed) {
      if (this.policy.confirm) {
        if (!(await this.policy.confirm(`${c.name} changes the configuration of ${this.entry.name}. Send it?`))) {
          throw new AccelError('ACCELCTL_E_NEEDS_YES', `${what}; not confirmed, nothing was sent`);
        }
        this.configureConfirmed = true;
      } else {
        throw new AccelError('ACCELCTL_E_NEEDS_YES', `${what} (changes device configuration); refused without confirmation`, {
          hint: 'add --yes to confirm',
        });
      }
    }
    if (c.rpcClass === 'mutate-debug') {
      if (!this.policy.allowMutate) {
        throw new AccelError(
          'ACCELCTL_E_NEEDS_ALLOW_MUTATE',
          `${what} (scope ${scopeName(c.scope)}): it may leave the device unsupported and taints the kernel; refused`,
          { hint: 'add --allow-mutate if you mean it' },
        );
      }
      if (c.scope === Scope.DEBUG_WRITE_FULL && !hasCapSysRawio()) {
        throw new AccelError('ACCELCTL_E_PRIVILEGE', `${what} at scope debug_write_full, which needs CAP_SYS_RAWIO`, {
          hint: 'run as root (or with CAP_SYS_RAWIO)',
        });
      }
    }
  }

  private async transmit(c: Classification, request: Uint8Array, outLen: number, indirect: readonly IndirectBuffer[]) {
    try {
      return await withTimeout(this.handle.rpc(c.scope, request, outLen, indirect), this.policy.timeoutMs, this.entry.name);
    } catch (error) {
      if (error instanceof FwctlErrno) {
        throw errnoToError(error, { device: this.entry.name, rpc: c.name, scope: c.scope, driver: this.plugin.meta.kernelDriver ?? this.plugin.meta.name });
      }
      throw error;
    }
  }

  /** The reply buffer to offer: the caller's size or the plugin's default, within fwctl's 2 MiB. */
  replyBufferSize(request: Uint8Array, outLen?: number): number {
    const size = outLen ?? this.plugin.protocol.defaultOutLen(request);
    if (!Number.isInteger(size) || size < 0 || size > FWCTL_MAX_RPC_LEN) {
      throw new AccelError('ACCELCTL_E_USAGE', `reply buffer of ${size} bytes is outside 0..${FWCTL_MAX_RPC_LEN}`);
    }
    return size;
  }

  /** What a dry run reports for an RPC instead of sending it. */
  plan(c: Classification, request: Uint8Array, outLen: number): PlannedRpc {
    return { device: this.entry.name, name: c.name, rpc_class: c.rpcClass, scope: scopeName(c.scope), gate: gateFor(c), request, out_len: outLen };
  }

  async send(request: Uint8Array, indirect: readonly IndirectBuffer[], options: RpcOptions, mode: Mode = 'command'): Promise<IndirectReply & { classification: Classification }> {
    // Synchronous classifiers (most) skip a promise round trip: this runs for every RPC.
    const verdict = this.plugin.protocol.classify(request, this.classifyContext);
    const c = this.checkClassification(verdict instanceof Promise ? await verdict : verdict);
    let outLen = this.replyBufferSize(request, options.outLen);
    if (this.policy.dryRun && mode === 'command' && c.rpcClass !== 'inspect') {
      throw new DryRunStop(this.plan(c, request, outLen));
    }
    // Inspect RPCs pass every gate; only the others need the (async: it may prompt) check.
    if (c.rpcClass !== 'inspect') await this.gate(c, mode);

    if (this.stoppedAnswering) {
      const { code, message, hint } = this.stoppedAnswering;
      const reason = withoutDevicePrefix(message, this.entry.name);
      throw new AccelError(code, `${this.entry.name}: ${c.name} not sent: the device stopped answering earlier (${reason})`, hint ? { hint } : {});
    }
    try {
      return await this.exchange(c, request, outLen, indirect, options);
    } catch (error) {
      if (isAccelError(error)) {
        this.firstFailure ??= error;
        if (this.policy.inspectOnly && (error.code === 'ACCELCTL_E_TIMEOUT' || error.code === 'ACCELCTL_E_DEVICE_GONE')) this.stoppedAnswering ??= error;
      }
      throw error;
    }
  }

  /** Send a classified, allowed RPC (or answer it from the snapshot) and check the device's status. */
  private async exchange(c: Classification, request: Uint8Array, outLen: number, indirect: readonly IndirectBuffer[], options: RpcOptions): Promise<IndirectReply & { classification: Classification }> {
    const snapshotKey = this.policy.snapshot && c.rpcClass === 'inspect' && indirect.length === 0 ? snapshotKeyOf(c.scope, outLen, request) : undefined;
    const seen = snapshotKey === undefined ? undefined : this.snapshotReplies.get(snapshotKey);
    if (seen) return this.finish(c, request, { ...seen, out: seen.out.slice() }, options);

    const started = this.policy.onRpc ? monotonicMs() : 0;
    let result = await this.transmit(c, request, outLen, indirect);
    // A longer answer than the buffer: ask again with room for it, but only for
    // reads; re-sending a write would execute it twice.
    if (result.outLen > outLen && c.rpcClass === 'inspect' && result.outLen <= FWCTL_MAX_RPC_LEN) {
      outLen = result.outLen;
      result = await this.transmit(c, request, outLen, indirect);
    }
    const truncated = result.outLen > result.out.length;
    this.policy.onRpc?.({
      device: this.entry.name,
      name: c.name,
      rpcClass: c.rpcClass,
      scope: scopeName(c.scope),
      request,
      reply: result.out,
      durationMs: monotonicMs() - started,
      truncated,
    });
    if (snapshotKey !== undefined) this.snapshotReplies.set(snapshotKey, { ...result, out: result.out.slice() });
    return this.finish(c, request, result, options);
  }

  /** The device's status in the reply: a failure is an error unless the caller takes it. */
  private finish(c: Classification, request: Uint8Array, result: FwctlRpcResult, options: RpcOptions): IndirectReply & { classification: Classification } {
    const status = this.replyStatus(c, request, result.out);
    if (!status.ok && !options.allowDeviceError) {
      throw new AccelError('ACCELCTL_E_DEVICE_STATUS', `${this.entry.name}: ${c.name} failed in the device: ${status.message} (status 0x${status.status.toString(16)})`, {
        details: { status: status.status, ...(status.detail ?? {}) },
        hint: 'the RPC was delivered; the firmware reported the failure',
      });
    }
    return { reply: result.out, buffers: result.buffers, classification: c };
  }

  /** The plugin's reading of the reply's status; a reply it cannot read names the device and the RPC. */
  private replyStatus(c: Classification, request: Uint8Array, reply: Uint8Array): ReturnType<Plugin['protocol']['replyStatus']> {
    try {
      return this.plugin.protocol.replyStatus(request, reply);
    } catch (error) {
      if (!isAccelError(error) || error.code !== 'ACCELCTL_E_MALFORMED_REPLY') throw error;
      throw new AccelError(error.code, `${this.entry.name}: ${c.name} reply: ${error.message}`, { hint: error.hint, details: error.details, cause: error });
    }
  }

  /** What plugin commands get. */
  commandContext(): CommandContext {
    return {
      device: { name: this.entry.name, path: this.entry.path, pci: this.entry.pci, plugin: this.plugin.meta.name },
      rpc: async (request, options) => (await this.send(request, [], options ?? {})).reply,
      rpcIndirect: (request, indirect, options) => this.send(request, indirect, options ?? {}),
      info: () => this.handle.info(),
      cache: this.cache,
    };
  }
}
