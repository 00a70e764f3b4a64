/**
 * The simulated device's mailbox (CXL r3.2 §8.2.9.6): Get Supported Features,
 * Get Feature, Set Feature as the hardware answers them, with spec return codes.
 * The kernel driver model (sim-driver.ts) is the only caller, as on a real
 * system where only the cxl driver touches the mailbox.
 */
import { applyWrite, UUID, valuesValid, type SimFeature } from './sim-catalog';
import { telemetryImage, type DeviceEnv, type SimHealth } from './sim-telemetry';
import { MboxRc } from './retcodes';
import { FeatEntry, FeatFlag, GetFeatIn, GetSupFeatsIn, GetSupFeatsOutHeader, Opcode, SetFeatInHeader, SET_FEAT_SAVED_ACROSS_RESET, SET_FEAT_TRANSFER_MASK, Transfer } from './uapi';

/** An Initiate … Finish transfer in progress (a single one per device). */
export interface SimTransfer {
  uuid: string;
  start: number;
  data: string;
}

export interface DeviceState {
  /** Mailbox payload size in bytes (2^8 .. 2^20; 256 is the spec minimum). */
  payload_size: number;
  features: SimFeature[];
  transfer: SimTransfer | null;
  /** Power-on time and health bookkeeping behind the telemetry feature. */
  health: SimHealth;
}

/** Effects bits 1–4 (immediate) and 0, 10, 11 (after a cold, conventional or CXL reset). */
const IMMEDIATE_EFFECTS = 0x001e;
const RESET_EFFECTS = 0x0c01;

/** A feature whose changes the device applies only at its next reset. */
export function appliesAtReset(f: Pick<SimFeature, 'effects'>): boolean {
  return !(f.effects & IMMEDIATE_EFFECTS) && (f.effects & RESET_EFFECTS) !== 0;
}

const NO_ENV: DeviceEnv = { now: 0, faults: [] };

export interface MboxResult {
  rc: number;
  out: Uint8Array;
}

const fail = (rc: number): MboxResult => ({ rc, out: new Uint8Array(0) });

const uuidText = (b: Uint8Array): string => {
  const h = Buffer.from(b).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
};

function find(state: DeviceState, uuid: Uint8Array): SimFeature | undefined {
  const text = uuidText(uuid);
  return state.features.find((f) => f.uuid === text);
}

/** Get Supported Features: `count` bytes of output (header included) from `start_idx`. */
function getSupportedFeatures(state: DeviceState, input: Uint8Array, sizeOut: number): MboxResult {
  if (input.length !== GetSupFeatsIn.size) return fail(MboxRc.PAYLOADLEN);
  const { count, start_idx: start } = GetSupFeatsIn.decode(input);
  const total = state.features.length;
  if (count < GetSupFeatsOutHeader.size || start > total) return fail(MboxRc.INPUT);
  const room = Math.min(count, sizeOut, state.payload_size) - GetSupFeatsOutHeader.size;
  const n = Math.max(0, Math.min(Math.floor(room / FeatEntry.size), total - start));
  const out = new Uint8Array(GetSupFeatsOutHeader.size + n * FeatEntry.size);
  GetSupFeatsOutHeader.write(out, { num_entries: n, supported_feats: total });
  for (let i = 0; i < n; i++) {
    const f = state.features[start + i]!;
    FeatEntry.write(
      out,
      { uuid: new Uint8Array(Buffer.from(f.uuid.replace(/-/g, ''), 'hex')), id: start + i, get_feat_size: f.get_size, set_feat_size: f.set_size, flags: f.flags, get_feat_ver: f.get_ver, set_feat_ver: f.set_ver, effects: f.effects },
      GetSupFeatsOutHeader.size + i * FeatEntry.size,
    );
  }
  return { rc: MboxRc.SUCCESS, out };
}

/** Get Feature: `count` bytes from `offset` of the selected value. */
function getFeature(state: DeviceState, input: Uint8Array, sizeOut: number, env: DeviceEnv): MboxResult {
  if (input.length !== GetFeatIn.size) return fail(MboxRc.PAYLOADLEN);
  const req = GetFeatIn.decode(input);
  const f = find(state, req.uuid);
  if (!f) return fail(MboxRc.UNSUPPORTED);
  if (req.selection > 2) return fail(MboxRc.INPUT);
  if ((req.selection === 1 && !(f.flags & FeatFlag.DEFAULT_SEL)) || (req.selection === 2 && !(f.flags & FeatFlag.SAVED_SEL))) {
    return fail(MboxRc.FEATURESELVALUE);
  }
  if (req.offset >= f.get_size) return fail(MboxRc.INPUT);
  const value = f.uuid === UUID.TELEMETRY ? telemetryImage(state.health, state.features, env) : Buffer.from([f.current, f.default, f.saved][req.selection]!, 'hex');
  const n = Math.min(req.count, f.get_size - req.offset, sizeOut, state.payload_size);
  return { rc: MboxRc.SUCCESS, out: new Uint8Array(value.subarray(req.offset, req.offset + n)) };
}

