/**
 * `accelctl cxl get-feature DEV FEATURE [--selection current|default|saved]`:
 * Get Feature (0x0501) — the whole value, or --offset/--count of it.
 */
import { AccelError, defineCommand, fields, option, z, type View } from 'accelctl/sdk';
import { RPC_NAMES } from '../protocol';
import { Selection, type SelectionName } from '../uapi';
import { decodeFields, describe, displayName, featureTable, hexData, locate, readFeature, type FeatureRow } from './shared';

export interface GetFeatureResult {
  feature: FeatureRow;
  selection: SelectionName;
  offset: number;
  size: number;
  data: string;
  fields: Record<string, number> | null;
}

export const getFeature = defineCommand({
  name: 'get-feature',
  summary: 'Read a feature: its current, default or saved value',
  description:
    'FEATURE is a UUID, a known name or an index from `accelctl cxl features`. Sends Get Supported Features to ' +
    'learn the feature size, then Get Feature (0x0501). The default and saved selections exist only when the ' +
    'feature flags say so; the device answers "Unsupported Feature Selection Value" otherwise.',
  rpcClass: 'inspect',
  rpcs: [RPC_NAMES.GET_SUPPORTED_FEATURES, RPC_NAMES.GET_FEATURE],
  args: [{ name: 'feature', description: 'UUID, name or index of the feature', required: true }],
  options: {
    selection: option(z.enum(['current', 'default', 'saved']).default('current'), 'which value to read', { valueName: 'SEL' }),
    offset: option(z.number().int().min(0).max(0xffff).default(0), 'first byte to read', { valueName: 'N' }),
    count: option(z.number().int().min(1).max(0xffff).optional(), 'bytes to read (default: to the end)', { valueName: 'N' }),
  },
  // For a bug report: the spec feature most devices have (current, default and
  // saved), and the simulated expander's vendor features; a device without one
  // records "does not support feature" in place.
  dump: [
    ...(['current', 'default', 'saved'] as const).map((selection) => ({ args: ['patrol-scrub'], options: { selection } })),
    ...['thermal-throttle', 'link-power', 'media-policy', 'asset-tag', 'telemetry', 'fuse-info'].map((name) => ({ args: [name] })),
  ],
  examples: ['accelctl cxl get-feature fwctl0 patrol-scrub', 'accelctl cxl get-feature fwctl0 2 --selection saved -o json'],
  async run(context, { args, options }): Promise<GetFeatureResult> {
    const found = locate(await featureTable(context), args[0] ?? '');
    const size = found.entry.get_feat_size;
    if (options.offset >= size) {
      throw new AccelError('ACCELCTL_E_USAGE', `offset ${options.offset} is past the ${size}-byte feature`);
    }
    const count = options.count ?? size - options.offset;
    if (options.offset + count > size) {
      throw new AccelError('ACCELCTL_E_USAGE', `${count} bytes at offset ${options.offset} run past the ${size}-byte feature`);
    }
    const data = await readFeature(context, found.entry, Selection[options.selection], options.offset, count);
    return {
      feature: describe(found.index, found.entry),
      selection: options.selection,
      offset: options.offset,
      size: data.length,
      data: hexData(data),
      fields: options.offset === 0 ? decodeFields(found.known?.read, data) : null,
    };
  },
  render(result): View[] {
    const views: View[] = [
      fields(`${displayName(result.feature)} ${result.feature.uuid}`, [
        ['Selection', result.selection],
        ['Offset', result.offset],
        ['Size', result.size],
        ['Data', result.data],
      ]),
    ];
    if (result.fields) views.push(fields('Fields', Object.entries(result.fields)));
    return views;
  },
});
