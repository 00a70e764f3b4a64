/**
 * The simulated DSC over time: state upgrade for older fleets, counters and
 * sensors that move with the clock, the health-error fault, firmware restart
 * (system.reset), power cycle, and what a devlink flash (outside fwctl) leaves
 * in the firmware slots.
 */
import { defaultParams, loadSavedParams, PARAM_POWER_MODE } from './sim-config';
import { extraState, type FullState, type PdsSimState } from './sim-state';

/** Fleets created before the capability round lack these fields: add their defaults. */
export function ensureState(state: PdsSimState): FullState {
  const extra = extraState(defaultParams());
  state.params ??= extra.params;
  for (const [id, value] of Object.entries(extra.params)) state.params[id] ??= value;
  state.slots ??= extra.slots;
  state.runningSlot ??= extra.runningSlot;
  state.bootSlot ??= extra.bootSlot;
  state.health ??= extra.health;
  state.countersAt ??= 0;
  for (const port of state.ports) {
    port.savedMtu ??= port.mtu;
    port.linkUp ??= true;
  }
  return state as FullState;
}

/** pds_core_status_code the firmware latches for the injected health error (PDS_RC_EIO). */
export const HEALTH_FAULT_CODE = 3;

function appendLog(state: PdsSimState, line: string): void {
  state.log = (state.log + line + '\n').slice(-16_384);
}

/** The health-error fault latches a firmware error once; clearing it counts a recovery. */
export function observeFaults(state: FullState, faults: readonly string[], now: number): void {
  const faulted = faults.includes('health-error');
  if (faulted && !state.health.errorLatched) {
    state.health.errorLatched = true;
    state.health.errorCount += 1;
    state.health.lastErrorCode = HEALTH_FAULT_CODE;
    state.health.lastErrorAt = now;
    appendLog(state, 'health: firmware error latched (PDS_RC_EIO)');
  } else if (!faulted && state.health.errorLatched) {
    state.health.errorLatched = false;
    state.health.recoveries += 1;
    appendLog(state, 'health: firmware recovered');
  }
}

/* ---- counters: packets per millisecond while the link is up ---- */

const RX_PER_MS = 1500n;
const TX_PER_MS = 1200n;
const RX_BYTES_PER_PACKET = 1024n;
const TX_BYTES_PER_PACKET = 1100n;
/** One receive error per minute of traffic (CRC errors on a real link). */
const ERROR_PERIOD_MS = 60_000;

export type PortCounters = Record<'rxPackets' | 'txPackets' | 'rxBytes' | 'txBytes' | 'rxErrors' | 'txErrors', bigint>;

/**
 * A port's counters at `now`: what was stored at `countersAt` plus the traffic
 * since, while the link is up. Reading them changes nothing (a read-only RPC must
 * not rewrite the device); traffic depends on elapsed time, not on how often anyone reads.
 */
export function portCounters(state: FullState, port: FullState['ports'][number], now: number): PortCounters {
  const stored: PortCounters = {
    rxPackets: BigInt(port.rxPackets),
    txPackets: BigInt(port.txPackets),
    rxBytes: BigInt(port.rxBytes),
    txBytes: BigInt(port.txBytes),
    rxErrors: BigInt(port.rxErrors),
    txErrors: BigInt(port.txErrors),
  };
  const since = state.countersAt;
  if (since === 0 || now <= since || !port.adminUp || port.linkUp === false) return stored;
  const ms = BigInt(now - since);
  return {
    ...stored,
    rxPackets: stored.rxPackets + ms * RX_PER_MS,
    txPackets: stored.txPackets + ms * TX_PER_MS,
    rxBytes: stored.rxBytes + ms * RX_PER_MS * RX_BYTES_PER_PACKET,
    txBytes: stored.txBytes + ms * TX_PER_MS * TX_BYTES_PER_PACKET,
    rxErrors: stored.rxErrors + BigInt(Math.floor(now / ERROR_PERIOD_MS) - Math.floor(since / ERROR_PERIOD_MS)),
  };
}

