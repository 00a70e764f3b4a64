/** FWCTL_INFO for the listing commands: confirms a pds device and reports uctx_caps. */
import { AccelError, type CommandContext } from 'accelctl/sdk';
import { decodeInfoPds, FWCTL_DEVICE_TYPE_PDS } from '../protocol';

export async function pdsInfo(context: CommandContext): Promise<Record<string, unknown>> {
  const info = await context.info();
  if (info.deviceType !== FWCTL_DEVICE_TYPE_PDS) {
    throw new AccelError('ACCELCTL_E_USAGE', `${context.device.name} is fwctl device type ${info.deviceType}, not pds (${FWCTL_DEVICE_TYPE_PDS})`);
  }
  return decodeInfoPds(info.deviceData);
}
