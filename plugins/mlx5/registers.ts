/**
 * Access registers accelctl knows by name: id (include/linux/mlx5/driver.h
 * `MLX5_REG_*`, MGIR from the PRM), size, how to fill the index fields of a
 * read, and how to decode the contents.
 */
import { hexNumber, malformedReply, toHex } from 'accelctl/sdk';
import { McamReg, MgirReg, PaosReg, PORT_STATUS_NAMES, PTYS_PROTO_EN, PtysReg } from './prm';
import {
  COMPONENT_IDS,
  COMPONENT_STATUS_NAMES,
  ETH_802_3_COUNTERS,
  MFRL_STATE_NAMES,
  McqsReg,
  MfrlReg,
  MtmpReg,
  PPCNT_GRP_IEEE_802_3,
  PPCNT_SIZE,
  PpcntHeader,
  UPDATE_STATE_NAMES,
  mtmpCelsius,
} from './prm-mgmt';

export type RegisterFields = Record<string, string | number | boolean | string[] | number[]>;

export interface RegisterInfo {
  name: string;
  id: number;
  /** Register size in bytes (MLX5_ST_SZ_BYTES(<name>_reg)). */
  size: number;
  /** Does reading it take a local port? */
  perPort: boolean;
  /** Register data for a read (index fields set). */
  readData(port: number): Uint8Array;
  decode(data: Uint8Array): RegisterFields;
}

/** include/linux/mlx5/port.h `enum mlx5e_ext_link_mode` and the speed of each (port.c). */
const EXT_LINK_MODES: Readonly<Record<number, readonly [string, number]>> = {
  0: ['SGMII_100M', 100],
  1: ['1000BASE_X_SGMII', 1000],
  3: ['5GBASE_R', 5000],
  4: ['10GBASE_XFI_XAUI_1', 10000],
  5: ['40GBASE_XLAUI_4_XLPPI_4', 40000],
  6: ['25GAUI_1_25GBASE_CR_KR', 25000],
  7: ['50GAUI_2_LAUI_2_50GBASE_CR2_KR2', 50000],
  8: ['50GAUI_1_LAUI_1_50GBASE_CR_KR', 50000],
  9: ['CAUI_4_100GBASE_CR4_KR4', 100000],
  10: ['100GAUI_2_100GBASE_CR2_KR2', 100000],
  11: ['100GAUI_1_100GBASE_CR_KR', 100000],
  12: ['200GAUI_4_200GBASE_CR4_KR4', 200000],
  13: ['200GAUI_2_200GBASE_CR2_KR2', 200000],
  14: ['200GAUI_1_200GBASE_CR1_KR1', 200000],
  15: ['400GAUI_8_400GBASE_CR8', 400000],
  16: ['400GAUI_4_400GBASE_CR4_KR4', 400000],
  17: ['400GAUI_2_400GBASE_CR2_KR2', 400000],
  19: ['800GAUI_8_800GBASE_CR8_KR8', 800000],
  20: ['800GAUI_4_800GBASE_CR4_KR4', 800000],
  23: ['1600GAUI_8_1600GBASE_CR8_KR8', 1600000],
};

/** include/linux/mlx5/port.h `enum mlx5e_link_mode` (legacy eth_proto_* bits). */
const LEGACY_LINK_MODES: Readonly<Record<number, string>> = {
  0: '1000BASE_CX_SGMII', 1: '1000BASE_KX', 2: '10GBASE_CX4', 3: '10GBASE_KX4', 4: '10GBASE_KR',
  5: '20GBASE_KR2', 6: '40GBASE_CR4', 7: '40GBASE_KR4', 8: '56GBASE_R4', 12: '10GBASE_CR',
  13: '10GBASE_SR', 14: '10GBASE_ER', 15: '40GBASE_SR4', 16: '40GBASE_LR4', 18: '50GBASE_SR2',
  20: '100GBASE_CR4', 21: '100GBASE_SR4', 22: '100GBASE_KR4', 23: '100GBASE_LR4', 24: '100BASE_TX',
  25: '1000BASE_T', 26: '10GBASE_T', 27: '25GBASE_CR', 28: '25GBASE_KR', 29: '25GBASE_SR',
  30: '50GBASE_CR2', 31: '50GBASE_KR2',
};

