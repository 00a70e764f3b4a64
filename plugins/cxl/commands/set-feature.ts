/**
 * `accelctl cxl set-feature DEV FEATURE (--data HEX | --fields k=v,...) [--saved]`:
 * Set Feature (0x0502). mutate-debug: the scope comes from the feature's
 * effects (immediate → DEBUG_WRITE_FULL, reset-only → DEBUG_WRITE) and the
 * kernel taints. Kernel-owned, read-only and effects-refused features are
 * refused before anything is sent.
 */
import { AccelError, defineCommand, fields, note, option, parseHex, z, type View } from 'accelctl/sdk';
import type { FeatureField } from '../features';
import { RPC_NAMES, setVerdict } from '../protocol';
import { encodeSetFeature, type FeatureEntry } from '../requests';
import { applyMode } from '../config';
import { FeatFlag, Selection, SET_FEAT_SAVED_ACROSS_RESET, Transfer } from '../uapi';
import { decodeFields, describe, displayName, featureTable, hexData, locate, readFeature, setRequirement, writeInt, type FeatureRow, type Located } from './shared';

export interface SetFeatureResult {
  feature: FeatureRow;
  scope: string;
  offset: number;
  data: string;
  flags: string;
  saved_across_reset: boolean;
  current: string;
  /** The saved (next-boot) value, where the feature has a saved selection. */
  saved: string | null;
  /** 'now' for immediate effects; 'reset' when the effects say the change waits for a reset. */
  takes_effect: 'now' | 'reset';
  fields: Record<string, number> | null;
}

function parseAssignments(text: string): [string, number][] {
  return text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const m = /^([a-z0-9_]+)=(0x[0-9a-f]+|\d+)$/i.exec(part);
      if (!m) throw new AccelError('ACCELCTL_E_USAGE', `bad field assignment '${part}'`, { hint: 'write NAME=VALUE[,NAME=VALUE...], e.g. throttle_temp_c=90' });
      return [m[1]!.toLowerCase(), Number(m[2])] as [string, number];
    });
}

/** Whole set data for --fields: start from the current value, change the named fields. */
async function dataFromFields(context: Parameters<typeof readFeature>[0], found: Located, text: string): Promise<Uint8Array> {
  const read = found.known?.read;
  const layout: readonly FeatureField[] | undefined = found.known?.write ?? read;
  if (!layout || !read) {
    throw new AccelError('ACCELCTL_E_USAGE', 'accelctl does not know the fields of this feature', { hint: 'give the bytes with --data HEX' });
  }
  const entry: FeatureEntry = found.entry;
  // Build on the next-boot value where the device has one: a reset-only feature's
  // pending change is there, not in the current value.
  const base = entry.flags & FeatFlag.SAVED_SEL ? Selection.saved : Selection.current;
  const current = await readFeature(context, entry, base, 0, entry.get_feat_size);
  const values = decodeFields(read, current) ?? {};
  const data = new Uint8Array(entry.set_feat_size);
  if (!found.known?.write) data.set(current.subarray(0, data.length));
  else for (const f of layout) if (values[f.name] !== undefined) writeInt(data, f, values[f.name]!);
  for (const [name, value] of parseAssignments(text)) {
    const f = layout.find((x) => x.name === name);
    if (!f) throw new AccelError('ACCELCTL_E_USAGE', `no field '${name}'`, { hint: `fields: ${layout.map((x) => x.name).join(', ')}` });
    writeInt(data, f, value);
  }
  return data;
}

