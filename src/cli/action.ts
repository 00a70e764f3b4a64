/**
 * Wraps every command action: builds the Runtime from the global options and
 * turns a --dry-run stop into the plan it describes. Errors go up to the one
 * top-level handler in main.ts.
 */
import type { Command } from 'commander';
import { DryRunStop, type PlannedRpc } from '../core/pipeline';
import { toHex } from '../sdk/hex';
import { fields, note } from '../sdk/view';
import { Runtime, readGlobals } from './runtime';

export async function printPlan(runtime: Runtime, plan: PlannedRpc): Promise<void> {
  const gateText = plan.gate === 'yes' ? 'needs --yes' : plan.gate === 'allow-mutate' ? 'needs --allow-mutate (taints the kernel)' : 'none';
  await runtime.output.result(
    { device: plan.device, sent: false, dry_run: true, rpc: plan.name, class: plan.rpc_class, scope: plan.scope, gate: plan.gate, request: toHex(plan.request), out_len: plan.out_len },
    () => [
      fields('Dry run: nothing was sent', [
        ['device', plan.device],
        ['rpc', plan.name],
        ['class', plan.rpc_class],
        ['scope', plan.scope],
        ['gate', gateText],
        ['out_len', plan.out_len],
        ['request', toHex(plan.request)],
      ]),
      note('re-run without --dry-run to send it'),
    ],
  );
}

// commander passes (…positionals, options, command) to actions.
export function action(fn: (runtime: Runtime, args: unknown[], options: Record<string, unknown>, command: Command) => Promise<void>) {
  return async (...received: unknown[]): Promise<void> => {
    const command = received[received.length - 1] as Command;
    const options = (received[received.length - 2] ?? {}) as Record<string, unknown>;
    const runtime = new Runtime(readGlobals(command));
    try {
      await fn(runtime, received.slice(0, -2), options, command);
    } catch (error) {
      if (error instanceof DryRunStop) {
        await printPlan(runtime, error.planned);
        return;
      }
      throw error;
    }
  };
}
