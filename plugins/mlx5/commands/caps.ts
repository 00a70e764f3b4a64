/**
 * `accelctl mlx5 caps DEV [--max]`: general device capabilities
 * (QUERY_HCA_CAP, capability type 0, current or maximum values).
 */
import { defineCommand, fields, option, z } from 'accelctl/sdk';
import { decodeGeneralCaps, type GeneralCaps } from '../decode';
import { CAP_TYPE_GENERAL, QUERY_HCA_CAP_OUT_SIZE } from '../prm';
import { encodeQueryHcaCap, hcaCapOpMod } from '../requests';

export interface CapsResult {
  capability_type: 'general';
  mode: 'current' | 'max';
  op_mod: number;
  caps: GeneralCaps;
}

/** Shown in text mode, in this order (JSON carries every decoded field). */
const SHOWN: readonly (readonly [key: string, label: string])[] = [
  ['vhca_id', 'vhca_id'],
  ['port_type_name', 'port_type'],
  ['num_ports', 'num_ports'],
  ['max_tc', 'max_tc'],
  ['log_max_msg', 'log_max_msg'],
  ['log_max_qp', 'log_max_qp'],
  ['log_max_qp_sz', 'log_max_qp_sz'],
  ['log_max_cq', 'log_max_cq'],
  ['log_max_cq_sz', 'log_max_cq_sz'],
  ['log_max_eq', 'log_max_eq'],
  ['log_max_eq_sz', 'log_max_eq_sz'],
  ['max_num_eqs', 'max_num_eqs'],
  ['log_max_mkey', 'log_max_mkey'],
  ['log_max_srq', 'log_max_srq'],
  ['log_max_pd', 'log_max_pd'],
  ['log_max_rq', 'log_max_rq'],
  ['log_max_sq', 'log_max_sq'],
  ['log_max_tir', 'log_max_tir'],
  ['log_max_rqt', 'log_max_rqt'],
  ['log_max_current_uc_list', 'log_max_current_uc_list'],
  ['log_max_current_mc_list', 'log_max_current_mc_list'],
  ['log_max_vlan_list', 'log_max_vlan_list'],
  ['gid_table_size', 'gid_table_size'],
  ['pkey_table_size', 'pkey_table_size'],
  ['log_max_uctx', 'log_max_uctx'],
  ['device_frequency_khz', 'device_frequency_khz'],
  ['roce', 'roce'],
  ['eth_net_offloads', 'eth_net_offloads'],
  ['debug', 'debug'],
  ['mcam_reg', 'mcam_reg'],
  ['pcam_reg', 'pcam_reg'],
  ['num_of_diagnostic_counters', 'num_of_diagnostic_counters'],
  ['uctx_cap', 'uctx_cap'],
  ['uctx_cap_names', 'uctx_cap_names'],
];

export default defineCommand({
  name: 'caps',
  summary: 'Show the general device capabilities (QUERY_HCA_CAP)',
  description:
    'Reads the general HCA capabilities (capability type 0) with QUERY_HCA_CAP and decodes the PRM ' +
    'cmd_hca_cap layout. By default the currently enabled values; --max shows the maximum the device supports.',
  rpcClass: 'inspect',
  rpcs: ['QUERY_HCA_CAP'],
  options: {
    max: option(z.boolean().default(false), 'show the maximum supported values instead of the current ones'),
  },
  examples: ['accelctl mlx5 caps fwctl0', 'accelctl mlx5 caps fwctl0 --max -o json'],
  async run(ctx, { options }): Promise<CapsResult> {
    const current = !options.max;
    const reply = await ctx.rpc(encodeQueryHcaCap(CAP_TYPE_GENERAL, current), { outLen: QUERY_HCA_CAP_OUT_SIZE });
    return {
      capability_type: 'general',
      mode: current ? 'current' : 'max',
      op_mod: hcaCapOpMod(CAP_TYPE_GENERAL, current),
      caps: decodeGeneralCaps(reply),
    };
  },
  render(result) {
    const cell = (value: GeneralCaps[string] | undefined) => (Array.isArray(value) ? value.join(', ') || '-' : value);
    return [
      fields(
        `General device capabilities (${result.mode})`,
        SHOWN.map(([key, label]) => [label, key === 'uctx_cap' ? `0x${Number(result.caps[key]).toString(16)}` : cell(result.caps[key])] as const),
      ),
    ];
  },
});
