/**
 * The one place that knows which plugins exist and loads them (Rollup's "one
 * plugin driver"). Built-in plugins are imported lazily so a command that needs
 * one plugin does not pay for the others; every loaded plugin's manifest is
 * checked before use.
 */
import { SDK_VERSION, type Plugin, type SimulatorDefinition } from '../sdk/plugin';
import { AccelError } from './errors';

type PluginLoader = () => Promise<{ default: Plugin }>;

/** Built-in plugins, in the order `sim init` creates their devices. */
const BUILTIN: Record<string, PluginLoader> = {
  mlx5: () => import('../../plugins/mlx5/index'),
  cxl: () => import('../../plugins/cxl/index'),
  pds: () => import('../../plugins/pds/index'),
  bnxt: () => import('../../plugins/bnxt/index'),
};

export const BUILTIN_PLUGIN_NAMES: readonly string[] = Object.keys(BUILTIN);

// zod is loaded with the first plugin, not at start-up (`--version` never needs it).
async function metaSchema() {
  const { z } = await import('zod');
  return z.object({
    name: z.string().regex(/^[a-z][a-z0-9-]*$/, 'lower-case letters, digits and dashes'),
    version: z.string().min(1),
    deviceType: z.number().int().positive(),
    sdkVersion: z.literal(SDK_VERSION),
    description: z.string().min(1),
    kernelDriver: z.string().optional(),
  });
}

const loaded = new Map<string, Promise<Plugin>>();

async function validate(name: string, plugin: Plugin): Promise<Plugin> {
  const meta = (await metaSchema()).safeParse(plugin?.meta);
  if (!meta.success) {
    const issue = meta.error.issues[0];
    throw new AccelError('ACCELCTL_E_PLUGIN', `plugin '${name}' has an invalid manifest: ${issue?.path.join('.') || 'meta'}: ${issue?.message}`);
  }
  if (typeof plugin.protocol?.classify !== 'function' || !Array.isArray(plugin.commands)) {
    throw new AccelError('ACCELCTL_E_PLUGIN', `plugin '${name}' lacks a protocol classifier or a command list`);
  }
  return plugin;
}

export function loadPlugin(name: string): Promise<Plugin> {
  const loader = BUILTIN[name];
  if (!loader) {
    return Promise.reject(
      new AccelError('ACCELCTL_E_PLUGIN', `no plugin named '${name}'`, { hint: `known plugins: ${BUILTIN_PLUGIN_NAMES.join(', ')}` }),
    );
  }
  let promise = loaded.get(name);
  if (!promise) {
    promise = loader().then((module) => validate(name, module.default));
    loaded.set(name, promise);
  }
  return promise;
}

export function loadAllPlugins(): Promise<Plugin[]> {
  return Promise.all(BUILTIN_PLUGIN_NAMES.map(loadPlugin));
}

export async function pluginForDeviceType(deviceType: number): Promise<Plugin | undefined> {
  const plugins = await loadAllPlugins();
  return plugins.find((p) => p.meta.deviceType === deviceType);
}

export async function loadSimulator(plugin: Plugin): Promise<SimulatorDefinition<unknown>> {
  if (!plugin.simulator) {
    throw new AccelError('ACCELCTL_E_SIM', `plugin '${plugin.meta.name}' has no simulated device`);
  }
  return (await plugin.simulator()).default;
}