export const setFeature = defineCommand({
  name: 'set-feature',
  summary: 'Change a feature (mutate-debug: needs --allow-mutate, taints the kernel)',
  description:
    'FEATURE is a UUID, a known name or an index from `accelctl cxl features`. Give the new data as --data HEX ' +
    '(at --offset) or as --fields NAME=VALUE,... for features whose layout accelctl knows. The kernel decides the ' +
    'scope from the effects bits: an immediate effect needs debug_write_full (CAP_SYS_RAWIO), reset-only effects ' +
    'need debug_write; other features are refused. The kernel always sets "saved across reset" and chooses the ' +
    'data transfer action itself.',
  rpcClass: 'mutate-debug',
  rpcs: [RPC_NAMES.GET_SUPPORTED_FEATURES, RPC_NAMES.GET_FEATURE, RPC_NAMES.SET_FEATURE_AFTER_RESET, RPC_NAMES.SET_FEATURE_IMMEDIATE],
  args: [{ name: 'feature', description: 'UUID, name or index of the feature', required: true }],
  options: {
    data: option(z.string().optional(), 'new feature data as hex', { valueName: 'HEX' }),
    fields: option(z.string().optional(), 'fields to change, NAME=VALUE[,NAME=VALUE...]', { valueName: 'LIST' }),
    offset: option(z.number().int().min(0).max(0xffff).default(0), 'byte offset of --data in the feature', { valueName: 'N' }),
    saved: option(z.boolean().default(false), 'ask for the value to be saved across reset (the kernel sets this anyway)'),
  },
  dump: false,
  examples: [
    'accelctl cxl set-feature fwctl0 thermal-throttle --fields throttle_temp_c=90 --allow-mutate',
    'accelctl cxl set-feature fwctl0 link-power --data 01020000 --saved --allow-mutate',
  ],
  async run(context, { args, options }): Promise<SetFeatureResult> {
    if ((options.data === undefined) === (options.fields === undefined)) {
      throw new AccelError('ACCELCTL_E_USAGE', 'give exactly one of --data HEX or --fields NAME=VALUE,...');
    }
    const found = locate(await featureTable(context), args[0] ?? '');
    const { entry } = found;
    const verdict = setVerdict(entry);
    if (!verdict.ok) {
      throw new AccelError('ACCELCTL_E_UNCLASSIFIED', `the cxl driver refuses Set Feature on ${found.known?.name ?? entry.uuid}: ${setRequirement(entry).replace(/^refused: /, '')}`, {
        hint: "see the SET FEATURE column of 'accelctl cxl features DEV'",
      });
    }
    const offset = options.data === undefined ? 0 : options.offset;
    const data = options.data === undefined ? await dataFromFields(context, found, options.fields ?? '') : parseHex(options.data, '--data');
    if (data.length === 0) throw new AccelError('ACCELCTL_E_USAGE', '--data is empty');
    if (offset + data.length > entry.set_feat_size) {
      throw new AccelError('ACCELCTL_E_USAGE', `${data.length} bytes at offset ${offset} run past the ${entry.set_feat_size}-byte set data`);
    }
    const flags = Transfer.FULL | (options.saved ? SET_FEAT_SAVED_ACROSS_RESET : 0);
    await context.rpc(encodeSetFeature(new Uint8Array(Buffer.from(entry.uuid.replace(/-/g, ''), 'hex')), flags, offset, entry.set_feat_ver, data));
    const current = await readFeature(context, entry, Selection.current, 0, entry.get_feat_size);
    const saved = entry.flags & FeatFlag.SAVED_SEL ? await readFeature(context, entry, Selection.saved, 0, entry.get_feat_size) : null;
    return {
      feature: describe(found.index, entry),
      scope: setRequirement(entry),
      offset,
      data: hexData(data),
      flags: `0x${flags.toString(16).padStart(8, '0')}`,
      saved_across_reset: true,
      current: hexData(current),
      saved: saved ? hexData(saved) : null,
      takes_effect: applyMode(entry.effects) === 'immediate' ? 'now' : 'reset',
      fields: decodeFields(found.known?.read, saved ?? current),
    };
  },
  render(result): View[] {
    const views: View[] = [
      fields(`Set ${displayName(result.feature)} ${result.feature.uuid}`, [
        ['Scope', result.scope],
        ['Offset', result.offset],
        ['Data written', result.data],
        ['Current value', result.current],
        ['Saved (next boot)', result.saved ?? '(no saved selection)'],
        ['Takes effect', result.takes_effect === 'now' ? 'now' : 'at the next reset or power cycle'],
      ]),
    ];
    if (result.fields) views.push(fields(result.saved ? 'Fields (saved)' : 'Fields now', Object.entries(result.fields)));
    views.push(note('The kernel sends every Set Feature with "saved across reset" set: the value persists across resets.'));
    return views;
  },
});
