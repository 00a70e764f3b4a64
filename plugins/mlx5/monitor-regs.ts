/**
 * Register reads shared by health.ts and metrics.ts: MTMP (temperature), PAOS
 * (port state), PTYS (speed), PPCNT IEEE 802.3 counters. All ACCESS_REG reads:
 * inspect at DEBUG_READ_ONLY.
 */
import type { CommandContext } from 'accelctl/sdk';
import { readRegister } from './access';
import { PaosReg, PTYS_PROTO_EN, PtysReg } from './prm';
import { ETH_802_3_COUNTERS, MtmpReg, PPCNT_GRP_IEEE_802_3, PPCNT_SIZE, PpcntHeader, REG, mtmpCelsius, type Eth8023Counter } from './prm-mgmt';
import { extOperSpeedMbps } from './registers';

export interface Temperature {
  sensor: string;
  celsius: number;
  maxCelsius: number;
  thresholdHiCelsius: number;
}

export async function readTemperature(ctx: CommandContext, sensorIndex = 0): Promise<Temperature> {
  const r = MtmpReg.decode(await readRegister(ctx, REG.MTMP, MtmpReg.encode({ sensor_index: sensorIndex }), 'MTMP'));
  return {
    sensor: r.sensor_name.trim() || `sensor${sensorIndex}`,
    celsius: mtmpCelsius(r.temperature),
    maxCelsius: mtmpCelsius(r.max_temperature),
    thresholdHiCelsius: mtmpCelsius(r.temp_threshold_hi),
  };
}

export async function readPortState(ctx: CommandContext, port: number): Promise<{ admin: number; oper: number }> {
  const r = PaosReg.decode(await readRegister(ctx, 0x5006, PaosReg.encode({ local_port: port }), 'PAOS'));
  return { admin: r.admin_status, oper: r.oper_status };
}

export async function readSpeedMbps(ctx: CommandContext, port: number): Promise<number> {
  const r = PtysReg.decode(await readRegister(ctx, 0x5004, PtysReg.encode({ local_port: port, proto_mask: PTYS_PROTO_EN }), 'PTYS'));
  return extOperSpeedMbps(r.ext_eth_proto_oper);
}

/** PPCNT group 0 (IEEE 802.3): every counter as a number (64-bit high/low dwords). */
export async function readEth8023(ctx: CommandContext, port: number): Promise<Record<Eth8023Counter, number>> {
  const req = new Uint8Array(PPCNT_SIZE);
  PpcntHeader.write(req, { local_port: port, grp: PPCNT_GRP_IEEE_802_3 });
  const data = await readRegister(ctx, REG.PPCNT, req, 'PPCNT');
  const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const out = {} as Record<Eth8023Counter, number>;
  ETH_802_3_COUNTERS.forEach((name, i) => {
    const at = PpcntHeader.size + 8 * i;
    out[name] = dv.getUint32(at) * 2 ** 32 + dv.getUint32(at + 4);
  });
  return out;
}
