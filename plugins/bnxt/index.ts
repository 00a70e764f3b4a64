/**
 * accelctl plugin for Broadcom NetXtreme-C/E (bnxt_en) NICs through the
 * bnxt_fwctl driver (fwctl device type BNXT = 3).
 */
import { SDK_VERSION, definePlugin, type CommandContext, type DeviceIdentity } from 'accelctl/sdk';
import { decodeVerGet } from './decode';
import { encodeVerGet } from './encode';
import { configSupport } from './config';
import { firmwareSupport } from './firmware';
import { healthSupport } from './health-reporters';
import { metricsSupport } from './metrics';
import { protocol } from './protocol';
import { resetSupport } from './reset';

/** Model from the chip number, firmware from the active package (else the HWRM firmware) of HWRM_VER_GET. */
async function identify(ctx: CommandContext): Promise<DeviceIdentity> {
  const v = decodeVerGet(await ctx.rpc(encodeVerGet()));
  return { model: v.chip.name, firmware: v.package || v.firmware.hwrm };
}

export default definePlugin({
  meta: {
    name: 'bnxt',
    version: '0.1.0',
    deviceType: 3,
    sdkVersion: SDK_VERSION,
    description: 'Broadcom NetXtreme-C/E NICs (HWRM over bnxt_fwctl)',
    kernelDriver: 'bnxt_fwctl',
  },
  protocol,
  // Loaded when a command runs or is listed: list, info, health… never need them.
  commands: () => import('./commands/index'),
  identify,
  config: configSupport,
  reset: resetSupport,
  firmware: firmwareSupport,
  health: healthSupport,
  metrics: metricsSupport,
  simulator: () => import('./sim'),
});
