/**
 * One device's part of a bug-report dump. Everything is read with the device
 * opened inspect-only, so the pipeline refuses anything else whatever a plugin
 * asks for. A failing piece is recorded in place and the rest goes on; after a
 * timeout the device is considered hung and the rest of it is skipped, so a
 * hung device costs at most one timeout.
 */
import type { App } from './app';
import type { DeviceEntry } from './discovery';
import { openInspectOnly } from './devices';
import { isAccelError, type AccelError } from './errors';
import { describeType } from './config-values';
import type { PluginCommand } from '../sdk/plugin';
import type { DumpInvocation } from '../sdk/capabilities';
import { toHex } from '../sdk/hex';
import { parseOptionValues } from './options';
import { monotonicMs } from './clock';
import { resolveCommands } from './plugins';

export interface DumpError {
  code: string;
  message: string;
}

export interface CommandRecord {
  command: string;
  args: readonly string[];
  options: Record<string, unknown>;
  duration_ms: number;
  result?: unknown;
  error?: DumpError;
}

export interface DeviceDump {
  name: string;
  path: string;
  pci: string | null;
  memdev: string | null;
  /** A CXL memdev's sysfs firmware_version (discovery.ts). */
  firmware_version: string | null;
  driver: string | null;
  serial: string | null;
  board: string | null;
  plugin: string | null;
  plugin_version: string | null;
  device_type: number | null;
  duration_ms: number;
  identity?: unknown;
  info?: unknown;
  firmware?: unknown;
  config?: unknown;
  health?: unknown;
  commands: CommandRecord[];
  error?: DumpError;
  /** Set when the device stopped answering and the rest was skipped. */
  hung?: boolean;
}

const asError = (error: AccelError): DumpError => ({ code: error.code, message: error.message });

/**
 * Parsed options of a command's dump invocation. Every device of a plugin runs the
 * same invocations, so each is parsed (zod) once per process, not once per device;
 * each run gets its own copy.
 */
const parsedInvocations = new WeakMap<PluginCommand, Map<string, Record<string, unknown>>>();

function invocationOptions(command: PluginCommand, invocation: DumpInvocation): Record<string, unknown> {
  let byOptions = parsedInvocations.get(command);
  if (!byOptions) parsedInvocations.set(command, (byOptions = new Map()));
  const key = JSON.stringify(invocation.options ?? {});
  let parsed = byOptions.get(key);
  if (!parsed) byOptions.set(key, (parsed = parseOptionValues(command.options ?? {}, invocation.options ?? {})));
  return { ...parsed };
}

/** The invocations `dump` runs for a command: its own list, or once when it needs no arguments. */
export function dumpInvocations(command: PluginCommand): readonly DumpInvocation[] {
  if (command.rpcClass !== 'inspect' || command.dump === false) return [];
  if (command.dump) return command.dump;
  return (command.args ?? []).some((a) => a.required !== false) ? [] : [{}];
}

export async function dumpDevice(app: App, entry: DeviceEntry): Promise<DeviceDump> {
  const started = monotonicMs();
  const dump: DeviceDump = {
    name: entry.name,
    path: entry.path,
    pci: entry.pci ?? null,
    memdev: entry.memdev ?? null,
    firmware_version: entry.firmwareVersion ?? null,
    driver: entry.driver ?? null,
    serial: entry.serial ?? null,
    board: entry.boardName ?? null,
    plugin: null,
    plugin_version: null,
    device_type: null,
    duration_ms: 0,
    commands: [],
  };
  const finish = () => ((dump.duration_ms = Math.round(monotonicMs() - started)), dump);

  let device;
  try {
    device = await openInspectOnly(app, entry, { snapshot: true });
  } catch (error) {
    if (!isAccelError(error)) throw error;
    dump.error = asError(error);
    return finish();
  }
  const { plugin, info } = device;
  const ctx = device.pipeline.commandContext();
  dump.plugin = plugin.meta.name;
  dump.plugin_version = plugin.meta.version;
  dump.device_type = info.deviceType;
  dump.info = { device_data: toHex(info.deviceData), decoded: plugin.protocol.decodeInfo?.(info.deviceData) ?? {} };

  /** Run one piece; a timeout marks the device hung and skips every later piece. */
  const piece = async <T>(work: () => Promise<T>): Promise<{ value?: T; error?: DumpError }> => {
    if (dump.hung) return { error: { code: 'ACCELCTL_E_TIMEOUT', message: 'skipped: the device stopped answering earlier in this dump' } };
    try {
      return { value: await work() };
    } catch (error) {
      if (!isAccelError(error)) throw error;
      if (error.code === 'ACCELCTL_E_TIMEOUT' || error.code === 'ACCELCTL_E_DEVICE_GONE') dump.hung = true;
      return { error: asError(error) };
    }
  };
  const section = async <T>(work: () => Promise<T>): Promise<unknown> => {
    const { value, error } = await piece(work);
    return error ? { error } : value;
  };

  if (plugin.identify) dump.identity = await section(() => plugin.identify!(ctx));
  if (plugin.firmware) dump.firmware = await section(() => plugin.firmware!.show(ctx));
  if (plugin.config) {
    const config = plugin.config;
    dump.config = await section(async () => {
      const defs = await config.params(ctx);
      const states = await config.read(ctx, []);
      return {
        params: states.map((s) => {
          const def = defs.find((d) => d.name === s.name);
          return {
            name: s.name,
            type: def ? describeType(def.type) : null,
            default: s.default,
            current: s.current,
            next_boot: s.nextBoot,
            non_default: s.current !== s.default || s.nextBoot !== s.default,
            pending: s.nextBoot !== s.current,
            apply: def?.apply ?? null,
          };
        }),
      };
    });
  }
  if (plugin.health) dump.health = await section(() => plugin.health!.reporters(ctx));

  for (const command of await resolveCommands(plugin)) {
    for (const invocation of dumpInvocations(command)) {
      const args = [...(invocation.args ?? [])];
      const record: CommandRecord = { command: `${plugin.meta.name} ${command.name}`, args, options: { ...(invocation.options ?? {}) }, duration_ms: 0 };
      const t0 = monotonicMs();
      const { value, error } = await piece(async () => command.run(ctx, { args, options: invocationOptions(command, invocation) as never }));
      record.duration_ms = Math.round((monotonicMs() - t0) * 100) / 100;
      if (error) record.error = error;
      else record.result = value;
      dump.commands.push(record);
    }
  }
  return finish();
}
