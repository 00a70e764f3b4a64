/** The cxl plugin's commands, loaded on first use (index.ts: `commands`). */
import { type PluginCommand } from 'accelctl/sdk';
import { features } from './features';
import { getFeature } from './get-feature';
import { setFeature } from './set-feature';

const commands: readonly PluginCommand[] = [features, getFeature, setFeature];
export default commands;
