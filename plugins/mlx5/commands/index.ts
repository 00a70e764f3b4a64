/** The mlx5 plugin's commands, loaded on first use (index.ts: `commands`). */
import { type PluginCommand } from 'accelctl/sdk';
import adapter from './adapter';
import caps from './caps';
import diagCounters from './diag-counters';
import diagEnable from './diag-enable';
import diagParams from './diag-params';
import portState from './port-state';
import reg from './reg';

const commands: readonly PluginCommand[] = [caps, adapter, reg, portState, diagParams, diagCounters, diagEnable];
export default commands;
