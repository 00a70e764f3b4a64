/**
 * `accelctl config show|set|reset`: one configuration model for every vendor,
 * in the way mlxconfig and devlink params present it — default, current and
 * next-boot values, what a change needs to take effect, and which are pending.
 */
import type { Command } from 'commander';
import { openCapable } from '../cli/device';
import { withDeviceLock } from '../core/device-lock';
import { describeType, findParam, formatValue, parseAssignments } from '../core/config-values';
import { DryRunStop } from '../core/pipeline';
import type { OpenDevice } from '../core/app';
import type { ConfigParamDef, ConfigParamState, ConfigSupport, ParamValue } from '../sdk/capabilities';
import { fields, note, table, type View } from '../sdk/view';
import { toHex } from '../sdk/hex';
import { action } from '../cli/action';
import { DEVICE_ARG_HELP } from '../cli/plugin-commands';
import type { Runtime } from '../cli/runtime';

export interface ParamRow {
  name: string;
  type: string;
  default: ParamValue;
  current: ParamValue;
  next_boot: ParamValue;
  read_only: boolean;
  pending: boolean;
  apply: string;
  description: string;
}

interface ChangeRow {
  name: string;
  old: ParamValue;
  new: ParamValue;
  apply: string;
}

function rowsOf(defs: readonly ConfigParamDef[], states: readonly ConfigParamState[]): ParamRow[] {
  return states.map((state) => {
    const def = findParam(defs, state.name);
    return {
      name: def.name,
      type: describeType(def.type),
      default: state.default,
      current: state.current,
      next_boot: state.nextBoot,
      read_only: Boolean(def.readOnly),
      pending: state.nextBoot !== state.current,
      apply: def.apply,
      description: def.description,
    };
  });
}

export function paramViews(rows: readonly ParamRow[], extraNote?: string, applyHint = "takes effect after 'accelctl reset DEV --yes'", noteTone: 'info' | 'warn' = 'info'): View[] {
  const pending = rows.filter((r) => r.pending);
  return [
    table(
      undefined,
      ['', 'PARAMETER', 'CURRENT', 'NEXT BOOT', 'DEFAULT', 'TYPE', 'APPLY'],
      rows.map((r) => [
        `${r.current !== r.default || r.next_boot !== r.default ? '*' : ' '}${r.pending ? '+' : ' '}`,
        r.name,
        formatValue(r.current),
        r.pending ? `${formatValue(r.next_boot)} (pending)` : formatValue(r.next_boot),
        formatValue(r.default),
        r.read_only ? `${r.type}, read-only` : r.type,
        r.apply,
      ]),
    ),
    note('* differs from default   + pending: set for the next boot, not yet current'),
    ...(pending.length ? [note(`${pending.length} pending: ${pending.some((r) => r.apply === 'reboot') ? 'takes effect after a host reboot (or a device reset, where the device allows)' : applyHint}`)] : []),
    ...(extraNote ? [note(extraNote, noteTone)] : []),
  ];
}

/** The plugin's note is a warning only where writes are mutate-debug (they taint the kernel). */
function noteToneOf(config: ConfigSupport): 'info' | 'warn' {
  return config.writeClass === 'mutate-debug' ? 'warn' : 'info';
}

/** At most 64 bytes of a request in text output; JSON keeps all of it. */
function shortHex(bytes: Uint8Array): string {
  const hex = toHex(bytes);
  return bytes.length <= 64 ? hex : `${hex.slice(0, 128)}… (${bytes.length} bytes; -o json shows all)`;
}

/** What makes pending values current on this device. */
function applyHintOf(device: OpenDevice, config: ConfigSupport): string {
  if (config.applyHint) return `takes effect after ${config.applyHint}`;
  return device.plugin.reset ? "takes effect after 'accelctl reset DEV --yes'" : 'takes effect after a device reset or power cycle';
}

async function showChanges(runtime: Runtime, device: OpenDevice, changes: readonly ChangeRow[]): Promise<void> {
  if (runtime.output.json || changes.length === 0) return;
  const { renderViews, setColor } = await import('../output/text');
  await setColor(runtime.output.color);
  process.stderr.write(
    renderViews([table(`Changes to ${device.entry.name}`, ['PARAMETER', 'NEXT BOOT NOW', 'NEW', 'APPLY'], changes.map((c) => [c.name, formatValue(c.old), formatValue(c.new), c.apply]))]),
  );
}

