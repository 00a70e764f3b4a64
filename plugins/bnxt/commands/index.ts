/** The bnxt plugin's commands, loaded on first use (index.ts: `commands`). */
import { type PluginCommand } from 'accelctl/sdk';
import caps from './caps';
import factoryDefaults from './factory-defaults';
import funcReset from './func-reset';
import health from './health';
import temp from './temp';
import version from './version';

const commands: readonly PluginCommand[] = [version, caps, temp, health, funcReset, factoryDefaults];
export default commands;
