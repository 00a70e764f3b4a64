/**
 * `accelctl config` on a CXL memory device. Parameters are fields of Features
 * (config-params.ts) that the device lists in Get Supported Features with both
 * the default and the saved selection. Reading: Get Feature with the current,
 * default and saved selections → current, default, next_boot. Writing: Set
 * Feature of the whole feature data built on its saved value, with
 * saved-across-reset — the cxl driver sets that bit on every Set Feature anyway
 * and scopes the command mutate-debug (debug_write_full for immediate effects,
 * debug_write for reset-only ones), so a config write here needs
 * --allow-mutate and taints the kernel. When a value takes effect follows the
 * feature's effects bits.
 */
import { AccelError, type ApplyMode, type CommandContext, type ConfigChange, type ConfigParamDef, type ConfigParamState, type ConfigSupport } from 'accelctl/sdk';
import { codecEnd, decodeParam, encodeParam, featureUuid, PARAM_SPECS, type ParamSpec } from './config-params';
import { Effect } from './effects';
import { uuidToBytes } from './features';
import { featureTable, readFeature } from './commands/shared';
import { RPC_NAMES, setVerdict } from './protocol';
import { encodeSetFeature, type FeatureEntry } from './requests';
import { FeatFlag, Selection, SET_FEAT_SAVED_ACROSS_RESET, Transfer } from './uapi';

const IMMEDIATE = Effect.CONFIG_CHANGE_IMMEDIATE | Effect.DATA_CHANGE_IMMEDIATE | Effect.POLICY_CHANGE_IMMEDIATE | Effect.LOG_CHANGE_IMMEDIATE;
const WARM_RESET = Effect.CONFIG_CHANGE_CONV_RESET | Effect.CONFIG_CHANGE_CXL_RESET;

/** immediate bits → immediate; a conventional or CXL reset → reset; a cold reset only → reboot. */
export function applyMode(effects: number): ApplyMode {
  if (effects & IMMEDIATE) return 'immediate';
  if (effects & WARM_RESET) return 'reset';
  return 'reboot';
}

interface Offered {
  spec: ParamSpec;
  entry: FeatureEntry;
  def: ConfigParamDef;
}

const BOTH_SELECTIONS = FeatFlag.DEFAULT_SEL | FeatFlag.SAVED_SEL;

/** The parameters this device offers: its feature must be listed, large enough and have default + saved selections. */
async function offered(context: CommandContext): Promise<Offered[]> {
  const table = await featureTable(context);
  const out: Offered[] = [];
  for (const spec of PARAM_SPECS) {
    const entry = table.find((e) => e.uuid === featureUuid(spec));
    if (!entry || entry.get_feat_size < codecEnd(spec.codec) || (entry.flags & BOTH_SELECTIONS) !== BOTH_SELECTIONS) continue;
    const writable = !spec.readOnly && setVerdict(entry).ok && entry.set_feat_size >= codecEnd(spec.codec);
    out.push({
      spec,
      entry,
      def: { name: spec.name, type: spec.type, description: spec.description, apply: applyMode(entry.effects), ...(writable ? {} : { readOnly: true }) },
    });
  }
  return out;
}

function pick(all: Offered[], names: readonly string[]): Offered[] {
  if (names.length === 0) return all;
  return names.map((name) => {
    const hit = all.find((o) => o.spec.name === name);
    if (!hit) throw new AccelError('ACCELCTL_E_USAGE', `unknown parameter '${name}'`, { hint: `parameters: ${all.map((o) => o.spec.name).join(', ')}` });
    return hit;
  });
}

/** Whole feature data for a selection, read once per feature and selection. */
function reader(context: CommandContext): (entry: FeatureEntry, selection: number) => Promise<Uint8Array> {
  const seen = new Map<string, Promise<Uint8Array>>();
  return (entry, selection) => {
    const key = `${entry.uuid}/${selection}`;
    let hit = seen.get(key);
    if (!hit) seen.set(key, (hit = readFeature(context, entry, selection, 0, entry.get_feat_size)));
    return hit;
  };
}

