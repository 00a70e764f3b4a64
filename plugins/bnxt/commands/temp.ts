/** `accelctl bnxt temp DEV`: HWRM_TEMP_MONITOR_QUERY. */
import { defineCommand, fields } from 'accelctl/sdk';
import { decodeTempMonitor, expectReqType, type TempInfo } from '../decode';
import { encodeTempMonitorQuery } from '../encode';
import { HWRM } from '../hsi';

const show = (c: number | null): string => (c === null ? 'n/a' : `${c} °C`);

export default defineCommand({
  name: 'temp',
  summary: 'Show chip, PHY and optical module temperatures (HWRM_TEMP_MONITOR_QUERY)',
  rpcClass: 'inspect',
  rpcs: ['HWRM_TEMP_MONITOR_QUERY'],
  examples: ['accelctl bnxt temp fwctl0'],
  async run(ctx): Promise<TempInfo> {
    const reply = await ctx.rpc(encodeTempMonitorQuery());
    expectReqType(reply, HWRM.TEMP_MONITOR_QUERY);
    return decodeTempMonitor(reply);
  },
  render: (r) => [
    fields('Temperatures', [
      ['Chip', show(r.chip_c)],
      ['PHY', show(r.phy_c)],
      ['Optical module', r.module_present ? show(r.module_c) : 'not present'],
      ...(r.thresholds === null
        ? []
        : ([
            ['Warning threshold', show(r.thresholds.warn_c)],
            ['Critical threshold', show(r.thresholds.critical_c)],
            ['Fatal threshold', show(r.thresholds.fatal_c)],
            ['Shutdown threshold', show(r.thresholds.shutdown_c)],
          ] as const)),
    ]),
  ],
});