/** include/linux/mlx5/port.h `enum mlx5e_connector_type`. */
const CONNECTOR_TYPES = ['unknown', 'none', 'tp', 'aui', 'bnc', 'mii', 'fibre', 'da', 'other'];

function bitNames(mask: number, names: Readonly<Record<number, string | readonly [string, number]>>): string[] {
  const out: string[] = [];
  for (let bit = 0; bit < 32; bit++) {
    if (((mask >>> bit) & 1) === 0) continue;
    const entry = names[bit];
    out.push(entry === undefined ? `bit${bit}` : typeof entry === 'string' ? entry : entry[0]);
  }
  return out;
}

/** Speed in Mb/s of the (single) operational extended link mode, 0 when none. */
export function extOperSpeedMbps(mask: number): number {
  for (let bit = 0; bit < 32; bit++) {
    if ((mask >>> bit) & 1) return EXT_LINK_MODES[bit]?.[1] ?? 0;
  }
  return 0;
}

const statusName = (value: number): string => PORT_STATUS_NAMES[value] ?? `unknown(${value})`;

const PTYS: RegisterInfo = {
  name: 'PTYS',
  id: 0x5004,
  size: PtysReg.size,
  perPort: true,
  readData(port) {
    // mlx5_query_port_ptys(): local_port + proto_mask select the entry.
    return PtysReg.encode({ local_port: port, proto_mask: PTYS_PROTO_EN });
  },
  decode(data) {
    const r = PtysReg.decode(data);
    return {
      local_port: r.local_port,
      proto_mask: r.proto_mask,
      an_disable_admin: r.an_disable_admin === 1,
      an_status: r.an_status,
      data_rate_oper: r.data_rate_oper,
      ext_eth_proto_capability: hexNumber(r.ext_eth_proto_capability, 8),
      ext_eth_proto_capability_modes: bitNames(r.ext_eth_proto_capability, EXT_LINK_MODES),
      ext_eth_proto_admin: hexNumber(r.ext_eth_proto_admin, 8),
      ext_eth_proto_admin_modes: bitNames(r.ext_eth_proto_admin, EXT_LINK_MODES),
      ext_eth_proto_oper: hexNumber(r.ext_eth_proto_oper, 8),
      ext_eth_proto_oper_modes: bitNames(r.ext_eth_proto_oper, EXT_LINK_MODES),
      oper_speed_mbps: extOperSpeedMbps(r.ext_eth_proto_oper),
      eth_proto_capability: hexNumber(r.eth_proto_capability, 8),
      eth_proto_capability_modes: bitNames(r.eth_proto_capability, LEGACY_LINK_MODES),
      eth_proto_admin: hexNumber(r.eth_proto_admin, 8),
      eth_proto_oper: hexNumber(r.eth_proto_oper, 8),
      ib_proto_capability: hexNumber(r.ib_proto_capability, 4),
      ib_link_width_capability: hexNumber(r.ib_link_width_capability, 4),
      lane_rate_oper: r.lane_rate_oper,
      connector_type: CONNECTOR_TYPES[r.connector_type] ?? `unknown(${r.connector_type})`,
      eth_proto_lp_advertise: hexNumber(r.eth_proto_lp_advertise, 8),
    };
  },
};

const PAOS: RegisterInfo = {
  name: 'PAOS',
  id: 0x5006,
  size: PaosReg.size,
  perPort: true,
  readData(port) {
    return PaosReg.encode({ local_port: port });
  },
  decode(data) {
    const r = PaosReg.decode(data);
    return {
      swid: r.swid,
      local_port: r.local_port,
      admin_status: statusName(r.admin_status),
      admin_status_value: r.admin_status,
      oper_status: statusName(r.oper_status),
      oper_status_value: r.oper_status,
      event_generation: ['none', 'generate', 'reserved', 'generate_single'][r.e] ?? String(r.e),
    };
  },
};

/** PCI device ids of mlx5 devices (drivers/net/ethernet/mellanox/mlx5/core/main.c mlx5_core_pci_table). */
export const MLX5_DEVICE_NAMES: Readonly<Record<number, string>> = {
  0x1017: 'ConnectX-5',
  0x1019: 'ConnectX-5 Ex',
  0x101b: 'ConnectX-6',
  0x101d: 'ConnectX-6 Dx',
  0x101f: 'ConnectX-6 Lx',
  0x1021: 'ConnectX-7',
  0x1023: 'ConnectX-8',
  0xa2d2: 'BlueField',
  0xa2d6: 'BlueField-2',
  0xa2dc: 'BlueField-3',
};

