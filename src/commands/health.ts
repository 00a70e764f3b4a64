/**
 * `accelctl health [DEV...]`: health reporters as devlink presents them, read
 * with inspect RPCs only. Exit 0 when every reporter is healthy, 6 when any is
 * in error (so scripts can alert), other codes for failures as usual.
 */
import type { Command } from 'commander';
import { mapLimit } from '../core/concurrency';
import { DEVICE_CONCURRENCY, openInspectOnly, selectMany } from '../core/devices';
import { AccelError, EXIT, isAccelError } from '../core/errors';
import type { HealthReporter } from '../sdk/capabilities';
import { table, note } from '../sdk/view';
import { action } from '../cli/action';

export interface DeviceHealth {
  device: string;
  plugin: string | null;
  status: 'healthy' | 'error' | 'unsupported' | 'failed';
  reporters: { name: string; state: string; error_count: number; last_error: string | null; last_error_time: string | null; recommended_action: string | null }[];
  error?: { code: string; message: string };
}

function reporterRow(r: HealthReporter) {
  return {
    name: r.name,
    state: r.state,
    error_count: r.errorCount,
    last_error: r.lastError?.message ?? null,
    last_error_time: r.lastError?.time ?? null,
    recommended_action: r.recommendedAction ?? null,
  };
}

export function register(program: Command): void {
  program
    .command('health')
    .description('Health reporters of each device (devlink style); exit 6 when any reporter is in error')
    .argument('[devices...]', 'devices (default: all)')
    .addHelpText('after', '\nExit status: 0 all healthy, 6 a reporter is in error, 1/3/5 when a device could not be read.')
    .action(
      action(async (runtime, [selectors]) => {
        const app = await runtime.app();
        const entries = selectMany(app, (selectors as string[] | undefined) ?? []);
        const results = await mapLimit(entries, DEVICE_CONCURRENCY, async (entry): Promise<DeviceHealth> => {
          try {
            const device = await openInspectOnly(app, entry);
            if (!device.plugin.health) return { device: entry.name, plugin: device.plugin.meta.name, status: 'unsupported', reporters: [] };
            const reporters = (await device.plugin.health.reporters(device.pipeline.commandContext())).map(reporterRow);
            return { device: entry.name, plugin: device.plugin.meta.name, status: reporters.some((r) => r.state === 'error') ? 'error' : 'healthy', reporters };
          } catch (error) {
            if (!isAccelError(error)) throw error;
            return { device: entry.name, plugin: null, status: 'failed', reporters: [], error: { code: error.code, message: error.message } };
          }
        });
        const healthy = results.every((r) => r.status === 'healthy' || r.status === 'unsupported');
        await runtime.output.result({ healthy, devices: results }, () => [
          table(
            undefined,
            ['DEVICE', 'REPORTER', 'STATE', 'ERRORS', 'LAST ERROR', 'ACTION'],
            results.flatMap((d) =>
              d.reporters.length
                ? d.reporters.map((r) => [d.device, r.name, r.state, r.error_count, r.last_error ? `${r.last_error}${r.last_error_time ? ` (${r.last_error_time})` : ''}` : '-', r.recommended_action])
                : [[d.device, '-', d.status, '-', d.error?.message ?? (d.status === 'unsupported' ? `the ${d.plugin} plugin has no health reporters` : '-'), '-']],
            ),
            'no devices',
          ),
          note(healthy ? 'all healthy' : 'some reporters are in error', healthy ? 'info' : 'warn'),
        ]);
        if (results.some((r) => r.status === 'error')) process.exitCode = EXIT.unhealthy;
        else if (results.some((r) => r.status === 'failed')) {
          const first = results.find((r) => r.status === 'failed')!;
          throw new AccelError(first.error!.code as never, first.error!.message);
        }
      }),
    );
}
