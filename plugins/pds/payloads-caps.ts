/**
 * Payload layouts of the catalogue operations behind the capability blocks
 * (config, reset, firmware versions, health, power). Same rules as payloads.ts:
 * little-endian, fixed sizes, decoders throw only ACCELCTL_E_MALFORMED_REPLY.
 *
 * The firmware-slot and health layouts borrow their vocabulary from pds_core,
 * which reads the same facts over its own device commands (devlink.c
 * pdsc_dl_info_get: slots fw.goldfw / fw.mainfwa / fw.mainfwb; core.h / pds_core_if.h:
 * fw_status RUNNING bit and generation nibble, fw_heartbeat). The byte layouts are
 * this firmware package's, not pds_core's device-command structs.
 */
import { defineStruct, malformedReply } from 'accelctl/sdk';

/* ---- system.get_fw_list ---- */

export const FW_SLOT_MAX = 4;
export const FwListHeader = defineStruct('pds_fw_list_hdr', 4, {
  numSlots: { at: 0, type: 'u8' },
  runningSlot: { at: 1, type: 'u8' },
  bootSlot: { at: 2, type: 'u8' },
});
export const FwSlot = defineStruct('pds_fw_slot', 44, {
  name: { at: 0, type: 'string', length: 8 },
  version: { at: 8, type: 'string', length: 32 },
  state: { at: 40, type: 'u8' },
});
export const FW_LIST_SIZE = FwListHeader.size + FW_SLOT_MAX * FwSlot.size;

export const SLOT_STATES = ['empty', 'valid', 'incomplete'] as const;

export interface FwSlotInfo {
  index: number;
  name: string;
  version: string;
  state: string;
}
export interface FwList {
  runningSlot: number;
  bootSlot: number;
  slots: FwSlotInfo[];
}

export function decodeFwList(bytes: Uint8Array): FwList {
  const head = FwListHeader.decode(bytes);
  if (head.numSlots > FW_SLOT_MAX) throw malformedReply(`get_fw_list: ${head.numSlots} slots, at most ${FW_SLOT_MAX} fit`);
  const slots: FwSlotInfo[] = [];
  for (let i = 0; i < head.numSlots; i++) {
    const slot = FwSlot.decode(bytes, FwListHeader.size + i * FwSlot.size);
    slots.push({ index: i, name: slot.name, version: slot.version, state: SLOT_STATES[slot.state] ?? `state(${slot.state})` });
  }
  return { runningSlot: head.runningSlot, bootSlot: head.bootSlot, slots };
}

export function decodeFwListJson(bytes: Uint8Array): Record<string, unknown> {
  const list = decodeFwList(bytes);
  return { running_slot: list.runningSlot, boot_slot: list.bootSlot, slots: list.slots.map((s) => `${s.name}=${s.version} (${s.state})`) };
}

/* ---- system.get_health ---- */

/** fw_status bits: RUNNING as pds_core's PDS_CORE_FW_STS_F_RUNNING; ERROR is this package's latch. */
export const FW_STS_RUNNING = 0x01;
export const FW_STS_ERROR = 0x02;
export const FW_STS_GENERATION = 0xf0;

export const THERMAL_STATES = ['normal', 'warning', 'critical'] as const;

export const Health = defineStruct('pds_health', 48, {
  fwStatus: { at: 0, type: 'u8' },
  thermalState: { at: 1, type: 'u8' },
  linkMask: { at: 2, type: 'u8' },
  portCount: { at: 3, type: 'u8' },
  heartbeat: { at: 4, type: 'u32le' },
  recoveries: { at: 8, type: 'u32le' },
  errorCount: { at: 12, type: 'u32le' },
  /** pds_core_status_code of the last firmware error. */
  lastErrorCode: { at: 16, type: 'u32le' },
  linkFlaps: { at: 20, type: 'u32le' },
  /** Unix seconds; 0 = never. */
  lastErrorTime: { at: 24, type: 'u64le' },
  thermalEvents: { at: 32, type: 'u32le' },
  lastLinkFlapTime: { at: 40, type: 'u64le' },
});

