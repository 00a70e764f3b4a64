/**
 * `accelctl config` on mlx5: the NV_PARAMS table through MNVDA. read() reads
 * each TLV three times (access_mode next / current / default, as `mlxconfig
 * query` shows "next boot", "current" and "default"); write() reads the TLV's
 * next-boot value, changes the fields and writes the TLV back whole: the
 * firmware keeps it for the next firmware reset (`accelctl reset`).
 */
import { AccelError, type ConfigChange, type ConfigParamState, type ConfigSupport } from 'accelctl/sdk';
import { readTlv, writeTlv } from './mnvda';
import { NV_PARAMS, tlvKey, type NvParam, type TlvSpec } from './nv-params';
import { ACCESS_MODE } from './prm-mgmt';

function select(names: readonly string[]): NvParam[] {
  if (names.length === 0) return [...NV_PARAMS];
  return names.map((name) => {
    const param = NV_PARAMS.find((p) => p.def.name === name);
    if (!param) {
      throw new AccelError('ACCELCTL_E_USAGE', `mlx5 has no parameter '${name}'`, { hint: `parameters: ${NV_PARAMS.map((p) => p.def.name).join(', ')}` });
    }
    return param;
  });
}

/** One entry per distinct TLV, in first-use order. */
function tlvsOf(params: readonly NvParam[]): TlvSpec[] {
  const seen = new Map<string, TlvSpec>();
  for (const p of params) seen.set(tlvKey(p.tlv), p.tlv);
  return [...seen.values()];
}

export const config: ConfigSupport = {
  async params() {
    return NV_PARAMS.map((p) => p.def);
  },

  async read(ctx, names): Promise<ConfigParamState[]> {
    const params = select(names);
    const values = new Map<string, { next: Uint8Array; current: Uint8Array; def: Uint8Array }>();
    for (const t of tlvsOf(params)) {
      values.set(tlvKey(t), {
        next: await readTlv(ctx, t, ACCESS_MODE.NEXT),
        current: await readTlv(ctx, t, ACCESS_MODE.CURRENT),
        def: await readTlv(ctx, t, ACCESS_MODE.DEFAULT),
      });
    }
    return params.map((p) => {
      const v = values.get(tlvKey(p.tlv));
      if (!v) throw new AccelError('ACCELCTL_E_PLUGIN', `mlx5 config: ${p.def.name} was not read`);
      return { name: p.def.name, default: p.get(v.def), current: p.get(v.current), nextBoot: p.get(v.next) };
    });
  },

  async write(ctx, changes: readonly ConfigChange[]) {
    const params = select(changes.map((c) => c.name));
    for (const t of tlvsOf(params)) {
      // Read-modify-write of the whole TLV: other fields keep their next-boot values.
      const data = await readTlv(ctx, t, ACCESS_MODE.NEXT);
      for (const change of changes) {
        const p = params.find((q) => q.def.name === change.name);
        if (p && tlvKey(p.tlv) === tlvKey(t)) p.set(data, change.value);
      }
      await writeTlv(ctx, t, data);
    }
  },

  writeClass: 'configure',
  rpcs: { read: ['ACCESS_REG_READ'], write: ['ACCESS_REG_READ', 'ACCESS_REG_WRITE'] },
  note:
    'Non-volatile configuration (MNVDA register, as mlxconfig): new values are stored for the next boot and ' +
    "take effect after a firmware reset ('accelctl reset DEV', MFRL) or a reboot. Register reads need the " +
    'debug_read_only scope (still inspect); writes are ACCESS_REG op_mod 0, which mlx5_fwctl allows at the configuration scope.',
};