/** "28.39.1002": the extended (32-bit) fields when present, else the deprecated 8-bit ones. */
export function mgirFirmwareVersion(r: ReturnType<typeof MgirReg.decode>): string {
  const extended = r.fw_extended_major || r.fw_extended_minor || r.fw_extended_sub_minor;
  return extended
    ? `${r.fw_extended_major}.${r.fw_extended_minor}.${r.fw_extended_sub_minor}`
    : `${r.fw_major}.${r.fw_minor}.${r.fw_sub_minor}`;
}

const MGIR: RegisterInfo = {
  name: 'MGIR',
  id: 0x9020,
  size: MgirReg.size,
  perPort: false,
  readData() {
    return new Uint8Array(MgirReg.size);
  },
  decode(data) {
    const r = MgirReg.decode(data);
    const mac = r.manufacturing_base_mac_47_32 * 2 ** 32 + r.manufacturing_base_mac_31_0;
    return {
      device_id: hexNumber(r.device_id, 4),
      device_name: MLX5_DEVICE_NAMES[r.device_id] ?? 'unknown',
      device_hw_revision: hexNumber(r.device_hw_revision, 4),
      num_ports: r.num_ports,
      technology: r.technology,
      hw_dev_id: hexNumber(r.hw_dev_id, 4),
      manufacturing_base_mac: mac.toString(16).padStart(12, '0').replace(/(..)(?!$)/g, '$1:'),
      uptime_s: r.uptime,
      fw_version: mgirFirmwareVersion(r),
      fw_build_id: hexNumber(r.fw_build_id, 8),
      // Date fields are BCD: 3 May 2004 is month 0x05, day 0x03, year 0x2004.
      fw_date: `${r.fw_year.toString(16).padStart(4, '0')}-${r.fw_month.toString(16).padStart(2, '0')}-${r.fw_day.toString(16).padStart(2, '0')}`,
      fw_psid: r.fw_psid,
      fw_secured: r.fw_secured === 1,
      fw_signed: r.fw_signed === 1,
      fw_debug: r.fw_debug === 1,
      fw_dev: r.fw_dev === 1,
      fw_ini_file_version: r.fw_ini_file_version,
      sw_min_driver_version: `${r.sw_major}.${r.sw_minor}.${r.sw_sub_minor}`,
    };
  },
};

/** mcam_reg mng_feature_cap_mask (feature_group 0): `mcam_enhanced_features_bits`, bit offset → name. */
const MCAM_FEATURES: Readonly<Record<number, string>> = {
  80: 'mtutc_freq_adj_units',
  81: 'mtutc_time_adjustment_extended_range',
  93: 'mcia_32dwords',
  94: 'out_pulse_duration_ns',
  95: 'npps_period',
  106: 'reset_state',
  107: 'ptpcyc2realtime_modify',
  110: 'pci_status_and_power',
  116: 'mark_tx_action_cnp',
  117: 'mark_tx_action_cqe',
  118: 'dynamic_tx_overflow',
  123: 'pcie_outbound_stalled',
  124: 'tx_overflow_buffer_pkt',
  125: 'mtpps_enh_out_per_adj',
  126: 'mtpps_fs',
  127: 'pcie_performance_group',
};

/** MSB-first bit `bit` of a byte array. */
function maskBit(mask: Uint8Array, bit: number): boolean {
  return (((mask[bit >> 3] ?? 0) >> (7 - (bit & 7))) & 1) === 1;
}

const MCAM: RegisterInfo = {
  name: 'MCAM',
  id: 0x907f,
  size: McamReg.size,
  perPort: false,
  readData() {
    return McamReg.encode({ feature_group: 0, access_reg_group: 0 });
  },
  decode(data) {
    const r = McamReg.decode(data);
    const base = 0x9000 + 0x80 * r.access_reg_group;
    const supported: string[] = [];
    for (let k = 0; k < 128; k++) {
      if (maskBit(r.mng_access_reg_cap_mask, 127 - k)) supported.push(hexNumber(base + k, 4));
    }
    const features: string[] = [];
    if (r.feature_group === 0) {
      for (let bit = 0; bit < 128; bit++) {
        if (maskBit(r.mng_feature_cap_mask, bit)) features.push(MCAM_FEATURES[bit] ?? `bit${bit}`);
      }
    }
    return {
      feature_group: r.feature_group,
      access_reg_group: r.access_reg_group,
      mng_access_reg_cap_mask: toHex(r.mng_access_reg_cap_mask),
      supported_registers: supported,
      mng_feature_cap_mask: toHex(r.mng_feature_cap_mask),
      features,
    };
  },
};

