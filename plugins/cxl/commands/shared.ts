/**
 * What the feature commands share: reading the Supported Features table,
 * finding a feature by UUID, name or index, and describing an entry.
 */
import { AccelError, malformedReply, scopeName, type CommandContext } from 'accelctl/sdk';
import { decodeEffects } from '../effects';
import { cachedFeatureTable } from '../feature-table';
import { FIELD_WIDTH, isUuidText, knownFeature, knownFeatureByName, uuidToBytes, type FeatureField, type KnownFeature } from '../features';
import { setVerdict } from '../protocol';
import { decodeOut, encodeGetFeature, type FeatureEntry } from '../requests';
import { FeatFlag, RESET_PERSISTENCE } from '../uapi';

/** The Supported Features table, once per command run (the per-device cache the classifier shares). */
export function featureTable(context: CommandContext): Promise<FeatureEntry[]> {
  return cachedFeatureTable(context.cache, (r) => context.rpc(r));
}

export interface Located {
  index: number;
  entry: FeatureEntry;
  known: KnownFeature | undefined;
}

/** FEATURE: a UUID, a known name (patrol-scrub, thermal-throttle, ...) or an index from `features`. */
export function locate(table: readonly FeatureEntry[], text: string): Located {
  const wanted = text.trim().toLowerCase();
  let index = -1;
  if (isUuidText(wanted)) index = table.findIndex((e) => e.uuid === wanted);
  else if (/^\d+$/.test(wanted)) index = Number(wanted) < table.length ? Number(wanted) : -1;
  else {
    const known = knownFeatureByName(wanted);
    if (!known) {
      throw new AccelError('ACCELCTL_E_USAGE', `unknown feature '${text}'`, { hint: "give a UUID, a name or an index from 'accelctl cxl features DEV'" });
    }
    index = table.findIndex((e) => e.uuid === known.uuid);
  }
  if (index < 0) {
    throw new AccelError('ACCELCTL_E_USAGE', `the device does not support feature '${text}'`, { hint: "see 'accelctl cxl features DEV'" });
  }
  const entry = table[index]!;
  return { index, entry, known: knownFeature(entry.uuid) };
}

/** "debug_write_full", "debug_write", or "refused: <why>", as the driver decides. */
export function setRequirement(entry: FeatureEntry): string {
  const v = setVerdict(entry);
  if (v.ok) return scopeName(v.scope);
  const why = { 'kernel-owned': 'kernel-owned', 'not-changeable': 'not changeable', 'reserved-effects': 'effects (reserved bits)', background: 'effects (background operation)', 'no-effects': 'effects (none declared)' }[v.reason];
  return `refused: ${why}`;
}

export interface FeatureRow {
  index: number;
  uuid: string;
  name: string | null;
  title: string | null;
  origin: 'spec' | 'vendor' | 'unknown';
  id: number;
  get_size: number;
  set_size: number;
  get_version: number;
  set_version: number;
  flags: string;
  changeable: boolean;
  persistent_across_fw_update: boolean;
  default_selection: boolean;
  saved_selection: boolean;
  reset_persistence: string;
  effects: string;
  effects_decoded: string[];
  kernel_owned: boolean;
  set_feature: string;
}

export function describe(index: number, entry: FeatureEntry): FeatureRow {
  const known = knownFeature(entry.uuid);
  const persistence = (entry.flags & FeatFlag.RESET_PERSISTENCE_MASK) >> 1;
  return {
    index,
    uuid: entry.uuid,
    name: known?.name ?? null,
    title: known?.title ?? null,
    origin: known?.origin ?? 'unknown',
    id: entry.id,
    get_size: entry.get_feat_size,
    set_size: entry.set_feat_size,
    get_version: entry.get_feat_ver,
    set_version: entry.set_feat_ver,
    flags: `0x${entry.flags.toString(16).padStart(8, '0')}`,
    changeable: (entry.flags & FeatFlag.CHANGEABLE) !== 0,
    persistent_across_fw_update: (entry.flags & FeatFlag.PERSIST_FW_UPDATE) !== 0,
    default_selection: (entry.flags & FeatFlag.DEFAULT_SEL) !== 0,
    saved_selection: (entry.flags & FeatFlag.SAVED_SEL) !== 0,
    reset_persistence: RESET_PERSISTENCE[persistence] ?? `reserved (${persistence})`,
    effects: `0x${entry.effects.toString(16).padStart(4, '0')}`,
    effects_decoded: decodeEffects(entry.effects),
    kernel_owned: known?.kernelOwned ?? false,
    set_feature: setRequirement(entry),
  };
}

export function displayName(row: { name: string | null; origin: string }): string {
  if (!row.name) return '(unknown)';
  return row.origin === 'vendor' ? `${row.name} (vendor)` : row.name;
}

/** Get Feature, checking the driver's "nothing returned" answer. */
export async function readFeature(context: CommandContext, entry: FeatureEntry, selection: number, offset: number, count: number): Promise<Uint8Array> {
  const reply = await context.rpc(encodeGetFeature(uuidToBytes(entry.uuid), offset, count, selection));
  const out = decodeOut(reply);
  if (out.size === 0) {
    // cxl_get_feature() returns nothing (retval SUCCESS) when the device gave fewer bytes than asked.
    throw new AccelError('ACCELCTL_E_DEVICE_STATUS', `Get Feature returned no data for ${count} bytes at offset ${offset}`, {
      hint: `the feature has ${entry.get_feat_size} bytes; ask for at most ${Math.max(0, entry.get_feat_size - offset)}`,
    });
  }
  if (out.size > count) throw malformedReply(`Get Feature returned ${out.size} bytes for ${count} asked`);
  return out.payload;
}

export function readInt(data: Uint8Array, f: FeatureField): number | undefined {
  const width = FIELD_WIDTH[f.type];
  if (f.at + width > data.length) return undefined;
  let v = 0;
  for (let i = width - 1; i >= 0; i--) v = v * 256 + data[f.at + i]!;
  return v;
}

/** Decode known fields of `data` (read from offset 0). */
export function decodeFields(layout: readonly FeatureField[] | undefined, data: Uint8Array): Record<string, number> | null {
  if (!layout) return null;
  const out: Record<string, number> = {};
  for (const f of layout) {
    const v = readInt(data, f);
    if (v !== undefined) out[f.name] = v;
  }
  return out;
}

export function writeInt(data: Uint8Array, f: FeatureField, value: number): void {
  const width = FIELD_WIDTH[f.type];
  if (!Number.isSafeInteger(value) || value < 0 || value >= 2 ** (8 * width)) {
    throw new AccelError('ACCELCTL_E_USAGE', `${f.name}: ${value} does not fit in ${f.type}`);
  }
  if (f.at + width > data.length) throw new AccelError('ACCELCTL_E_USAGE', `${f.name} lies outside the ${data.length}-byte set data`);
  let v = value;
  for (let i = 0; i < width; i++) {
    data[f.at + i] = v % 256;
    v = Math.floor(v / 256);
  }
}

export function hexData(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}
