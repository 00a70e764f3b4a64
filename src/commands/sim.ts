/**
 * `accelctl sim ...`: create and inspect simulated fleets.
 *   sim init DIR [--fleet mlx5=2,...] [--latency-ms N] [--force]
 *   sim stats [DEV]          RPCs each simulated device received, by scope
 *   sim fault DEV KIND...    make a device hang, answer garbage, or vanish
 */
import { join } from 'node:path';
import type { Command } from 'commander';
import { Argument, Option } from 'commander';
import { AccelError } from '../core/errors';
import { readTaint } from '../core/privilege';
import { table, fields } from '../sdk/view';
import { action } from '../cli/action';
import type { Runtime } from '../cli/runtime';
import { DEVICE_ARG_HELP } from '../cli/plugin-commands';
import { FAULT_KINDS } from '../sim/faults';

/** sim stats/fault/power-cycle act on a simulated fleet, never on real devices. */
function requireSimulated(runtime: Runtime, command: string): void {
  if (!runtime.globals.sim) throw new AccelError('ACCELCTL_E_USAGE', `sim ${command} needs simulated devices`, { hint: 'add --sim or --sim-dir DIR' });
}

export function register(program: Command): void {
  const sim = program.command('sim').description('Create and manage simulated fwctl devices');

  sim
    .command('init')
    .description('Create a simulated fleet directory that mirrors /sys, /dev and /proc')
    .argument('<dir>', 'directory to create (must be new, empty, or an existing fleet with --force)')
    .option('--fleet <spec>', 'devices per plugin, e.g. mlx5=2 (default: one of each plugin)')
    .option('--latency-ms <ms>', 'firmware latency per RPC in milliseconds', '0')
    .option('--force', 'replace an existing fleet in DIR')
    .action(
      action(async (runtime, [dir], options) => {
        const { createFleet, defaultFleet, parseFleetSpec } = await import('../sim/fleet');
        const latencyMs = Number(options.latencyMs);
        if (!Number.isFinite(latencyMs) || latencyMs < 0 || latencyMs > 60_000) {
          throw new AccelError('ACCELCTL_E_USAGE', `--latency-ms: expected 0..60000, got '${options.latencyMs}'`);
        }
        const fleet = options.fleet ? parseFleetSpec(String(options.fleet)) : await defaultFleet();
        const devices = await createFleet(String(dir), { fleet, latencyMs, force: Boolean(options.force) });
        await runtime.output.result({ sim_dir: String(dir), latency_ms: latencyMs, devices }, () => [
          table(`Simulated fleet in ${String(dir)}`, ['NAME', 'PLUGIN', 'PCI', 'SERIAL'], devices.map((d) => [d.name, d.plugin, d.pci, d.serial])),
        ]);
      }),
    );

  sim
    .command('fw-image')
    .description('Build a firmware image for a simulated device (or, with --corrupt, a broken one) to try fw flash with')
    .requiredOption('--plugin <name>', 'plugin whose device the image is for')
    .requiredOption('--version <version>', 'firmware version to put in the image, e.g. 28.40.1000')
    .requiredOption('--out <file>', 'where to write the image')
    .option('--size <bytes>', 'image size in bytes (default: the plugin\'s usual size)')
    .option('--target <target>', 'build for another target (PSID/board) than the simulated devices, to try a wrong-device image')
    .option('--corrupt', 'write an image with a bad checksum')
    .action(
      action(async (runtime, _args, options) => {
        const [{ loadPlugin, loadSimulator, pluginNames }, { OutputFile }] = await Promise.all([import('../core/plugins'), import('../output/output-file')]);
        const name = String(options.plugin);
        if (!pluginNames().includes(name)) throw new AccelError('ACCELCTL_E_USAGE', `no plugin named '${name}'`, { hint: `known plugins: ${pluginNames().join(', ')}` });
        const sim = await loadSimulator(await loadPlugin(name, { commands: false }));
        if (!sim.buildImage) throw new AccelError('ACCELCTL_E_UNSUPPORTED', `the ${name} plugin's simulated device takes no firmware images`);
        const size = options.size === undefined ? undefined : Number(options.size);
        if (size !== undefined && (!Number.isSafeInteger(size) || size <= 0 || size > 256 * 1024 * 1024)) {
          throw new AccelError('ACCELCTL_E_USAGE', `--size: expected 1..268435456 bytes, got '${options.size}'`);
        }
        const image = sim.buildImage({ version: String(options.version), ...(size === undefined ? {} : { size }), corrupt: Boolean(options.corrupt), ...(options.target === undefined ? {} : { target: String(options.target) }) });
        const out = String(options.out);
        const file = OutputFile.open(out);
        try {
          file.write(image);
        } catch (error) {
          file.abort();
          throw error;
        }
        file.commit();
        await runtime.output.result({ plugin: name, version: String(options.version), out, size: image.length, corrupt: Boolean(options.corrupt) }, () => [
          fields(`Image for ${name}`, [
            ['file', out],
            ['version', String(options.version)],
            ['bytes', image.length],
            ['corrupt', Boolean(options.corrupt)],
          ]),
        ]);
      }),
    );

  sim
    .command('power-cycle')
    .description('Power-cycle a simulated device: volatile state is lost, values saved for the next boot become current, a stored image runs')
    .argument('<device>', DEVICE_ARG_HELP)
    .action(
      action(async (runtime, [selector]) => {
        requireSimulated(runtime, 'power-cycle');
        const [{ updateDeviceState, readDeviceState }, { loadPlugin, loadSimulator }] = await Promise.all([import('../sim/state-store'), import('../core/plugins')]);
        const app = await runtime.app();
        const entry = app.select(String(selector));
        const sim = await loadSimulator(await loadPlugin(readDeviceState(entry.path).plugin, { commands: false }));
        if (!sim.powerCycle) throw new AccelError('ACCELCTL_E_UNSUPPORTED', `${entry.name}: this simulated device models no power cycle`);
        await updateDeviceState(entry.path, (state) => {
          sim.powerCycle!(state.firmware, Date.now());
          state.faults = state.faults.filter((f) => f !== 'power-loss');
        });
        await runtime.output.result({ device: entry.name, power_cycled: true }, () => [fields(undefined, [['device', entry.name], ['power cycled', true]])]);
      }),
    );

  sim
    .command('stats')
    .description('Show the RPCs each simulated device received, by requested scope, and the kernel taint')
    .argument('[device]', DEVICE_ARG_HELP)
    .action(
      action(async (runtime, [selector]) => {
        requireSimulated(runtime, 'stats');
        const { readDeviceState, readDeviceStats } = await import('../sim/state-store');
        const app = await runtime.app();
        const entries = selector ? [app.select(String(selector))] : app.devices();
        const devices = entries.map((entry) => {
          const state = readDeviceState(entry.path);
          const stats = readDeviceStats(entry.path, state);
          return { name: entry.name, plugin: state.plugin, requested: stats.requested, refused: stats.refused, faults: state.faults };
        });
        const taint = readTaint(app.env.root);
        await runtime.output.result({ kernel_tainted_fwctl: taint?.fwctl ?? false, taint: taint?.value ?? 0, devices }, () => [
          table(
            undefined,
            ['NAME', 'PLUGIN', 'CONFIGURATION', 'DEBUG_READ_ONLY', 'DEBUG_WRITE', 'DEBUG_WRITE_FULL', 'REFUSED', 'FAULTS'],
            devices.map((d) => [d.name, d.plugin, d.requested.configuration, d.requested.debug_read_only, d.requested.debug_write, d.requested.debug_write_full, d.refused, d.faults.join(',')]),
          ),
          fields(undefined, [['kernel fwctl taint', taint?.fwctl ?? false]]),
        ]);
      }),
    );

  sim
    .command('fault')
    .description('Inject (or clear) faults on a simulated device')
    .argument('<device>', DEVICE_ARG_HELP)
    // `sim fault fwctl0 hang` (the short form) and `--set hang` (kept for scripts) do the same.
    .addArgument(new Argument('[fault...]', 'faults to inject: hang, garbage (replies), gone (ENODEV), fw-error (an error status from firmware), health-error, power-loss (after --after-bytes flash bytes)').choices([...FAULT_KINDS]))
    .addOption(new Option('--set <fault...>', 'the same faults, as an option').choices([...FAULT_KINDS]))
    .option('--after-bytes <n>', 'with power-loss: flash bytes written before power is lost', '0')
    .option('--clear', 'remove all faults')
    .option('--latency-ms <ms>', 'set the firmware latency per RPC')
    .action(
      action(async (runtime, [selector, faults], options) => {
        requireSimulated(runtime, 'fault');
        const { updateDeviceState, FaultSchema } = await import('../sim/state-store');
        const app = await runtime.app();
        const entry = app.select(String(selector));
        const set = [...((faults as string[] | undefined) ?? []), ...((options.set as string[] | undefined) ?? [])].map((f) => FaultSchema.parse(f));
        const latency = options.latencyMs === undefined ? undefined : Number(options.latencyMs);
        if (latency !== undefined && (!Number.isFinite(latency) || latency < 0)) throw new AccelError('ACCELCTL_E_USAGE', `--latency-ms: bad value '${options.latencyMs}'`);
        const afterBytes = Number(options.afterBytes);
        if (!Number.isSafeInteger(afterBytes) || afterBytes < 0) throw new AccelError('ACCELCTL_E_USAGE', `--after-bytes: bad value '${options.afterBytes}'`);
        const state = await updateDeviceState(join(entry.path), (s) => {
          if (options.clear) {
            s.faults = [];
            delete s.power_loss_after_bytes;
          }
          s.faults = [...new Set([...s.faults, ...set])];
          if (set.includes('power-loss')) s.power_loss_after_bytes = afterBytes;
          if (latency !== undefined) s.latency_ms = latency;
          return { faults: s.faults, latency_ms: s.latency_ms, ...(s.power_loss_after_bytes === undefined ? {} : { power_loss_after_bytes: s.power_loss_after_bytes }) };
        });
        await runtime.output.result({ device: entry.name, ...state }, () => [
          fields(undefined, [
            ['device', entry.name],
            ['faults', state.faults.join(', ') || 'none'],
            ['latency_ms', state.latency_ms],
          ]),
        ]);
      }),
    );
}
