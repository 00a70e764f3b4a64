/**
 * `accelctl cxl features DEV`: Get Supported Features, every entry decoded,
 * with what a Set Feature on it would need from the kernel.
 */
import { defineCommand, note, table, type View } from 'accelctl/sdk';
import { RPC_NAMES } from '../protocol';
import { describe, displayName, featureTable, type FeatureRow } from './shared';

export interface FeaturesResult {
  supported_features: number;
  features: FeatureRow[];
}

export const features = defineCommand({
  name: 'features',
  summary: 'List the supported features, their flags and effects, and the scope a Set Feature needs',
  description:
    'Sends Get Supported Features (0x0500), which the cxl driver answers from the list it read at probe time. ' +
    'Kernel-owned features (patrol scrub, ECS, PPR, memory sparing) are reported not changeable. ' +
    'The SET FEATURE column is the scope the kernel requires for a Set Feature, decided by the effects bits.',
  rpcClass: 'inspect',
  rpcs: [RPC_NAMES.GET_SUPPORTED_FEATURES],
  examples: ['accelctl cxl features fwctl0', 'accelctl cxl features fwctl0 -o json'],
  async run(context): Promise<FeaturesResult> {
    const list = await featureTable(context);
    return { supported_features: list.length, features: list.map((e, i) => describe(i, e)) };
  },
  render(result): View[] {
    const flags = (r: FeatureRow): string =>
      [r.changeable ? 'changeable' : 'read-only', r.persistent_across_fw_update ? 'fw-persist' : '', r.default_selection ? 'default' : '', r.saved_selection ? 'saved' : '']
        .filter(Boolean)
        .join(',');
    return [
      table(
        `Supported features (${result.supported_features})`,
        ['IDX', 'NAME', 'UUID', 'GET', 'SET', 'FLAGS', 'EFFECTS', 'SET FEATURE'],
        result.features.map((r) => [r.index, displayName(r), r.uuid, r.get_size, r.set_size, flags(r), `${r.effects} ${r.effects_decoded.join(',')}`, r.set_feature]),
        'the device reports no features',
      ),
      note('Every Set Feature is mutate-debug: it needs --allow-mutate and taints the kernel (TAINT_FWCTL).'),
    ];
  },
});
