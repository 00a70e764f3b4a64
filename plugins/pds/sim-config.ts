/**
 * The simulated firmware's persistent-parameter store behind the config
 * endpoint (config.get_param / config.set_param) and system.commit_config.
 * Written from the firmware's side (ids, u32 ranges, string cells); the plugin's
 * names and types are in config-params.ts, and a test checks the two agree.
 *
 * Each parameter keeps three values: current (in effect), staged (set_param),
 * saved (flash, written by commit_config). A firmware restart loads saved into
 * current and staged, so an uncommitted set_param is lost, never half-applied.
 */
import * as C from './payloads-caps';
import type { FullState, ParamState } from './sim-state';

export interface FirmwareParam {
  id: number;
  /** u32 (bool/int/enum index, validated against min..max) or a 31-character string. */
  cell: 'u32' | 'string';
  min: number;
  max: number;
  default: number | string;
  /** immediate: set_param also changes the value in effect. */
  immediate: boolean;
  readOnly: boolean;
}

export const FIRMWARE_PARAMS: readonly FirmwareParam[] = [
  { id: 1, cell: 'u32', min: 0, max: 1, default: 1, immediate: false, readOnly: false }, // SR-IOV enable
  { id: 2, cell: 'u32', min: 0, max: 64, default: 16, immediate: false, readOnly: false }, // VF count
  { id: 3, cell: 'u32', min: 0, max: 1, default: 0, immediate: false, readOnly: false }, // vnet (vDPA)
  { id: 4, cell: 'u32', min: 0, max: 3, default: 2, immediate: true, readOnly: false }, // FEC: none fc rs auto
  { id: 5, cell: 'u32', min: 0, max: 1, default: 1, immediate: true, readOnly: false }, // LLDP agent
  { id: 6, cell: 'u32', min: 0, max: 1, default: 0, immediate: false, readOnly: false }, // PXE option ROM
  { id: 7, cell: 'u32', min: 0, max: 2, default: 0, immediate: false, readOnly: false }, // power profile
  { id: 8, cell: 'string', min: 0, max: C.STRING_MAX, default: '', immediate: true, readOnly: false }, // asset label
  { id: 9, cell: 'u32', min: 0, max: 1, default: 1, immediate: false, readOnly: true }, // secure boot
];

export const PARAM_FEC = 4;
export const PARAM_POWER_MODE = 7;

export function defaultParams(): Record<string, ParamState> {
  const params: Record<string, ParamState> = {};
  for (const p of FIRMWARE_PARAMS) params[String(p.id)] = { current: p.default, staged: p.default, saved: p.default };
  return params;
}

function cellOf(param: FirmwareParam, value: number | string): Uint8Array {
  return param.cell === 'string' ? C.stringCell(String(value)) : C.numberCell(Number(value));
}

/** Apply a value that takes effect now to the rest of the model. */
export function applyEffect(state: FullState, id: number, value: number | string): void {
  if (id === PARAM_FEC) for (const port of state.ports) port.fec = Number(value);
}

export type ParamResult = { err: number; response?: Uint8Array };

export function getParam(state: FullState, id: number): ParamResult {
  const param = FIRMWARE_PARAMS.find((p) => p.id === id);
  const values = state.params[String(id)];
  if (!param || !values) return { err: 7 }; // PDS_RC_ENOENT
  const flags = (param.readOnly ? C.PARAM_F_READ_ONLY : 0) | (values.staged !== values.saved ? C.PARAM_F_UNCOMMITTED : 0);
  return {
    err: 0,
    // next_boot is what flash will load: the saved value.
    response: C.ParamValues.encode({ id, flags, default: cellOf(param, param.default), current: cellOf(param, values.current), nextBoot: cellOf(param, values.saved) }),
  };
}

export function setParam(state: FullState, request: Uint8Array): ParamResult {
  if (request.length < C.ParamSet.size) return { err: 14 }; // PDS_RC_EINVAL
  const { id, value } = C.ParamSet.decode(request);
  const param = FIRMWARE_PARAMS.find((p) => p.id === id);
  const values = state.params[String(id)];
  if (!param || !values) return { err: 7 };
  if (param.readOnly) return { err: 4 }; // PDS_RC_EPERM
  let next: number | string;
  if (param.cell === 'string') {
    if (value[C.STRING_MAX] !== 0) return { err: 14 }; // no terminating NUL
    next = C.cellString(value);
    if (!/^[\x20-\x7e]*$/.test(next)) return { err: 14 };
  } else {
    next = C.cellNumber(value);
    if (next < param.min || next > param.max) return { err: 16 }; // PDS_RC_ERANGE
  }
  values.staged = next;
  if (param.immediate) {
    values.current = next;
    applyEffect(state, id, next);
  }
  return { err: 0 };
}

/** commit_config's part for parameters: staged → saved; returns how many changed. */
export function commitParams(state: FullState): number {
  let changed = 0;
  for (const values of Object.values(state.params)) {
    if (values.staged !== values.saved) {
      values.saved = values.staged;
      changed += 1;
    }
  }
  return changed;
}

/** A firmware restart: flash values load. */
export function loadSavedParams(state: FullState): void {
  for (const [id, values] of Object.entries(state.params)) {
    values.current = values.saved;
    values.staged = values.saved;
    applyEffect(state, Number(id), values.saved);
  }
}