/**
 * Apply written data. An immediate feature changes its current value (and its
 * saved one with saved-across-reset); a reset-only feature keeps running with
 * its current value and changes what the next reset applies: the saved value,
 * or with the saved bit clear a one-time pending value.
 */
function commit(f: SimFeature, start: number, data: Uint8Array, saved: boolean): number {
  if (start + data.length > f.set_size) return MboxRc.INPUT;
  const later = appliesAtReset(f);
  const image = new Uint8Array(Buffer.from(later ? (f.pending ?? f.saved) : f.current, 'hex'));
  applyWrite(f.uuid, image, start, data);
  if (!valuesValid(f.uuid, image)) return MboxRc.INPUT;
  const text = Buffer.from(image).toString('hex');
  if (!later) {
    f.current = text;
    if (saved) f.saved = text;
  } else if (saved) {
    f.saved = text;
    delete f.pending;
  } else {
    f.pending = text;
  }
  return MboxRc.SUCCESS;
}

/**
 * A reset or power cycle: every feature runs its next-boot value (a one-time
 * pending value, else the saved one), a transfer in progress is lost and the
 * power-on clock restarts. Persistent counters stay.
 */
export function deviceReset(state: DeviceState, now: number = Date.now()): void {
  for (const f of state.features) {
    f.current = f.pending ?? f.saved;
    delete f.pending;
  }
  state.transfer = null;
  state.health.boot_ms = now;
  state.health.throttled = false;
}

/** Set Feature: full transfer, or Initiate / Continue / Finish / Abort. */
function setFeature(state: DeviceState, input: Uint8Array): MboxResult {
  if (input.length < SetFeatInHeader.size || input.length > state.payload_size) return fail(MboxRc.PAYLOADLEN);
  const hdr = SetFeatInHeader.decode(input);
  const data = input.subarray(SetFeatInHeader.size);
  const action = hdr.flags & SET_FEAT_TRANSFER_MASK;
  const saved = (hdr.flags & SET_FEAT_SAVED_ACROSS_RESET) !== 0;
  if (action === Transfer.ABORT) {
    state.transfer = null;
    return fail(MboxRc.SUCCESS);
  }
  if (action > Transfer.ABORT) return fail(MboxRc.INPUT);
  const f = find(state, hdr.uuid);
  if (!f) return fail(MboxRc.UNSUPPORTED);
  if (!(f.flags & FeatFlag.CHANGEABLE)) return fail(MboxRc.UNSUPPORTED);
  if (hdr.version !== f.set_ver) return fail(MboxRc.FEATUREVERSION);

  if (action === Transfer.FULL || action === Transfer.INITIATE) {
    if (state.transfer) return fail(MboxRc.FEATURETRANSFERIP);
    if (hdr.offset + data.length > f.set_size) return fail(MboxRc.INPUT);
    if (action === Transfer.FULL) return fail(commit(f, hdr.offset, data, saved));
    state.transfer = { uuid: f.uuid, start: hdr.offset, data: Buffer.from(data).toString('hex') };
    return fail(MboxRc.SUCCESS);
  }
  // Continue / Finish: same feature, next contiguous offset.
  const t = state.transfer;
  if (!t || t.uuid !== f.uuid || hdr.offset !== t.start + t.data.length / 2) return fail(MboxRc.FEATURETRANSFEROOO);
  t.data += Buffer.from(data).toString('hex');
  if (t.start + t.data.length / 2 > f.set_size) {
    state.transfer = null;
    return fail(MboxRc.INPUT);
  }
  if (action === Transfer.CONTINUE) return fail(MboxRc.SUCCESS);
  state.transfer = null;
  return fail(commit(f, t.start, new Uint8Array(Buffer.from(t.data, 'hex')), saved));
}

/** One mailbox command. `sizeOut` is the output buffer the host offers. */
export function mailbox(state: DeviceState, opcode: number, input: Uint8Array, sizeOut: number, env: DeviceEnv = NO_ENV): MboxResult {
  switch (opcode) {
    case Opcode.GET_SUPPORTED_FEATURES:
      return getSupportedFeatures(state, input, sizeOut);
    case Opcode.GET_FEATURE:
      return getFeature(state, input, sizeOut, env);
    case Opcode.SET_FEATURE:
      return setFeature(state, input);
    default:
      return fail(MboxRc.UNSUPPORTED);
  }
}
