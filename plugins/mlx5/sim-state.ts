/**
 * The simulated ConnectX-7's persistent state: plain JSON (numbers, strings,
 * arrays), as the simulator stores it between invocations.
 */

export interface SimPort {
  /** PAOS admin_status: 1 up, 2 down. */
  admin_status: number;
  /** PAOS oper_status: follows admin (the simulated cable is always plugged). */
  oper_status: number;
  /** PTYS ext_eth_proto_admin: the advertised extended link modes. */
  ext_eth_proto_admin: number;
  /** Link-up time accumulated before `up_since_ms` (PPCNT counters grow only while up). */
  traffic_ms?: number;
  /** env.now when the link last came up (or the counters were cleared); 0 while down. */
  up_since_ms?: number;
}

/** One flash bank: which image it holds, and whether it was written completely. */
export interface SimBank {
  /** MCQI version encoding: major << 24 | minor << 16 | sub_minor. */
  version: number;
  psid: string;
  complete: boolean;
}

/** The component-update FSM (MCC control_state) and what a download has received. */
export interface SimFsm {
  state: number;
  handle: number;
  next_handle: number;
  error: number;
  component_index: number;
  component_size: number;
  received: number;
  /** Running CRC-32 of the component bytes after the 32-byte image info. */
  crc: number;
  /** The image info block (first 32 bytes of the component), once received. */
  info: { version: number; psid: string; length: number; crc: number } | null;
  last_cmd_ms: number;
}

export interface SimFlash {
  /** The bank the running firmware was loaded from. */
  active: number;
  banks: SimBank[];
  /** The other bank holds a verified image activated (MCC ACTIVATE) for the next boot. */
  pending: boolean;
  /** The last update failed verification. */
  failed: boolean;
}

/** Non-volatile configuration TLVs by tlvKey: next-boot and current data as hex (absent = default). */
export type SimNv = Record<string, { next?: string; current?: string }>;

export interface SimDiag {
  enable: boolean;
  counters: number[];
  log_num_of_samples: number;
  log_sample_period: number;
  single: boolean;
  repetitive: boolean;
  on_demand: boolean;
  sync: boolean;
  /** env.now when sampling (re)started. */
  started_ms: number;
}

export interface Mlx5SimState {
  serial: string;
  index: number;
  /** uid the fwctl driver allocated for the FD (FWCTL_INFO). */
  uid: number;
  /** Firmware supports the TOOLS_RESOURCES uctx capability (the driver then requests it). */
  tools_resources: boolean;
  vhca_id: number;
  /** env.now of the first command: MGIR uptime counts from here. */
  boot_ms: number;
  fw: { major: number; minor: number; sub_minor: number; build_id: number; year: number; month: number; day: number; hour: number };
  psid: string;
  vsd: string;
  /** 48-bit manufacturing base MAC as 12 hex digits. */
  base_mac: string;
  ports: SimPort[];
  diag: SimDiag;
  /** Added with the capabilities; ensureState() fills them in for older saved states. */
  nv?: SimNv;
  flash?: SimFlash;
  fsm?: SimFsm;
  /** MFRL reset_state of the last reset. */
  reset_state?: number;
}

/** 200G QSFP112 extended modes: 1000BASE_X, 10G, 40G, 25G, 50G x2, 100G x3, 200G x2 (port.h bit numbers). */
export const EXT_ETH_CAPABILITY = [1, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13].reduce((m, b) => (m | (1 << b)) >>> 0, 0);
/** 200GAUI_2_200GBASE_CR2_KR2: what the link trains to with a 200G DAC. */
export const EXT_OPER_200G = 1 << 13;
/** Legacy modes: 40GBASE_CR4, 10GBASE_CR, 100GBASE_CR4, 25GBASE_CR, 50GBASE_CR2. */
export const ETH_CAPABILITY = [6, 12, 20, 27, 30].reduce((m, b) => (m | (1 << b)) >>> 0, 0);

/** Device clock: HCA_CAP.device_frequency_khz. */
export const DEVICE_FREQUENCY_KHZ = 1_000_000;

/** Diagnostic counters this firmware samples, with a rate (per second) for the model. */
export const DIAG_COUNTER_RATES: Readonly<Record<number, number>> = {
  0x0401: 12_000,
  0x0402: 3_500,
  0x0403: 1_200,
  0x0406: 7_800_000,
  0x0409: 40,
  0x040a: 15,
  0x040b: 90,
  0x1001: 2_400_000,
  0x2001: 0,
  0x2006: 2_350_000,
  0x2c02: 9_100_000,
  0x2c03: 0,
  0x2c04: 1_000,
};
export const LOG_MAX_DIAG_SAMPLES = 16;
export const LOG_MIN_SAMPLE_PERIOD = 10;

export function createState(seed: { index: number; serial: string }, now: number = Date.now()): Mlx5SimState {
  const macLow = ((seed.index * 0x10 + 0x3a) & 0xffffff).toString(16).padStart(6, '0');
  return {
    serial: seed.serial,
    index: seed.index,
    uid: 1,
    tools_resources: true,
    vhca_id: seed.index,
    // The device boots when it is created, not when it is first read: reads never change state.
    boot_ms: now,
    fw: { major: 28, minor: 39, sub_minor: 1002, build_id: 0x1f2e3d4c, year: 0x2024, month: 0x06, day: 0x11, hour: 0x1743 },
    psid: 'MT_0000000834',
    vsd: 'ConnectX-7 200GbE dual-port QSFP112 (accelctl simulator)',
    base_mac: `a088c2${macLow}`,
    ports: [{ admin_status: 1, oper_status: 1, ext_eth_proto_admin: EXT_ETH_CAPABILITY, up_since_ms: now }],
    diag: {
      enable: false,
      counters: [],
      log_num_of_samples: 0,
      log_sample_period: 0,
      single: false,
      repetitive: false,
      on_demand: false,
      sync: false,
      started_ms: 0,
    },
  };
}
