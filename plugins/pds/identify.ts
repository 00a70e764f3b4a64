/** `accelctl list` facts from system.get_ident (READ → inspect). */
import type { CommandContext, DeviceIdentity } from 'accelctl/sdk';
import { callOp } from './op-call';
import { SysIdent } from './payloads';

// pds_core_if.h names only PDS_CORE_ASIC_TYPE_CAPRI (0); other values are shown as numbers.
const ASIC_NAMES: Record<number, string> = { 0: 'Capri' };

export async function identify(context: CommandContext): Promise<DeviceIdentity> {
  const ident = SysIdent.decode((await callOp(context, 'system.get_ident')).payload);
  const asic = ASIC_NAMES[ident.asicType] ?? `ASIC 0x${ident.asicType.toString(16)}`;
  return { model: `AMD Pensando DSC (${asic})`, firmware: ident.fwVersion, serial: ident.serial };
}
