/**
 * Where everything a command says goes: results to stdout (text views or one
 * JSON document), diagnostics and -v RPC traces to stderr, prompts on the TTY.
 * Text rendering (chalk, cli-table3) is loaded only when text is printed.
 */
import type { RpcEvent } from '../core/pipeline';
import { toHex } from '../sdk/hex';
import type { View } from '../sdk/view';
import { jsonDocument } from '../output/json';
import { AccelError } from '../core/errors';
import { importExternal } from '../core/external-import';
import { writeStdout } from '../output/stdout';

export type OutputFormat = 'text' | 'json' | 'prometheus';

export class Output {
  constructor(
    readonly format: OutputFormat,
    readonly verbose: boolean,
    readonly color: boolean,
  ) {}

  get json(): boolean {
    return this.format === 'json';
  }

  async result(body: Record<string, unknown>, views: () => View[]): Promise<void> {
    if (this.format === 'prometheus') {
      throw new AccelError('ACCELCTL_E_USAGE', '-o prometheus is only for accelctl metrics', { hint: 'use -o text or -o json' });
    }
    if (this.json) {
      writeStdout(jsonDocument(body));
      return;
    }
    const text = await import('../output/text');
    await text.setColor(this.color);
    writeStdout(text.renderViews(views()));
  }

  /** A line for humans on stderr (never in the JSON document). */
  note(message: string): void {
    if (!this.json) process.stderr.write(`${message}\n`);
  }

  async warn(message: string): Promise<void> {
    const text = await import('../output/text');
    await text.setColor(this.color);
    process.stderr.write(`${text.warnText(`warning: ${message}`)}\n`);
  }

  /** -v: class, scope and bytes of every RPC, on stderr so stdout stays parseable. */
  rpcEvent(event: RpcEvent): void {
    if (!this.verbose) return;
    const lines = [
      `${event.device}: ${event.name} class=${event.rpcClass} scope=${event.scope}${event.durationMs === undefined ? '' : ` ${event.durationMs.toFixed(2)}ms`}${event.truncated ? ' (reply truncated)' : ''}`,
      `  > ${toHex(event.request)}`,
    ];
    if (event.reply) lines.push(`  < ${toHex(event.reply)}`);
    process.stderr.write(`${lines.join('\n')}\n`);
  }

  /** Ask on the terminal; only offered when stdin is a TTY and output is text. */
  async confirm(question: string): Promise<boolean> {
    // Loaded when a question is asked, not at every start.
    const { createInterface } = await importExternal<typeof import('node:readline/promises')>('node:readline/promises');
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    try {
      const answer = await rl.question(`${question} [y/N] `);
      return /^y(es)?$/i.test(answer.trim());
    } finally {
      rl.close();
    }
  }
}