/* ---- sensors: slow waves over a ten-minute period ---- */

const wave = (now: number, phase: number): number => Math.sin((2 * Math.PI * now) / 600_000 + phase);
const POWER_SCALE = [1, 1.12, 0.8]; // balanced, performance, low_power

export function temperatures(state: FullState, now: number): { asic: number; board: number; hbm: number; critical: number } {
  return {
    asic: Math.round(61_500 + state.index * 250 + 3_000 * wave(now, 0)),
    board: Math.round(44_000 + state.index * 125 + 1_500 * wave(now, 1)),
    hbm: Math.round(58_250 + 2_000 * wave(now, 2)),
    critical: 110_000,
  };
}

export function power(state: FullState, now: number): { board: number; asic: number; input: number; limit: number } {
  const scale = POWER_SCALE[Number(state.params[String(PARAM_POWER_MODE)]?.current ?? 0)] ?? 1;
  return {
    board: Math.round((62_000 + 6_000 * wave(now, 0.5)) * scale),
    asic: Math.round((38_000 + 4_000 * wave(now, 0.5)) * scale),
    input: Math.round(12_050 + 40 * wave(now, 3)),
    limit: 75_000,
  };
}

/** Thermal state the firmware reports: warning 15 °C below critical, critical at it. */
export function thermalState(state: FullState, now: number): number {
  const t = temperatures(state, now);
  if (t.asic >= t.critical) return 2;
  return t.asic >= t.critical - 15_000 ? 1 : 0;
}

/** Heartbeat: ticks once a second while the firmware runs. */
export function heartbeat(state: FullState, now: number): number {
  return state.bootedAt === 0 ? 0 : Math.floor(Math.max(0, now - state.bootedAt) / 1000) % 2 ** 32;
}

/* ---- restart, power cycle, devlink flash ---- */

function bootFirmware(state: FullState): void {
  const boot = state.slots[state.bootSlot];
  if (boot && boot.state === 'valid') state.runningSlot = state.bootSlot;
  else state.bootSlot = state.runningSlot; // an unusable boot slot falls back to the one that ran
  state.fwVersion = state.slots[state.runningSlot]?.version ?? state.fwVersion;
  state.health.generation = (state.health.generation + 1) & 0xf;
  state.health.errorLatched = false;
  state.pending = 0;
  for (const port of state.ports) {
    port.mtu = port.savedMtu ?? port.mtu;
    for (const key of ['rxPackets', 'txPackets', 'rxBytes', 'txBytes', 'rxErrors', 'txErrors'] as const) port[key] = '0';
  }
  loadSavedParams(state);
}

/** system.reset kind 0: the firmware restarts; links drop and come back. */
export function restartFirmware(state: FullState, now: number): void {
  bootFirmware(state);
  state.bootedAt = now;
  state.countersAt = now;
  const up = state.ports.filter((p) => p.adminUp).length;
  state.health.linkFlaps += up;
  if (up > 0) state.health.lastLinkFlapAt = now;
  appendLog(state, `boot: firmware ${state.fwVersion} up (restart, slot ${state.slots[state.runningSlot]?.name})`);
}

/** Power off and on: like a restart, and volatile state (LED, clock) is gone. */
export function powerCycle(state: PdsSimState): void {
  const full = ensureState(state);
  bootFirmware(full);
  full.ledOn = false;
  full.bootedAt = 0;
  full.countersAt = 0;
  appendLog(full, `boot: firmware ${full.fwVersion} up (power cycle)`);
}

/**
 * What pds_core's devlink flash does to the slots (outside fwctl, for tests and
 * for `sim` fleets): write the main slot that is not running and select it for boot.
 * `complete: false` models a download that stopped part-way.
 */
export function devlinkInstall(state: PdsSimState, version: string, complete = true): void {
  const full = ensureState(state);
  const target = full.runningSlot === 1 ? 2 : 1;
  full.slots[target] = { name: target === 1 ? 'mainfwa' : 'mainfwb', version, state: complete ? 'valid' : 'incomplete' };
  if (complete) full.bootSlot = target;
}