/** Write the changes behind one confirmation; a dry run reports them instead. */
async function applyChanges(runtime: Runtime, device: OpenDevice, config: ConfigSupport, defs: readonly ConfigParamDef[], changes: ChangeRow[], nothingToDo: string): Promise<void> {
  const ctx = device.pipeline.commandContext();
  // A dry run asks nothing and prints the same table itself.
  if (!runtime.globals.dryRun) await showChanges(runtime, device, changes);
  if (changes.length > 0) {
    if (config.writeClass === 'configure') await device.pipeline.confirmConfigure(`Apply ${changes.length} change${changes.length === 1 ? '' : 's'} to ${device.entry.name}?`);
    try {
      // The write re-reads whole TLVs/features: no other accelctl may interleave.
      await withDeviceLock(device.entry, () => config.write(ctx, changes.map((c) => ({ name: c.name, value: c.new }))));
    } catch (error) {
      if (error instanceof DryRunStop) {
        const plan = error.planned;
        await runtime.output.result(
          { device: device.entry.name, sent: false, dry_run: true, changes, first_rpc: { rpc: plan.name, class: plan.rpc_class, scope: plan.scope, gate: plan.gate, request: toHex(plan.request) } },
          () => [
            table('Dry run: nothing was changed', ['PARAMETER', 'OLD', 'NEW', 'APPLY'], changes.map((c) => [c.name, formatValue(c.old), formatValue(c.new), c.apply])),
            fields('First RPC that would be sent', [
              ['rpc', plan.name],
              ['class', plan.rpc_class],
              ['scope', plan.scope],
              ['request', shortHex(plan.request)],
            ]),
          ],
        );
        return;
      }
      throw error;
    }
  }
  const rows = changes.length === 0 ? [] : rowsOf(defs, await config.read(ctx, changes.map((c) => c.name)));
  await runtime.output.result({ device: device.entry.name, changes, params: rows, ...(config.note ? { note: config.note } : {}) }, () =>
    changes.length === 0 ? [note(nothingToDo)] : paramViews(rows, config.note, applyHintOf(device, config), noteToneOf(config)),
  );
}

export function register(program: Command): void {
  const config = program.command('config').description('Show and change persistent device configuration: default, current and next-boot values');

  config
    .command('show')
    .description('Show configuration parameters with their default, current and next-boot values')
    .argument('<device>', DEVICE_ARG_HELP)
    .argument('[params...]', 'only these parameters')
    .action(
      action(async (runtime, [selector, names]) => {
        const { device, support, ctx } = await openCapable(runtime, selector, 'config');
        const defs = await support.params(ctx);
        const wanted = ((names as string[] | undefined) ?? []).map((n) => findParam(defs, n).name);
        const rows = rowsOf(defs, await support.read(ctx, wanted));
        await runtime.output.result({ device: device.entry.name, params: rows, ...(support.note ? { note: support.note } : {}) }, () => paramViews(rows, support.note, applyHintOf(device, support), noteToneOf(support)));
      }),
    );

  config
    .command('set')
    .description('Set parameters (validated before anything is sent); values apply as each parameter says: immediate, reset or reboot')
    .argument('<device>', DEVICE_ARG_HELP)
    .argument('<assignments...>', 'PARAM=VALUE pairs')
    .addHelpText('after', '\nExamples:\n  $ accelctl config set fwctl0 sriov_en=true num_of_vfs=8 --yes\n  $ accelctl config set fwctl0 link_type=eth --dry-run')
    .action(
      action(async (runtime, [selector, words]) => {
        const { device, support, ctx } = await openCapable(runtime, selector, 'config');
        const defs = await support.params(ctx);
        const assignments = await parseAssignments(words as string[], defs);
        const states = await support.read(ctx, assignments.map((a) => a.def.name));
        // A value already set for the next boot is not written again (no needless flash write, no prompt).
        const changes = assignments
          .map(({ def, value }) => ({ name: def.name, old: states.find((s) => s.name === def.name)?.nextBoot ?? value, new: value, apply: def.apply }))
          .filter((c) => c.old !== c.new);
        await applyChanges(runtime, device, support, defs, changes, `nothing to change: ${assignments.map((a) => `${a.def.name}=${formatValue(a.value)}`).join(', ')} already set for the next boot`);
      }),
    );

  config
    .command('reset')
    .description('Set parameters back to their defaults (as next-boot values); all of them when none is named')
    .argument('<device>', DEVICE_ARG_HELP)
    .argument('[params...]', 'only these parameters')
    .action(
      action(async (runtime, [selector, names]) => {
        const { device, support, ctx } = await openCapable(runtime, selector, 'config');
        const defs = await support.params(ctx);
        const wanted = ((names as string[] | undefined) ?? []).map((n) => findParam(defs, n));
        const targets = (wanted.length ? wanted : defs).filter((d) => !d.readOnly);
        const states = await support.read(ctx, targets.map((d) => d.name));
        const changes = states.filter((s) => s.nextBoot !== s.default).map((s) => ({ name: s.name, old: s.nextBoot, new: s.default, apply: findParam(defs, s.name).apply }));
        await applyChanges(runtime, device, support, defs, changes, 'nothing to change: every parameter already has its default as next-boot value');
      }),
    );
}
