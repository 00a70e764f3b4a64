/**
 * State of a simulated Pensando DSC: plain JSON (numbers, strings, arrays), as
 * the simulator persists it. 64-bit counters are decimal strings.
 */

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
}

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
  };
}
