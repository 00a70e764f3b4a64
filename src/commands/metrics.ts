/**
 * `accelctl metrics [DEV...]`: temperatures, power, link state, error and
 * traffic counters, read with inspect RPCs only; as text, JSON, or the
 * Prometheus text format (`-o prometheus`) for node_exporter's textfile
 * collector. `--watch S` redraws a live table on a terminal, like `nvme top`.
 */
import type { Command } from 'commander';
import { mapLimit } from '../core/concurrency';
import { DEVICE_CONCURRENCY, openInspectOnly, selectMany } from '../core/devices';
import { AccelError, isAccelError } from '../core/errors';
import type { App } from '../core/app';
import type { Metric } from '../sdk/capabilities';
import { table } from '../sdk/view';
import { action } from '../cli/action';
import type { Runtime } from '../cli/runtime';
import { exposition, type Sample } from '../output/prometheus';
import { stdoutIsTerminal, writeStdout } from '../output/stdout';

export const METRIC_PREFIX = 'accelctl_';

interface DeviceMetrics {
  device: string;
  plugin: string | null;
  pci: string | null;
  up: boolean;
  metrics: { name: string; type: string; value: number; labels: Record<string, string>; help: string }[];
  error?: { code: string; message: string };
}

async function collect(app: App, selectors: readonly string[]): Promise<DeviceMetrics[]> {
  const entries = selectMany(app, selectors);
  return mapLimit(entries, DEVICE_CONCURRENCY, async (entry): Promise<DeviceMetrics> => {
    const base = { device: entry.name, pci: entry.pci ?? null };
    // Known once the device is open: a device that then fails to answer keeps its plugin label.
    let plugin: string | null = null;
    try {
      const device = await openInspectOnly(app, entry);
      plugin = device.plugin.meta.name;
      const metrics: Metric[] = device.plugin.metrics ? await device.plugin.metrics.collect(device.pipeline.commandContext()) : [];
      return { ...base, plugin, up: true, metrics: metrics.map((m) => ({ name: m.name, type: m.type, value: m.value, labels: m.labels ?? {}, help: m.help })) };
    } catch (error) {
      if (!isAccelError(error)) throw error;
      return { ...base, plugin, up: false, metrics: [], error: { code: error.code, message: error.message } };
    }
  });
}

export function toSamples(devices: readonly DeviceMetrics[]): Sample[] {
  const samples: Sample[] = [];
  for (const d of devices) {
    const labels = { device: d.device, plugin: d.plugin ?? 'unknown', pci: d.pci ?? '' };
    samples.push({ name: `${METRIC_PREFIX}up`, help: 'Whether accelctl could read the device (1) or not (0).', type: 'gauge', labels, value: d.up ? 1 : 0 });
  }
  for (const d of devices) {
    const labels = { device: d.device, plugin: d.plugin ?? 'unknown', pci: d.pci ?? '' };
    for (const m of d.metrics) samples.push({ name: `${METRIC_PREFIX}${m.name}`, help: m.help, type: m.type as Sample['type'], labels: { ...m.labels, ...labels }, value: m.value });
  }
  // Families must be contiguous in the exposition: group by name, keep first-seen order.
  const order = [...new Set(samples.map((s) => s.name))];
  return order.flatMap((name) => samples.filter((s) => s.name === name));
}

async function print(runtime: Runtime, devices: DeviceMetrics[], format: string): Promise<void> {
  if (format === 'prometheus') {
    writeStdout(exposition(toSamples(devices)));
    // The exposition only says accelctl_up 0: whoever reads the collector's log learns why.
    const down = devices.filter((d) => !d.up);
    if (down.length) await runtime.output.warn(`${down.length} of ${devices.length} devices could not be read (accelctl_up 0): ${down.map((d) => `${d.device} (${d.error?.code ?? 'unreadable'})`).join(', ')}`);
    return;
  }
  if (format === 'json-line') {
    writeStdout(`${JSON.stringify({ schema_version: 1, time: new Date().toISOString(), devices })}\n`);
    return;
  }
  await runtime.output.result({ time: new Date().toISOString(), devices }, () => [
    table(
      undefined,
      ['DEVICE', 'METRIC', 'LABELS', 'VALUE'],
      devices.flatMap((d) =>
        d.up
          ? d.metrics.map((m) => [d.device, m.name, Object.entries(m.labels).map(([k, v]) => `${k}=${v}`).join(',') || '-', m.value])
          : [[d.device, 'error', '-', d.error?.message ?? 'unreadable']],
      ),
      'no metrics',
    ),
  ]);
}

export function register(program: Command): void {
  program
    .command('metrics')
    .description('Temperatures, power, link state, error and traffic counters (text, JSON, or -o prometheus)')
    .argument('[devices...]', 'devices (default: all)')
    .option('--watch <seconds>', 'refresh every SECONDS until interrupted (a live table on a terminal)')
    .addHelpText(
      'after',
      '\nA device that cannot be read is an error row (text), has "up": false and its error (JSON), or accelctl_up 0 with the reason on stderr (prometheus); the exit status stays 0, so a collector still publishes the rest.\n\nExamples:\n  $ accelctl --sim metrics -o prometheus > /var/lib/node_exporter/accelctl.prom\n  $ accelctl --sim metrics fwctl0 --watch 2',
    )
    .action(
      action(async (runtime, [selectors], options) => {
        const format = runtime.globals.output;
        const app = await runtime.app();
        const names = (selectors as string[] | undefined) ?? [];
        if (options.watch === undefined) {
          await print(runtime, await collect(app, names), format);
          return;
        }
        const seconds = Number(options.watch);
        if (!Number.isFinite(seconds) || seconds < 0.1 || seconds > 86_400) throw new AccelError('ACCELCTL_E_USAGE', `--watch: expected 0.1..86400 seconds, got '${options.watch}'`);
        const live = stdoutIsTerminal() && format === 'text';
        let stop = false;
        process.once('SIGINT', () => (stop = true));
        while (!stop) {
          const devices = await collect(app, names);
          if (live) writeStdout('\x1b[H\x1b[2J');
          await print(runtime, devices, format === 'json' ? 'json-line' : format);
          await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
        }
      }),
    );
}
