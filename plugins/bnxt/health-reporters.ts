/**
 * `accelctl health` for bnxt, from what bnxt_fwctl lets an inspect RPC read:
 * - fw: HWRM_FW_HEALTH_CHECK fw_status — boot-image mismatches, MBR corruption,
 *   FRU mismatch (cfg_mismatch is pending configuration, not a fault, so it is
 *   reported on the "config" reporter's message but never as an error);
 * - thermal: HWRM_TEMP_MONITOR_QUERY against the firmware's warning threshold.
 * bnxt_en's own devlink "fw" reporter counts recoveries from the
 * fw_reset_cnt_reg / health registers (BAR reads the host driver does; HWRM
 * ERROR_RECOVERY_QCFG only tells where those registers are), which no fwctl
 * RPC can read: errorCount here is the number of faults seen in this reading.
 */
import type { CommandContext, HealthReporter, HealthSupport } from 'accelctl/sdk';
import { decodeHealth, decodeTempMonitor, expectReqType } from './decode';
import { encodeFwHealthCheck, encodeTempMonitorQuery } from './encode';
import { HWRM } from './hsi';

async function fwReporter(ctx: CommandContext): Promise<HealthReporter> {
  const reply = await ctx.rpc(encodeFwHealthCheck());
  expectReqType(reply, HWRM.FW_HEALTH_CHECK);
  const health = decodeHealth(reply);
  const faults = health.problems.filter((p) => p !== 'cfg_mismatch');
  if (faults.length === 0) return { name: 'fw', state: 'healthy', errorCount: 0 };
  return {
    name: 'fw',
    state: 'error',
    errorCount: faults.length,
    lastError: { message: `firmware status ${health.fw_status}: ${faults.join(', ')}` },
    recommendedAction: faults.includes('mbr_corrupt')
      ? 'NVM boot record corrupt: re-flash the firmware with the vendor tool, then power-cycle the host'
      : 'boot image mismatch: re-flash the firmware (accelctl fw flash) and reset the chip (accelctl reset --level chip)',
  };
}

async function thermalReporter(ctx: CommandContext): Promise<HealthReporter> {
  const reply = await ctx.rpc(encodeTempMonitorQuery());
  expectReqType(reply, HWRM.TEMP_MONITOR_QUERY);
  const t = decodeTempMonitor(reply);
  if (t.chip_c === null || t.thresholds === null || t.chip_c < t.thresholds.warn_c) return { name: 'thermal', state: 'healthy', errorCount: 0 };
  return {
    name: 'thermal',
    state: 'error',
    errorCount: 1,
    lastError: { message: `chip at ${t.chip_c} °C, warning threshold ${t.thresholds.warn_c} °C` },
    recommendedAction: 'check airflow and fan speed; the firmware shuts the chip down at its shutdown threshold',
  };
}

export const healthSupport: HealthSupport = {
  async reporters(ctx) {
    return [await fwReporter(ctx), await thermalReporter(ctx)];
  },
  rpcs: ['HWRM_FW_HEALTH_CHECK', 'HWRM_TEMP_MONITOR_QUERY'],
};
