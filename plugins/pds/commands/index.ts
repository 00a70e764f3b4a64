/** The pds plugin's commands, loaded on first use (index.ts: `commands`). */
import { type PluginCommand } from 'accelctl/sdk';
import { call } from './call';
import { endpoints } from './endpoints';
import { operations } from './operations';

const commands: readonly PluginCommand[] = [endpoints, operations, call];
export default commands;
