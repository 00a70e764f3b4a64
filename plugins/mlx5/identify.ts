/**
 * identify(): model and firmware version for `accelctl list`, from inspect RPCs
 * only. MGIR (ACCESS_REG read, DEBUG_READ_ONLY) gives the firmware version and
 * the PCI device id; QUERY_ADAPTER (CONFIGURATION) gives the PSID. The serial
 * number is not here: the umbrella reads the PCI VPD "SN" keyword itself.
 */
import type { CommandContext, DeviceIdentity } from 'accelctl/sdk';
import { decodeAdapter } from './decode';
import { MBOX_HEADER_SIZE, MgirReg, QUERY_ADAPTER_OUT_SIZE } from './prm';
import { MLX5_DEVICE_NAMES, mgirFirmwareVersion, registerByName } from './registers';
import { encodeQueryAdapter, encodeRegisterRead } from './requests';

const MGIR_ID = registerByName('MGIR')?.id ?? 0x9020;

export async function identify(ctx: CommandContext): Promise<DeviceIdentity> {
  const identity: DeviceIdentity = {};
  let psid: string | undefined;
  try {
    psid = decodeAdapter(await ctx.rpc(encodeQueryAdapter(), { outLen: QUERY_ADAPTER_OUT_SIZE })).psid || undefined;
  } catch {
    // Identity is best effort: a device that cannot answer still gets listed.
  }
  try {
    const reply = await ctx.rpc(encodeRegisterRead(MGIR_ID, new Uint8Array(MgirReg.size)), { outLen: MBOX_HEADER_SIZE + MgirReg.size });
    const mgir = MgirReg.decode(reply, MBOX_HEADER_SIZE);
    identity.firmware = mgirFirmwareVersion(mgir);
    const name = MLX5_DEVICE_NAMES[mgir.device_id];
    if (name) identity.model = psid ? `${name} (${psid})` : name;
  } catch {
    // fall through to the PSID alone
  }
  if (!identity.model && psid) identity.model = psid;
  return identity;
}
