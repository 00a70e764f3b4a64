/**
 * `accelctl health` for pds: devlink-style reporters from catalogue READ
 * operations (inspect at the configuration scope).
 *
 *  - fw: what pds_core's devlink "fw" reporter diagnoses (devlink.c
 *    pdsc_fw_reporter_diagnose: status, state, generation, recoveries), here
 *    from system.get_health: RUNNING bit, the firmware's error latch, error
 *    count and the last error's pds_core_status_code and time.
 *  - thermal: system.get_health thermal state and event count, with the
 *    temperatures of system.get_temps in the message.
 *  - link: ports whose link is down while administratively up
 *    (system.get_health link mask, port.get_config admin state), link flaps.
 */
import type { CommandContext, HealthReporter, HealthSupport } from 'accelctl/sdk';
import { callOp } from './op-call';
import { PortConfig, PortRequest, SysTemps } from './payloads';
import { FW_STS_ERROR, FW_STS_RUNNING, Health, THERMAL_STATES } from './payloads-caps';
import { statusName, statusText } from './protocol';

const isoSeconds = (seconds: bigint): string | undefined => (seconds === 0n ? undefined : new Date(Number(seconds) * 1000).toISOString());

function fwReporter(context: CommandContext, h: ReturnType<typeof Health.decode>): HealthReporter {
  const running = (h.fwStatus & FW_STS_RUNNING) !== 0;
  const latched = (h.fwStatus & FW_STS_ERROR) !== 0;
  const reporter: HealthReporter = { name: 'fw', state: running && !latched ? 'healthy' : 'error', errorCount: h.errorCount };
  if (h.errorCount > 0 || !running) {
    const what = running ? `${statusName(h.lastErrorCode)}: ${statusText(h.lastErrorCode)}` : 'firmware not running';
    reporter.lastError = { message: `${what} (heartbeat ${h.heartbeat}, recoveries ${h.recoveries})`, time: isoSeconds(h.lastErrorTime) };
  }
  if (reporter.state === 'error') {
    const dl = `pci/${context.device.pci ?? '<addr>'}`;
    reporter.recommendedAction = `collect 'devlink health diagnose ${dl} reporter fw' and the firmware log (accelctl pds call DEV diag read_log --payload 00000000); if it does not recover, restart the firmware (accelctl reset DEV --yes)`;
  }
  return reporter;
}

async function thermalReporter(context: CommandContext, h: ReturnType<typeof Health.decode>): Promise<HealthReporter> {
  const t = SysTemps.decode((await callOp(context, 'system.get_temps')).payload);
  const state = THERMAL_STATES[h.thermalState] ?? `state(${h.thermalState})`;
  const reporter: HealthReporter = { name: 'thermal', state: h.thermalState === 0 ? 'healthy' : 'error', errorCount: h.thermalEvents };
  if (h.thermalState !== 0 || h.thermalEvents > 0) {
    reporter.lastError = { message: `thermal ${state}: ASIC ${t.asicMilliC / 1000} °C, HBM ${t.hbmMilliC / 1000} °C (critical ${t.criticalMilliC / 1000} °C)` };
  }
  if (reporter.state === 'error') reporter.recommendedAction = 'check chassis airflow and fan speed for the slot; the card throttles and then shuts down at the critical temperature';
  return reporter;
}

async function linkReporter(context: CommandContext, h: ReturnType<typeof Health.decode>): Promise<HealthReporter> {
  const down: number[] = [];
  for (let port = 0; port < h.portCount; port++) {
    const cfg = PortConfig.decode((await callOp(context, 'port.get_config', PortRequest.encode({ port }))).payload);
    if (cfg.adminUp !== 0 && (h.linkMask & (1 << port)) === 0) down.push(port);
  }
  const reporter: HealthReporter = { name: 'link', state: down.length === 0 ? 'healthy' : 'error', errorCount: h.linkFlaps };
  if (down.length > 0) reporter.lastError = { message: `link down on port ${down.join(', ')} (administratively up)`, time: isoSeconds(h.lastLinkFlapTime) };
  else if (h.linkFlaps > 0) reporter.lastError = { message: `${h.linkFlaps} link flap(s) since boot`, time: isoSeconds(h.lastLinkFlapTime) };
  if (reporter.state === 'error') reporter.recommendedAction = 'check the cable/transceiver and the link partner; compare FEC (accelctl config show DEV port_fec) with the switch port';
  return reporter;
}

export const health: HealthSupport = {
  async reporters(context) {
    const h = Health.decode((await callOp(context, 'system.get_health')).payload);
    return [fwReporter(context, h), await thermalReporter(context, h), await linkReporter(context, h)];
  },
  rpcs: ['system.get_health', 'system.get_temps', 'port.get_config'],
};