async function read(context: CommandContext, names: readonly string[]): Promise<ConfigParamState[]> {
  const load = reader(context);
  const out: ConfigParamState[] = [];
  for (const { spec, entry } of pick(await offered(context), names)) {
    const [current, def, saved] = await Promise.all([load(entry, Selection.current), load(entry, Selection.default), load(entry, Selection.saved)]);
    out.push({ name: spec.name, current: decodeParam(spec, current), default: decodeParam(spec, def), nextBoot: decodeParam(spec, saved) });
  }
  return out;
}

function readOnlyError(o: Offered): AccelError {
  const owned = o.spec.feature === 'patrol-scrub';
  return new AccelError('ACCELCTL_E_UNCLASSIFIED', `${o.spec.name} is read-only: the cxl driver refuses Set Feature on ${o.spec.feature}`, {
    hint: owned ? 'the kernel owns patrol scrub: use /sys/bus/edac/devices/cxl_memN/scrub0/' : "see the SET FEATURE column of 'accelctl cxl features DEV'",
  });
}

async function write(context: CommandContext, changes: readonly ConfigChange[]): Promise<void> {
  const all = await offered(context);
  const byFeature = new Map<string, { entry: FeatureEntry; items: { o: Offered; value: ConfigChange['value'] }[] }>();
  for (const change of changes) {
    const [o] = pick(all, [change.name]);
    if (o!.def.readOnly) throw readOnlyError(o!);
    const group = byFeature.get(o!.entry.uuid) ?? { entry: o!.entry, items: [] };
    group.items.push({ o: o!, value: change.value });
    byFeature.set(o!.entry.uuid, group);
  }
  // Build every feature's new data before sending anything: a bad value sends nothing.
  const load = reader(context);
  const plans: { entry: FeatureEntry; data: Uint8Array }[] = [];
  for (const { entry, items } of byFeature.values()) {
    // Start from the next-boot value, so earlier pending changes to the same feature are kept.
    const base = await load(entry, Selection.saved);
    const data = new Uint8Array(entry.set_feat_size);
    data.set(base.subarray(0, data.length));
    for (const { o, value } of items) encodeParam(o.spec, data, value);
    plans.push({ entry, data });
  }
  for (const { entry, data } of plans) {
    const uuid = uuidToBytes(entry.uuid);
    await context.rpc(encodeSetFeature(uuid, Transfer.FULL | SET_FEAT_SAVED_ACROSS_RESET, 0, entry.set_feat_ver, data));
    // Verify: the saved value now holds what was written.
    const back = await readFeature(context, entry, Selection.saved, 0, entry.get_feat_size);
    if (!Buffer.from(back.subarray(0, data.length)).equals(Buffer.from(data))) {
      throw new AccelError('ACCELCTL_E_DEVICE_STATUS', `the device did not keep the new ${entry.uuid} value`, { hint: 'read it back with accelctl cxl get-feature DEV FEATURE --selection saved' });
    }
  }
}

export const config: ConfigSupport = {
  params: async (context) => (await offered(context)).map((o) => o.def),
  read,
  write,
  writeClass: 'mutate-debug',
  rpcs: {
    read: [RPC_NAMES.GET_SUPPORTED_FEATURES, RPC_NAMES.GET_FEATURE],
    write: [RPC_NAMES.GET_SUPPORTED_FEATURES, RPC_NAMES.GET_FEATURE, RPC_NAMES.SET_FEATURE_AFTER_RESET, RPC_NAMES.SET_FEATURE_IMMEDIATE],
  },
  note:
    'CXL writes configuration with Set Feature (0x0502). The kernel always sets "saved across reset" and scopes Set Feature ' +
    'from the feature\'s effects: debug_write_full for an immediate effect (needs CAP_SYS_RAWIO), debug_write for reset-only ' +
    'effects. So config set is mutate-debug on this device: it needs --allow-mutate and taints the kernel. Reset-applied ' +
    'values wait for a CXL reset or power cycle (the cxl fwctl interface has no reset command).',
};
