/** `accelctl bnxt health DEV`: HWRM_FW_HEALTH_CHECK, fw_status bits decoded. */
import { defineCommand, fields, note } from 'accelctl/sdk';
import { decodeHealth, expectReqType, type HealthInfo } from '../decode';
import { encodeFwHealthCheck } from '../encode';
import { HWRM } from '../hsi';

export default defineCommand({
  name: 'health',
  summary: 'Check firmware boot health (HWRM_FW_HEALTH_CHECK)',
  description: 'Decodes fw_status: which firmware stages booted (SBI, SRT, CRT, directory header) and any mismatch or corruption.',
  rpcClass: 'inspect',
  rpcs: ['HWRM_FW_HEALTH_CHECK'],
  examples: ['accelctl bnxt health fwctl0'],
  async run(ctx): Promise<HealthInfo> {
    const reply = await ctx.rpc(encodeFwHealthCheck());
    expectReqType(reply, HWRM.FW_HEALTH_CHECK);
    return decodeHealth(reply);
  },
  render: (r) => [
    fields('Firmware health', [
      ['Healthy', r.healthy],
      ['fw_status', r.fw_status],
      ['Status bits', r.status_bits.join(', ') || 'none'],
    ]),
    ...(r.healthy ? [] : [note(`problems: ${r.problems.join(', ')}`, 'warn')]),
  ],
});
