/**
 * State of a simulated Pensando DSC: plain JSON (numbers, strings, arrays), as
 * the simulator persists it. 64-bit counters are decimal strings.
 */
import { defaultParams } from './sim-config';

export interface PortState {
  mtu: number;
  speedMbps: number;
  fec: number;
  autoneg: boolean;
  adminUp: boolean;
  rxPackets: string;
  txPackets: string;
  rxBytes: string;
  txBytes: string;
  rxErrors: string;
  txErrors: string;
  /** Resets per SerDes lane (changes the lane's register snapshot). */
  laneResets: number[];
  /** MTU saved in flash by commit_config (a firmware restart loads it). */
  savedMtu?: number;
  /** Physical link state (admin state is adminUp). */
  linkUp?: boolean;
}

/** A persistent parameter as the firmware keeps it: value now, staged for next boot, saved in flash. */
export interface ParamState {
  current: number | string;
  staged: number | string;
  saved: number | string;
}

/** A firmware slot as pds_core names them (fw.goldfw, fw.mainfwa, fw.mainfwb). */
export interface SlotState {
  name: string;
  version: string;
  state: 'empty' | 'valid' | 'incomplete';
}

export interface HealthState {
  /** Firmware generation nibble (bumps on every restart, as pds_core's fw_generation). */
  generation: number;
  errorCount: number;
  lastErrorCode: number;
  /** ms since the epoch; 0 = never. */
  lastErrorAt: number;
  recoveries: number;
  /** The firmware's error latch (set while the health-error fault is injected). */
  errorLatched: boolean;
  linkFlaps: number;
  lastLinkFlapAt: number;
  thermalEvents: number;
}

/** What this round added; fleets created before it get these on first use (ensureState). */
export interface PdsSimExtra {
  params: Record<string, ParamState>;
  slots: SlotState[];
  runningSlot: number;
  bootSlot: number;
  health: HealthState;
  /** ms since the epoch when the port counters were last advanced; 0 = not yet. */
  countersAt: number;
}

export interface PdsSimState {
  serial: string;
  fwVersion: string;
  asicType: number;
  asicRev: number;
  /** ms since the epoch when the card booted; 0 until the first RPC sees a clock. */
  bootedAt: number;
  ledOn: boolean;
  /** Configuration generation in flash, and changes made since the last commit. */
  generation: number;
  pending: number;
  ports: PortState[];
  /** Firmware log text. */
  log: string;
  /** CSR writes: hex address -> value. */
  csr: Record<string, number>;
  /** Seeds sensor readings so fleets differ. */
  index: number;
  params?: PdsSimExtra['params'];
  slots?: PdsSimExtra['slots'];
  runningSlot?: number;
  bootSlot?: number;
  health?: HealthState;
  countersAt?: number;
}

export type FullState = PdsSimState & PdsSimExtra;

export const LANES_PER_PORT = 4;

export function createState(seed: { index: number; serial: string }): PdsSimState {
  const base = 1_000_000 + seed.index * 7919;
  const port = (n: number): PortState => ({
    mtu: 9000,
    speedMbps: 100_000,
    fec: 2,
    autoneg: false,
    adminUp: true,
    rxPackets: String(base * (n + 3)),
    txPackets: String(base * (n + 2)),
    rxBytes: String(base * (n + 3) * 1024),
    txBytes: String(base * (n + 2) * 1100),
    rxErrors: String(n + seed.index),
    txErrors: '0',
    laneResets: Array.from({ length: LANES_PER_PORT }, () => 0),
    savedMtu: 9000,
    linkUp: true,
  });
  return {
    serial: seed.serial,
    fwVersion: '1.68.0-E-56',
    asicType: 2, // Elba (pds_core_if.h names Capri 0; Elba is the DSC-2x generation)
    asicRev: 0,
    bootedAt: 0,
    ledOn: false,
    generation: 1,
    pending: 0,
    ports: [port(0), port(1)],
    log: 'boot: firmware 1.68.0-E-56 up\nport0: link up 100G RS-FEC\nport1: link up 100G RS-FEC\n',
    csr: {},
    index: seed.index,
    ...extraState(defaultParams()),
  };
}

export const FW_VERSION_GOLD = '1.60.0-G-12';
export const FW_VERSION_MAIN = '1.68.0-E-56';
export const FW_VERSION_OTHER = '1.66.1-E-20';

/** Defaults of what this round added (the parameter table's defaults come from sim-config.ts). */
export function extraState(params: Record<string, ParamState> = {}): PdsSimExtra {
  return {
    params,
    slots: [
      { name: 'goldfw', version: FW_VERSION_GOLD, state: 'valid' },
      { name: 'mainfwa', version: FW_VERSION_MAIN, state: 'valid' },
      { name: 'mainfwb', version: FW_VERSION_OTHER, state: 'valid' },
    ],
    runningSlot: 1,
    bootSlot: 1,
    health: { generation: 1, errorCount: 0, lastErrorCode: 0, lastErrorAt: 0, recoveries: 0, errorLatched: false, linkFlaps: 0, lastLinkFlapAt: 0, thermalEvents: 0 },
    countersAt: 0,
  };
}
