/**
 * accelctl plugin for AMD Pensando DSC cards (pds_fwctl, FWCTL_DEVICE_TYPE_PDS).
 */
import { definePlugin, SDK_VERSION } from 'accelctl/sdk';
import { protocol } from './classifier';
import { config } from './config';
import { firmware } from './firmware';
import { health } from './health';
import { identify } from './identify';
import { metrics } from './metrics';
import { reset } from './reset';
import { FWCTL_DEVICE_TYPE_PDS } from './protocol';

export default definePlugin({
  meta: {
    name: 'pds',
    version: '0.1.0',
    deviceType: FWCTL_DEVICE_TYPE_PDS,
    sdkVersion: SDK_VERSION,
    description: 'AMD Pensando DSC: firmware endpoints and operations over pds_fwctl',
    kernelDriver: 'pds_fwctl',
  },
  protocol,
  // Loaded when a command runs or is listed: list, info, health… never need them.
  commands: () => import('./commands/index'),
  identify,
  simulator: () => import('./sim'),
  config,
  reset,
  firmware,
  health,
  metrics,
});
