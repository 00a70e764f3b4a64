/**
 * `accelctl health` on mlx5. The kernel's devlink reporters `fw` and
 * `fw_fatal` read the firmware health buffer in the initialization segment
 * (BAR0: assert_var, synd, ext_synd, the health counter): that is MMIO, not a
 * command, so fwctl cannot reach it and accelctl does not pretend to. What the
 * PRM exposes over commands the kernel lets through is used instead:
 *
 *   fw        the command interface: QUERY_ADAPTER answers with status 0, or the
 *             firmware's status and syndrome are the error
 *   fw_update MCQS boot_img component_update_state (FAILED = last update failed)
 *   thermal   MTMP ASIC sensor against its temp_threshold_hi (the condition of
 *             the kernel's TEMP_WARN event)
 *   link      PAOS port 1 oper_status 4 (down by port failure)
 *
 * These are state, not event logs: error_count is 1 while in error.
 */
import { isAccelError, type CommandContext, type HealthReporter, type HealthSupport } from 'accelctl/sdk';
import { decodeOutHeader } from './decode';
import { bootImgIndex, queryMcqs } from './firmware';
import { readPortState, readTemperature } from './monitor-regs';
import { QUERY_ADAPTER_OUT_SIZE } from './prm';
import { UPDATE_STATE } from './prm-mgmt';
import { encodeQueryAdapter } from './requests';

const healthy = (name: string): HealthReporter => ({ name, state: 'healthy', errorCount: 0 });
const failed = (name: string, message: string, recommendedAction: string): HealthReporter => ({
  name,
  state: 'error',
  errorCount: 1,
  lastError: { message, time: new Date().toISOString() },
  recommendedAction,
});

const reason = (error: unknown): string => (isAccelError(error) ? error.message : String(error));

async function fwReporter(ctx: CommandContext): Promise<HealthReporter> {
  try {
    const header = decodeOutHeader(await ctx.rpc(encodeQueryAdapter(), { outLen: QUERY_ADAPTER_OUT_SIZE, allowDeviceError: true }));
    if (header.status === 0) return healthy('fw');
    return failed(
      'fw',
      `firmware answered QUERY_ADAPTER with ${header.status_name} (status 0x${header.status.toString(16)}, syndrome 0x${header.syndrome.toString(16).padStart(8, '0')})`,
      "collect 'devlink health diagnose DEV reporter fw' and a dump, then reset the device; report the syndrome to NVIDIA support",
    );
  } catch (error) {
    return failed('fw', `firmware command interface: ${reason(error)}`, 'check dmesg for mlx5_core health messages; reset or reboot if the firmware is stuck');
  }
}

async function fwUpdateReporter(ctx: CommandContext): Promise<HealthReporter> {
  try {
    const state = (await queryMcqs(ctx, await bootImgIndex(ctx))).component_update_state;
    if (state !== UPDATE_STATE.FAILED) return healthy('fw_update');
    return failed('fw_update', 'the last firmware update of boot_img failed (MCQS component_update_state FAILED)', "flash the image again with 'accelctl fw flash'");
  } catch (error) {
    return failed('fw_update', `MCQS: ${reason(error)}`, 'check the firmware supports component update (MCAM: MCQS)');
  }
}

async function thermalReporter(ctx: CommandContext): Promise<HealthReporter> {
  try {
    const t = await readTemperature(ctx, 0);
    if (t.thresholdHiCelsius <= 0 || t.celsius < t.thresholdHiCelsius) return healthy('thermal');
    return failed(
      'thermal',
      `${t.sensor} temperature ${t.celsius} °C is at or above its ${t.thresholdHiCelsius} °C warning threshold`,
      'check the server airflow and fans; the adapter throttles and may shut down if it keeps heating',
    );
  } catch (error) {
    return failed('thermal', `MTMP: ${reason(error)}`, 'the temperature sensor could not be read');
  }
}

async function linkReporter(ctx: CommandContext): Promise<HealthReporter> {
  try {
    const s = await readPortState(ctx, 1);
    if (s.oper !== 4) return healthy('link');
    return failed('link', 'port 1 is down by port failure (PAOS oper_status 4)', 'check the cable and module (mlx5 reg DEV PTYS), then toggle the port');
  } catch (error) {
    return failed('link', `PAOS: ${reason(error)}`, 'the port state could not be read');
  }
}

export const health: HealthSupport = {
  async reporters(ctx) {
    return [await fwReporter(ctx), await fwUpdateReporter(ctx), await thermalReporter(ctx), await linkReporter(ctx)];
  },
  rpcs: ['QUERY_ADAPTER', 'ACCESS_REG_READ'],
};
