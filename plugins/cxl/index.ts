/**
 * accelctl plugin for CXL Type-3 memory devices (the cxl driver's fwctl
 * interface, FWCTL_DEVICE_TYPE_CXL): the Features commands of CXL r3.2 §8.2.9.6.
 */
import { definePlugin, SDK_VERSION } from 'accelctl/sdk';
import { config } from './config';
import { firmware } from './firmware';
import { health } from './health';
import { metrics } from './metrics';
import { protocol } from './protocol';
import { FWCTL_DEVICE_TYPE_CXL } from './uapi';

export default definePlugin({
  meta: {
    name: 'cxl',
    version: '0.2.0',
    deviceType: FWCTL_DEVICE_TYPE_CXL,
    sdkVersion: SDK_VERSION,
    description: 'CXL Type-3 memory devices: list, read and change Features over the cxl fwctl interface',
    kernelDriver: 'cxl_core (fwctl)',
  },
  protocol,
  // Loaded when a command runs or is listed: list, info, health… never need them.
  commands: () => import('./commands/index'),
  simulator: () => import('./sim'),
  config,
  // No `reset`: the cxl fwctl driver allows only the Features commands, and a
  // CXL reset is a PCI/CXL-DVSEC operation outside fwctl (README.md).
  firmware,
  health,
  metrics,
});