export function decodeHealthJson(bytes: Uint8Array): Record<string, unknown> {
  const h = Health.decode(bytes);
  return {
    fw_running: (h.fwStatus & FW_STS_RUNNING) !== 0,
    fw_error: (h.fwStatus & FW_STS_ERROR) !== 0,
    fw_generation: (h.fwStatus & FW_STS_GENERATION) >> 4,
    thermal_state: THERMAL_STATES[h.thermalState] ?? `state(${h.thermalState})`,
    link_mask: h.linkMask,
    port_count: h.portCount,
    heartbeat: h.heartbeat,
    recoveries: h.recoveries,
    error_count: h.errorCount,
    last_error_code: h.lastErrorCode,
    last_error_time: String(h.lastErrorTime),
    link_flaps: h.linkFlaps,
    thermal_events: h.thermalEvents,
    last_link_flap_time: String(h.lastLinkFlapTime),
  };
}

/* ---- system.get_power ---- */

export const Power = defineStruct('pds_power', 16, {
  boardMilliW: { at: 0, type: 'u32le' },
  asicMilliW: { at: 4, type: 'u32le' },
  inputMilliV: { at: 8, type: 'u32le' },
  limitMilliW: { at: 12, type: 'u32le' },
});

export function decodePowerJson(bytes: Uint8Array): Record<string, unknown> {
  const p = Power.decode(bytes);
  return { board_watts: p.boardMilliW / 1000, asic_watts: p.asicMilliW / 1000, input_volts: p.inputMilliV / 1000, limit_watts: p.limitMilliW / 1000 };
}

/* ---- system.reset ---- */

/** kind 0: restart the card's firmware (ports drop link; the boot slot and saved configuration load). */
export const ResetRequest = defineStruct('pds_reset_req', 4, { kind: { at: 0, type: 'u32le' } });
export const RESET_KIND_FW = 0;

/* ---- config.get_param / config.set_param ---- */

/**
 * A value cell: bool / int / enum index as u32 at offset 0, a string as
 * NUL-padded latin1 text (at most 31 characters, so a NUL always ends it).
 */
export const VALUE_CELL = 32;
export const STRING_MAX = VALUE_CELL - 1;

export const ParamRequest = defineStruct('pds_param_req', 4, { id: { at: 0, type: 'u32le' } });

/** flags bit 0: read-only; bit 1: staged value not yet committed to flash. */
export const PARAM_F_READ_ONLY = 0x1;
export const PARAM_F_UNCOMMITTED = 0x2;

export const ParamValues = defineStruct('pds_param_values', 104, {
  id: { at: 0, type: 'u32le' },
  flags: { at: 4, type: 'u32le' },
  default: { at: 8, type: 'bytes', length: VALUE_CELL },
  current: { at: 40, type: 'bytes', length: VALUE_CELL },
  nextBoot: { at: 72, type: 'bytes', length: VALUE_CELL },
});

export const ParamSet = defineStruct('pds_param_set', 40, {
  id: { at: 0, type: 'u32le' },
  value: { at: 8, type: 'bytes', length: VALUE_CELL },
});

export function numberCell(value: number): Uint8Array {
  const cell = new Uint8Array(VALUE_CELL);
  new DataView(cell.buffer).setUint32(0, value >>> 0, true);
  return cell;
}

export function stringCell(text: string): Uint8Array {
  const bytes = Buffer.from(text, 'latin1');
  const cell = new Uint8Array(VALUE_CELL);
  cell.set(bytes.subarray(0, STRING_MAX));
  return cell;
}

export function cellNumber(cell: Uint8Array): number {
  if (cell.length < 4) throw malformedReply(`value cell: need 4 bytes, have ${cell.length}`);
  return new DataView(cell.buffer, cell.byteOffset, cell.byteLength).getUint32(0, true);
}

export function cellString(cell: Uint8Array): string {
  const end = cell.indexOf(0);
  return Buffer.from(cell.subarray(0, end === -1 ? cell.length : end)).toString('latin1');
}

export function decodeParamValuesJson(bytes: Uint8Array): Record<string, unknown> {
  const v = ParamValues.decode(bytes);
  return {
    id: v.id,
    read_only: (v.flags & PARAM_F_READ_ONLY) !== 0,
    uncommitted: (v.flags & PARAM_F_UNCOMMITTED) !== 0,
    default_u32: cellNumber(v.default),
    current_u32: cellNumber(v.current),
    next_boot_u32: cellNumber(v.nextBoot),
  };
}
