/**
 * The first step of every capability command (config, reset, fw): open the
 * selected device and fetch the plugin's capability block, or say plainly that
 * the plugin has none.
 */
import type { OpenDevice } from '../core/app';
import { requireCapability } from '../core/capability';
import type { CommandContext, Plugin } from '../sdk/plugin';
import type { Runtime } from './runtime';

type Capability = 'config' | 'reset' | 'firmware' | 'health' | 'metrics';

export async function openCapable<K extends Capability>(
  runtime: Runtime,
  selector: unknown,
  capability: K,
): Promise<{ device: OpenDevice; support: NonNullable<Plugin[K]>; ctx: CommandContext }> {
  const app = await runtime.app();
  const device = await app.openSelected(String(selector));
  const support = requireCapability(device.plugin, capability, device.entry.name);
  return { device, support, ctx: device.pipeline.commandContext() };
}
