/**
 * `accelctl mlx5 adapter DEV`: adapter identity (QUERY_ADAPTER):
 * vendor ids, the vendor-specific data string and the PSID.
 */
import { defineCommand, fields } from 'accelctl/sdk';
import { decodeAdapter, type AdapterInfo } from '../decode';
import { QUERY_ADAPTER_OUT_SIZE } from '../prm';
import { encodeQueryAdapter } from '../requests';

export default defineCommand({
  name: 'adapter',
  summary: 'Show adapter identity: vendor ids, VSD and PSID (QUERY_ADAPTER)',
  description:
    'Reads query_adapter_param_block: the IEEE vendor id, the VSD vendor id, the vendor-specific data ' +
    'string and the PSID (the firmware image identifier, e.g. MT_0000000834).',
  rpcClass: 'inspect',
  rpcs: ['QUERY_ADAPTER'],
  examples: ['accelctl mlx5 adapter fwctl0'],
  async run(ctx): Promise<AdapterInfo> {
    const reply = await ctx.rpc(encodeQueryAdapter(), { outLen: QUERY_ADAPTER_OUT_SIZE });
    return decodeAdapter(reply);
  },
  render(result) {
    return [
      fields('Adapter', [
        ['ieee_vendor_id', result.ieee_vendor_id],
        ['vsd_vendor_id', result.vsd_vendor_id],
        ['psid', result.psid],
        ['vsd', result.vsd || '-'],
      ]),
    ];
  },
});
