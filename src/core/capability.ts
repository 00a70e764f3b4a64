/**
 * Capability lookup: a plugin either offers a block (config, reset, firmware,
 * health, metrics) or the operator gets one plain sentence saying it does not.
 */
import type { Plugin } from '../sdk/plugin';
import { AccelError } from './errors';

type CapabilityName = 'config' | 'reset' | 'firmware' | 'health' | 'metrics';

const WHAT: Record<CapabilityName, string> = {
  config: 'configuration parameters',
  reset: 'device reset',
  firmware: 'firmware management',
  health: 'health reporters',
  metrics: 'metrics',
};

export function requireCapability<K extends CapabilityName>(plugin: Plugin, name: K, device: string): NonNullable<Plugin[K]> {
  const capability = plugin[name];
  if (!capability) {
    throw new AccelError('ACCELCTL_E_UNSUPPORTED', `${device}: the ${plugin.meta.name} plugin offers no ${WHAT[name]}`, {
      hint: `see the plugin's man page: man accelctl-${plugin.meta.name}`,
    });
  }
  return capability as NonNullable<Plugin[K]>;
}
