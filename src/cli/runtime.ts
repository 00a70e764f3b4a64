/**
 * Global options → one Runtime per invocation: output settings, policy, and the
 * device environment (a simulated fleet or the host), created on first use so
 * `--help` and `--version` never touch devices.
 */
import type { Command } from 'commander';
import { App } from '../core/app';
import { AccelError } from '../core/errors';
import type { PolicyOptions, RpcEvent } from '../core/pipeline';
import { Output, type OutputFormat } from './output';
import { isTerminal, stdoutIsTerminal } from '../output/stdout';

export interface GlobalOptions {
  output: OutputFormat;
  verbose: boolean;
  dryRun: boolean;
  yes: boolean;
  allowMutate: boolean;
  timeoutMs: number;
  color: boolean;
  debug: boolean;
  sim: boolean;
  simDir: string | undefined;
  root: string | undefined;
}

export function readGlobals(command: Command): GlobalOptions {
  const o = command.optsWithGlobals();
  const timeout = Number(o.timeout ?? 10_000);
  if (!Number.isInteger(timeout) || timeout <= 0) {
    throw new AccelError('ACCELCTL_E_USAGE', `--timeout: expected a positive number of milliseconds, got '${o.timeout}'`);
  }
  const format: OutputFormat = o.json ? 'json' : (o.output ?? 'text');
  const simDir: string | undefined = o.simDir ?? (process.env.ACCELCTL_SIM_DIR || process.env.ACCELCTL_SIM || undefined);
  return {
    output: format,
    verbose: Boolean(o.verbose),
    dryRun: Boolean(o.dryRun),
    yes: Boolean(o.yes),
    allowMutate: Boolean(o.allowMutate),
    timeoutMs: timeout,
    color: o.color !== false && !process.env.NO_COLOR && stdoutIsTerminal(),
    debug: Boolean(o.debug),
    sim: Boolean(o.sim) || simDir !== undefined,
    simDir,
    root: o.root ?? (process.env.ACCELCTL_ROOT || undefined),
  };
}

export class Runtime {
  readonly output: Output;
  private appPromise: Promise<App> | undefined;

  constructor(readonly globals: GlobalOptions) {
    this.output = new Output(globals.output, globals.verbose, globals.color);
  }

  policy(): PolicyOptions {
    // Not process.stdin.isTTY: that getter builds the stdin stream (and loads its modules).
    const interactive = isTerminal(0) && !this.output.json;
    return {
      yes: this.globals.yes,
      allowMutate: this.globals.allowMutate,
      dryRun: this.globals.dryRun,
      inspectOnly: false,
      timeoutMs: this.globals.timeoutMs,
      ...(interactive ? { confirm: (q: string) => this.output.confirm(q) } : {}),
      // Only -v shows RPCs: without it no event is built for every RPC.
      ...(this.globals.verbose ? { onRpc: (event: RpcEvent) => this.output.rpcEvent(event) } : {}),
    };
  }

  /** The simulated fleet directory this invocation uses, if any. */
  async simDir(): Promise<string> {
    const { defaultSimDir } = await import('../sim/fleet');
    return this.globals.simDir ?? defaultSimDir();
  }

  app(): Promise<App> {
    this.appPromise ??= this.createApp();
    return this.appPromise;
  }

  private async createApp(): Promise<App> {
    if (this.globals.sim) {
      const [{ ensureFleet }, { SimTransport }] = await Promise.all([import('../sim/fleet'), import('../transport/sim')]);
      const dir = await this.simDir();
      await ensureFleet(dir);
      return new App({ root: dir, transport: new SimTransport(dir), simulated: true }, this.policy());
    }
    const { LinuxTransport } = await import('../transport/linux');
    return new App({ root: this.globals.root ?? '/', transport: new LinuxTransport(), simulated: false }, this.policy());
  }
}
