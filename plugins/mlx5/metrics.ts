/**
 * `accelctl metrics` on mlx5: MTMP (ASIC temperature), PAOS/PTYS (link state
 * and speed), PPCNT group 0 (IEEE 802.3 traffic and error counters, what
 * ethtool -S shows as *_phy), MGIR uptime. Inspect RPCs only. The PRM has no
 * board power reading that the fwctl driver lets through, so there is no power
 * metric.
 */
import type { CommandContext, Metric, MetricsSupport } from 'accelctl/sdk';
import { readRegister } from './access';
import { readEth8023, readPortState, readSpeedMbps, readTemperature } from './monitor-regs';
import { MgirReg } from './prm';
import type { Eth8023Counter } from './prm-mgmt';

const COUNTERS: readonly [Eth8023Counter, string, string][] = [
  ['a_octets_received_ok', 'rx_bytes_total', 'bytes received in good frames (PPCNT aOctetsReceivedOK)'],
  ['a_octets_transmitted_ok', 'tx_bytes_total', 'bytes transmitted in good frames (PPCNT aOctetsTransmittedOK)'],
  ['a_frames_received_ok', 'rx_frames_total', 'frames received OK (PPCNT aFramesReceivedOK)'],
  ['a_frames_transmitted_ok', 'tx_frames_total', 'frames transmitted OK (PPCNT aFramesTransmittedOK)'],
  ['a_multicast_frames_received_ok', 'rx_multicast_frames_total', 'multicast frames received'],
  ['a_broadcast_frames_received_ok', 'rx_broadcast_frames_total', 'broadcast frames received'],
  ['a_frame_check_sequence_errors', 'rx_fcs_errors_total', 'frames received with a bad FCS'],
  ['a_alignment_errors', 'rx_alignment_errors_total', 'frames received with alignment errors'],
  ['a_frame_too_long_errors', 'rx_frame_too_long_errors_total', 'frames received longer than the MTU'],
  ['a_symbol_error_during_carrier', 'rx_symbol_errors_total', 'symbol errors during carrier'],
  ['a_pause_mac_ctrl_frames_received', 'rx_pause_frames_total', 'pause frames received'],
  ['a_pause_mac_ctrl_frames_transmitted', 'tx_pause_frames_total', 'pause frames transmitted'],
];

async function collect(ctx: CommandContext): Promise<Metric[]> {
  const metrics: Metric[] = [];
  const t = await readTemperature(ctx, 0);
  const sensor = { sensor: t.sensor };
  metrics.push({ name: 'temperature_celsius', help: 'ASIC temperature (MTMP)', type: 'gauge', value: t.celsius, labels: sensor });
  metrics.push({ name: 'temperature_max_celsius', help: 'highest ASIC temperature since reset (MTMP)', type: 'gauge', value: t.maxCelsius, labels: sensor });
  metrics.push({ name: 'temperature_threshold_celsius', help: 'ASIC temperature warning threshold (MTMP)', type: 'gauge', value: t.thresholdHiCelsius, labels: sensor });

  const port = { port: '1' };
  const state = await readPortState(ctx, 1);
  const up = state.oper === 1;
  metrics.push({ name: 'link_up', help: 'port operational state, 1 = up (PAOS)', type: 'gauge', value: up ? 1 : 0, labels: port });
  // Prometheus base units are bytes: Mb/s → bytes per second.
  metrics.push({ name: 'link_speed_bytes_per_second', help: 'operational link speed (PTYS)', type: 'gauge', value: up ? ((await readSpeedMbps(ctx, 1)) * 1e6) / 8 : 0, labels: port });
  const counters = await readEth8023(ctx, 1);
  for (const [field, name, help] of COUNTERS) metrics.push({ name, help, type: 'counter', value: counters[field], labels: port });

  const mgir = MgirReg.decode(await readRegister(ctx, 0x9020, new Uint8Array(MgirReg.size), 'MGIR'));
  metrics.push({ name: 'uptime_seconds', help: 'seconds since the last firmware reset (MGIR)', type: 'gauge', value: mgir.uptime });
  return metrics;
}

export const metrics: MetricsSupport = { collect, rpcs: ['ACCESS_REG_READ'] };
