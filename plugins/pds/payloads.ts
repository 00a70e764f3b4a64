/**
 * Payload layouts of the catalogued firmware package (catalog.ts). These are the
 * bytes behind in.payload / out.payload; the kernel never looks inside them.
 * All little-endian, as the DSC firmware's adminq structures are.
 *
 * Every decoder takes the out payload as the kernel returned it (out.len bytes,
 * zero-filled past what firmware wrote: the driver kzalloc's the buffer and
 * copies all of it back) and throws only ACCELCTL_E_MALFORMED_REPLY.
 */
import { defineStruct, slice } from 'accelctl/sdk';

export const SysIdent = defineStruct('pds_sys_ident', 64, {
  fwVersion: { at: 0, type: 'string', length: 32 },
  asicType: { at: 32, type: 'u8' },
  asicRev: { at: 33, type: 'u8' },
  uptimeSeconds: { at: 36, type: 'u32le' },
  serial: { at: 40, type: 'string', length: 24 },
});

export const SysTemps = defineStruct('pds_sys_temps', 16, {
  asicMilliC: { at: 0, type: 'u32le' },
  boardMilliC: { at: 4, type: 'u32le' },
  hbmMilliC: { at: 8, type: 'u32le' },
  criticalMilliC: { at: 12, type: 'u32le' },
});

export const LedRequest = defineStruct('pds_led_req', 4, { on: { at: 0, type: 'u32le' } });

export const CommitReply = defineStruct('pds_commit_resp', 8, {
  generation: { at: 0, type: 'u32le' },
  committed: { at: 4, type: 'u32le' },
});

export const PortRequest = defineStruct('pds_port_req', 4, { port: { at: 0, type: 'u32le' } });

/** Version 0 of PORT.GET_STATS answers 32 bytes; version 1 adds the error counters. */
export const PortStatsV0 = defineStruct('pds_port_stats_v0', 32, {
  rxPackets: { at: 0, type: 'u64le' },
  txPackets: { at: 8, type: 'u64le' },
  rxBytes: { at: 16, type: 'u64le' },
  txBytes: { at: 24, type: 'u64le' },
});
export const PortStatsV1 = defineStruct('pds_port_stats_v1', 48, {
  ...PortStatsV0.fields,
  rxErrors: { at: 32, type: 'u64le' },
  txErrors: { at: 40, type: 'u64le' },
});

export const PortConfig = defineStruct('pds_port_config', 16, {
  mtu: { at: 0, type: 'u32le' },
  speedMbps: { at: 4, type: 'u32le' },
  fec: { at: 8, type: 'u8' },
  autoneg: { at: 9, type: 'u8' },
  adminUp: { at: 10, type: 'u8' },
});

export const MtuRequest = defineStruct('pds_port_mtu_req', 8, {
  port: { at: 0, type: 'u32le' },
  mtu: { at: 4, type: 'u32le' },
});

export const SerdesRequest = defineStruct('pds_serdes_req', 8, {
  port: { at: 0, type: 'u32le' },
  lane: { at: 4, type: 'u32le' },
});

export const SERDES_REG_COUNT = 16;
export const SERDES_REGS_SIZE = SERDES_REG_COUNT * 4;

export const LogRequest = defineStruct('pds_log_req', 4, { offset: { at: 0, type: 'u32le' } });

export const CsrReadRequest = defineStruct('pds_csr_read_req', 8, { addr: { at: 0, type: 'u64le' } });
export const CsrValue = defineStruct('pds_csr_value', 4, { value: { at: 0, type: 'u32le' } });
export const CsrWriteRequest = defineStruct('pds_csr_write_req', 16, {
  addr: { at: 0, type: 'u64le' },
  value: { at: 8, type: 'u32le' },
});

export const FEC_NAMES = ['none', 'fc', 'rs', 'auto'] as const;

/* ---- JSON-able decoders (snake_case, u64 as decimal strings) ---- */

export function decodeSysIdent(bytes: Uint8Array): Record<string, unknown> {
  const v = SysIdent.decode(bytes);
  return { fw_version: v.fwVersion, asic_type: v.asicType, asic_rev: v.asicRev, uptime_seconds: v.uptimeSeconds, serial: v.serial };
}

export function decodeSysTemps(bytes: Uint8Array): Record<string, unknown> {
  const v = SysTemps.decode(bytes);
  return {
    asic_celsius: v.asicMilliC / 1000,
    board_celsius: v.boardMilliC / 1000,
    hbm_celsius: v.hbmMilliC / 1000,
    critical_celsius: v.criticalMilliC / 1000,
  };
}

export function decodeCommit(bytes: Uint8Array): Record<string, unknown> {
  const v = CommitReply.decode(bytes);
  return { generation: v.generation, committed: v.committed };
}

export function decodePortStats(bytes: Uint8Array, version: number): Record<string, unknown> {
  if (version === 0) {
    const v = PortStatsV0.decode(bytes);
    return { rx_packets: String(v.rxPackets), tx_packets: String(v.txPackets), rx_bytes: String(v.rxBytes), tx_bytes: String(v.txBytes) };
  }
  const v = PortStatsV1.decode(bytes);
  return {
    rx_packets: String(v.rxPackets),
    tx_packets: String(v.txPackets),
    rx_bytes: String(v.rxBytes),
    tx_bytes: String(v.txBytes),
    rx_errors: String(v.rxErrors),
    tx_errors: String(v.txErrors),
  };
}

export function decodePortConfig(bytes: Uint8Array): Record<string, unknown> {
  const v = PortConfig.decode(bytes);
  return { mtu: v.mtu, speed_mbps: v.speedMbps, fec: FEC_NAMES[v.fec] ?? `fec(${v.fec})`, autoneg: v.autoneg !== 0, admin_up: v.adminUp !== 0 };
}

export function decodeSerdesRegs(bytes: Uint8Array): Record<string, unknown> {
  const regs = slice(bytes, 0, SERDES_REGS_SIZE, 'serdes registers');
  const dv = new DataView(regs.buffer, regs.byteOffset, regs.byteLength);
  const values: string[] = [];
  for (let i = 0; i < SERDES_REG_COUNT; i++) values.push(`0x${dv.getUint32(i * 4, true).toString(16).padStart(8, '0')}`);
  return { registers: values };
}

/** The log comes back as NUL-padded text: everything before the first NUL. */
export function decodeLog(bytes: Uint8Array): Record<string, unknown> {
  const end = bytes.indexOf(0);
  const text = Buffer.from(bytes.subarray(0, end === -1 ? bytes.length : end)).toString('latin1');
  return { bytes: text.length, lines: text.length === 0 ? [] : text.replace(/\n$/, '').split('\n') };
}

export function decodeCsrValue(bytes: Uint8Array): Record<string, unknown> {
  return { value: `0x${CsrValue.get(bytes, 'value').toString(16).padStart(8, '0')}` };
}
