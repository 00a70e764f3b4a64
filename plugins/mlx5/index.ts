/**
 * mlx5: NVIDIA ConnectX / BlueField through drivers/fwctl/mlx5 (fwctl device type MLX5 = 1).
 */
import { SDK_VERSION, definePlugin } from 'accelctl/sdk';
import { config } from './config';
import { firmware } from './firmware';
import { health } from './health';
import { identify } from './identify';
import { metrics } from './metrics';
import { protocol } from './protocol';
import { reset } from './reset';

export default definePlugin({
  meta: {
    name: 'mlx5',
    version: '0.2.0',
    deviceType: 1,
    sdkVersion: SDK_VERSION,
    description: 'NVIDIA ConnectX and BlueField (mlx5 PRM command mailboxes)',
    kernelDriver: 'mlx5_fwctl',
  },
  protocol,
  // Loaded when a command runs or is listed: list, info, health… never need them.
  commands: () => import('./commands/index'),
  identify,
  config,
  reset,
  firmware,
  health,
  metrics,
  simulator: () => import('./sim'),
});
