/**
 * MNVDA (0x9024) requests: one non-volatile configuration TLV per access, the
 * full mnvda_reg (12-byte config_item header + 256 data bytes) both ways, as
 * nv_param.c sends it. A read is ACCESS_REG op_mod 1 (inspect, DEBUG_READ_ONLY);
 * a write op_mod 0 (configure, CONFIGURATION).
 */
import { malformedReply, type CommandContext } from 'accelctl/sdk';
import { readRegister, writeRegister } from './access';
import { ACCESS_MODE, ConfigItemHeader, MNVDA_DATA_SIZE, MNVDA_HEADER_SIZE, MNVDA_SIZE, REG, WRITER_ID_HOST_TOOL } from './prm-mgmt';
import type { TlvSpec } from './nv-params';

export type AccessMode = (typeof ACCESS_MODE)[keyof typeof ACCESS_MODE];

/** The mnvda_reg bytes selecting `tlv` (type class, index, port, length), with `data` if given. */
export function encodeMnvda(tlv: TlvSpec, accessMode: AccessMode, data?: Uint8Array): Uint8Array {
  const reg = new Uint8Array(MNVDA_SIZE);
  ConfigItemHeader.write(reg, {
    access_mode: accessMode,
    length: tlv.length,
    type_class: tlv.typeClass,
    ...(tlv.typeClass === 1 ? { port: tlv.port ?? 1, port_parameter_index: tlv.index } : { global_parameter_index: tlv.index }),
    ...(data ? { writer_id: WRITER_ID_HOST_TOOL, ovr_en: 1 } : {}),
  });
  if (data) reg.set(data.subarray(0, MNVDA_DATA_SIZE), MNVDA_HEADER_SIZE);
  return reg;
}

/** The TLV's data bytes (its declared length) out of a returned mnvda_reg. */
export function tlvData(reg: Uint8Array, tlv: TlvSpec): Uint8Array {
  const length = ConfigItemHeader.get(reg, 'length');
  if (length < tlv.length || length > MNVDA_DATA_SIZE) throw malformedReply(`MNVDA ${tlv.name}: item length ${length}, expected ${tlv.length}`);
  return reg.slice(MNVDA_HEADER_SIZE, MNVDA_HEADER_SIZE + tlv.length);
}

export async function readTlv(ctx: CommandContext, tlv: TlvSpec, mode: AccessMode): Promise<Uint8Array> {
  return tlvData(await readRegister(ctx, REG.MNVDA, encodeMnvda(tlv, mode), `MNVDA ${tlv.name}`), tlv);
}

export async function writeTlv(ctx: CommandContext, tlv: TlvSpec, data: Uint8Array): Promise<void> {
  await writeRegister(ctx, REG.MNVDA, encodeMnvda(tlv, ACCESS_MODE.NEXT, data), `MNVDA ${tlv.name}`);
}
