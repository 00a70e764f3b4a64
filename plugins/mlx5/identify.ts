/**
 * identify(): model and firmware version for `accelctl list`, from inspect RPCs
 * only. MGIR (ACCESS_REG read, DEBUG_READ_ONLY) gives the firmware version and
 * the PCI device id; QUERY_ADAPTER (CONFIGURATION) gives the PSID. The serial
 * number is not here: the umbrella reads the PCI VPD "SN" keyword itself.
 */
import { isAccelError, type CommandContext, type DeviceIdentity } from 'accelctl/sdk';
import { decodeAdapter } from './decode';
import { MBOX_HEADER_SIZE, MgirReg, QUERY_ADAPTER_OUT_SIZE } from './prm';
import { MLX5_DEVICE_NAMES, mgirFirmwareVersion, registerByName } from './registers';
import { encodeQueryAdapter, encodeRegisterRead } from './requests';

const MGIR_ID = registerByName('MGIR')?.id ?? 0x9020;

/**
 * Identity is best effort: a device that refuses one of the two (older firmware
 * without MGIR, a status error) still gets listed with what the other told. A reply
 * that reports success but cannot be read is not that: it is thrown, so that `list`
 * shows the device as failed and says why instead of a quietly partial row.
 */
function unlessMalformed(error: unknown): void {
  if (isAccelError(error) && error.code === 'ACCELCTL_E_MALFORMED_REPLY') throw error;
}

export async function identify(ctx: CommandContext): Promise<DeviceIdentity> {
  const identity: DeviceIdentity = {};
  let psid: string | undefined;
  try {
    psid = decodeAdapter(await ctx.rpc(encodeQueryAdapter(), { outLen: QUERY_ADAPTER_OUT_SIZE })).psid || undefined;
  } catch (error) {
    unlessMalformed(error);
  }
  try {
    const reply = await ctx.rpc(encodeRegisterRead(MGIR_ID, new Uint8Array(MgirReg.size)), { outLen: MBOX_HEADER_SIZE + MgirReg.size });
    const mgir = MgirReg.decode(reply, MBOX_HEADER_SIZE);
    identity.firmware = mgirFirmwareVersion(mgir);
    const name = MLX5_DEVICE_NAMES[mgir.device_id];
    if (name) identity.model = psid ? `${name} (${psid})` : name;
  } catch (error) {
    // Else fall through to the PSID alone.
    unlessMalformed(error);
  }
  if (!identity.model && psid) identity.model = psid;
  return identity;
}
