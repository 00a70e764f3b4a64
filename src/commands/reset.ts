/**
 * `accelctl reset DEV [--level L] --yes`: a device reset through the plugin's
 * real reset RPC, which makes pending configuration current and activates a
 * stored firmware image, the way a real device applies its flash configuration.
 * Reports what changed, read back after the reset.
 */
import type { Command } from 'commander';
import { requireCapability } from '../core/capability';
import { AccelError } from '../core/errors';
import { formatValue } from '../core/config-values';
import type { CommandContext, Plugin } from '../sdk/plugin';
import { fields, note, table } from '../sdk/view';
import { action } from '../cli/action';
import { DEVICE_ARG_HELP } from '../cli/plugin-commands';

/** Pending parameters and firmware, as far as the plugin can tell (inspect only). */
async function pendingState(plugin: Plugin, ctx: CommandContext) {
  const params = plugin.config ? (await plugin.config.read(ctx, [])).filter((s) => s.nextBoot !== s.current) : [];
  const firmware = plugin.firmware ? await plugin.firmware.show(ctx).catch(() => undefined) : undefined;
  return { params, firmwarePending: firmware?.pendingActivation ?? false, running: firmware?.running };
}

export function register(program: Command): void {
  program
    .command('reset')
    .description('Reset a device so that pending configuration and a stored firmware image take effect')
    .argument('<device>', DEVICE_ARG_HELP)
    .option('--level <level>', "reset level (see 'accelctl reset DEV --help'; the plugin's first level by default)")
    .action(
      action(async (runtime, [selector], options) => {
        const app = await runtime.app();
        const device = await app.openSelected(String(selector));
        if (!device.plugin.reset) {
          // Say what applies pending values instead of only "no reset".
          const how = device.plugin.config?.applyHint ?? 'a device reset outside fwctl or a power cycle';
          throw new AccelError('ACCELCTL_E_UNSUPPORTED', `${device.entry.name}: the ${device.plugin.meta.name} plugin has no device reset through fwctl`, {
            hint: `pending configuration takes effect after ${how}${runtime.globals.sim ? ` (simulated: 'accelctl sim power-cycle ${device.entry.name}')` : ''}; see man accelctl-${device.plugin.meta.name}`,
          });
        }
        const support = requireCapability(device.plugin, 'reset', device.entry.name);
        const level = options.level === undefined ? support.levels[0]!.name : String(options.level);
        if (!support.levels.some((l) => l.name === level)) {
          throw new AccelError('ACCELCTL_E_USAGE', `--level: '${level}' is not a reset level of ${device.entry.name}`, {
            hint: `levels: ${support.levels.map((l) => `${l.name} (${l.description})`).join('; ')}`,
          });
        }
        const ctx = device.pipeline.commandContext();
        const before = await pendingState(device.plugin, ctx);
        if (support.rpcClass === 'configure') await device.pipeline.confirmConfigure(`Reset ${device.entry.name} (${level})? Traffic on the device stops while it resets.`);
        const { note: resetNote } = await support.reset(ctx, level);
        const after = await pendingState(device.plugin, ctx);
        const applied = before.params.filter((p) => !after.params.some((q) => q.name === p.name)).map((p) => ({ name: p.name, value: p.nextBoot }));
        const firmwareActivated = before.firmwarePending && !after.firmwarePending;
        const body = { device: device.entry.name, level, applied_params: applied, firmware_activated: firmwareActivated, running_firmware: after.running ?? null, still_pending: after.params.map((p) => p.name), ...(resetNote ? { note: resetNote } : {}) };
        await runtime.output.result(body, () => [
          fields(`Reset ${device.entry.name} (${level})`, [
            ['parameters applied', applied.length],
            ['firmware activated', firmwareActivated],
            ['still pending', body.still_pending.join(', ') || 'none'],
          ]),
          ...(applied.length ? [table(undefined, ['PARAMETER', 'NOW'], applied.map((a) => [a.name, formatValue(a.value)]))] : []),
          ...(resetNote ? [note(resetNote)] : []),
        ]);
      }),
    );
}
