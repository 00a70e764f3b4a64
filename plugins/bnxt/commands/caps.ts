/** `accelctl bnxt caps DEV`: HWRM_FUNC_QCAPS for this function. */
import { defineCommand, fields, option, z } from 'accelctl/sdk';
import { decodeFuncQcaps, expectReqType, type FuncQcapsInfo } from '../decode';
import { encodeFuncQcaps } from '../encode';
import { HWRM } from '../hsi';

export default defineCommand({
  name: 'caps',
  summary: 'Show function capabilities and resource limits (HWRM_FUNC_QCAPS)',
  description: 'Sends HWRM_FUNC_QCAPS (scope debug_read_only). --fid asks about another function (default 0xffff: this one).',
  rpcClass: 'inspect',
  dump: [{ options: { fid: 0xffff } }], // this function's capabilities
  rpcs: ['HWRM_FUNC_QCAPS'],
  options: {
    fid: option(z.coerce.number().int().min(0).max(0xffff).default(0xffff), 'function id to query (0xffff = this function)', { valueName: 'FID' }),
  },
  examples: ['accelctl bnxt caps fwctl0', 'accelctl bnxt caps fwctl0 -o json'],
  async run(ctx, { options }): Promise<FuncQcapsInfo> {
    const reply = await ctx.rpc(encodeFuncQcaps(options.fid));
    expectReqType(reply, HWRM.FUNC_QCAPS);
    return decodeFuncQcaps(reply);
  },
  render: (r) => [
    fields('Function', [
      ['FID', r.fid],
      ['Port', r.port_id],
      ['MAC address', r.mac_address],
      ['Serial number', r.device_serial_number ?? 'not reported'],
      ['Capabilities', r.capabilities.join(', ') || 'none'],
    ]),
    fields(
      'Maximum resources',
      Object.entries(r.max).map(([key, value]) => [key.replace(/_/g, ' '), value] as const),
    ),
  ],
});