const MTMP: RegisterInfo = {
  name: 'MTMP',
  id: 0x900a,
  size: MtmpReg.size,
  perPort: false,
  readData() {
    return MtmpReg.encode({ sensor_index: 0 });
  },
  decode(data) {
    const r = MtmpReg.decode(data);
    return {
      sensor_index: r.sensor_index,
      sensor_name: r.sensor_name.trim(),
      temperature_celsius: mtmpCelsius(r.temperature),
      max_temperature_celsius: mtmpCelsius(r.max_temperature),
      temp_threshold_hi_celsius: mtmpCelsius(r.temp_threshold_hi),
      temp_threshold_lo_celsius: mtmpCelsius(r.temp_threshold_lo),
    };
  },
};

const PPCNT: RegisterInfo = {
  name: 'PPCNT',
  id: 0x5008,
  size: PPCNT_SIZE,
  perPort: true,
  readData(port) {
    const data = new Uint8Array(PPCNT_SIZE);
    PpcntHeader.write(data, { local_port: port, grp: PPCNT_GRP_IEEE_802_3 });
    return data;
  },
  decode(data) {
    if (data.length < PPCNT_SIZE) throw malformedReply(`PPCNT: ${data.length} bytes of register data, expected ${PPCNT_SIZE}`);
    const h = PpcntHeader.decode(data);
    const out: RegisterFields = { local_port: h.local_port, grp: h.grp };
    if (h.grp !== PPCNT_GRP_IEEE_802_3) return out;
    const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
    ETH_802_3_COUNTERS.forEach((name, i) => {
      const at = PpcntHeader.size + 8 * i;
      // 64-bit counters as decimal strings: JSON numbers lose precision above 2^53.
      out[name] = (BigInt(dv.getUint32(at)) * 2n ** 32n + BigInt(dv.getUint32(at + 4))).toString();
    });
    return out;
  },
};

const MFRL: RegisterInfo = {
  name: 'MFRL',
  id: 0x9028,
  size: MfrlReg.size,
  perPort: false,
  readData() {
    return new Uint8Array(MfrlReg.size);
  },
  decode(data) {
    const r = MfrlReg.decode(data);
    const levels = [0, 3, 6].filter((l) => (r.reset_level >> l) & 1).map((l) => `level${l}`);
    return {
      reset_level_supported: levels,
      reset_type_supported: [(r.reset_type & 1 ? ['full_chip'] : []), (r.reset_type & 2 ? ['net_port_alive'] : [])].flat(),
      reset_state: MFRL_STATE_NAMES[r.reset_state] ?? `unknown(${r.reset_state})`,
      pci_sync_for_fw_update_start: r.pci_sync_for_fw_update_start,
    };
  },
};

const MCQS: RegisterInfo = {
  name: 'MCQS',
  id: 0x9060,
  size: McqsReg.size,
  perPort: false,
  readData() {
    return McqsReg.encode({ component_index: 0 });
  },
  decode(data) {
    const r = McqsReg.decode(data);
    return {
      component_index: r.component_index,
      identifier: COMPONENT_IDS[r.identifier] ?? hexNumber(r.identifier, 4),
      last_index_flag: r.last_index_flag === 1,
      component_status: COMPONENT_STATUS_NAMES[r.component_status] ?? String(r.component_status),
      component_update_state: UPDATE_STATE_NAMES[r.component_update_state] ?? String(r.component_update_state),
    };
  },
};

export const REGISTERS: readonly RegisterInfo[] = [PTYS, PAOS, PPCNT, MGIR, MCAM, MTMP, MFRL, MCQS];

export function registerByName(name: string): RegisterInfo | undefined {
  const upper = name.toUpperCase();
  return REGISTERS.find((r) => r.name === upper);
}

export function registerById(id: number): RegisterInfo | undefined {
  return REGISTERS.find((r) => r.id === id);
}
