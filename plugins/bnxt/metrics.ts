/**
 * `accelctl metrics` for bnxt, inspect RPCs only and none needing DMA:
 * - HWRM_TEMP_MONITOR_QUERY: chip / PHY / optical-module temperatures and thresholds;
 * - HWRM_PORT_PHY_QCFG: link state and speed (link_speed counts 100 Mb/s);
 * - HWRM_FUNC_QSTATS: this function's traffic, discard and drop counters.
 * Port-level MAC counters (PORT_QSTATS / PORT_QSTATS_EXT) and PCIe counters
 * (PCIE_QSTATS) need a DMA buffer in bnxt_fwctl's table and are not collected.
 * Power (REG_POWER_QUERY) is not collected: its reply layout is not in the hsi.h
 * this plugin follows.
 */
import type { CommandContext, Metric, MetricsSupport } from 'accelctl/sdk';
import { decodeTempMonitor, expectReqType } from './decode';
import { encodeTempMonitorQuery } from './encode';
import { encodeFuncQstats, encodePortPhyQcfg } from './encode-nvm';
import { HWRM } from './hsi';
import { FuncQstatsOutput, PORT_PHY_LINK, PORT_PHY_QCFG_OUTPUT_SIZE, PortPhyQcfgOutput } from './layouts-nvm';

/** u64 counters fit a double exactly below 2^53 (decades of 400 Gb/s traffic). */
const n = (value: bigint): number => Number(value);

async function temperatures(ctx: CommandContext): Promise<Metric[]> {
  const reply = await ctx.rpc(encodeTempMonitorQuery());
  expectReqType(reply, HWRM.TEMP_MONITOR_QUERY);
  const t = decodeTempMonitor(reply);
  const metrics: Metric[] = [];
  const sensors: [string, number | null][] = [['chip', t.chip_c], ['phy', t.phy_c], ['module', t.module_c]];
  for (const [sensor, value] of sensors) {
    if (value !== null) metrics.push({ name: 'temperature_celsius', help: 'Temperature reported by HWRM_TEMP_MONITOR_QUERY', type: 'gauge', value, labels: { sensor } });
  }
  if (t.thresholds !== null) {
    for (const [level, value] of Object.entries({ warning: t.thresholds.warn_c, critical: t.thresholds.critical_c, fatal: t.thresholds.fatal_c, shutdown: t.thresholds.shutdown_c })) {
      metrics.push({ name: 'temperature_threshold_celsius', help: 'Firmware temperature thresholds', type: 'gauge', value, labels: { level } });
    }
  }
  return metrics;
}

async function link(ctx: CommandContext): Promise<Metric[]> {
  const reply = await ctx.rpc(encodePortPhyQcfg(), { outLen: PORT_PHY_QCFG_OUTPUT_SIZE });
  expectReqType(reply, HWRM.PORT_PHY_QCFG);
  const p = PortPhyQcfgOutput.decode(reply);
  const up = p.link === PORT_PHY_LINK.LINK;
  return [
    { name: 'link_up', help: 'Port link state (1 up, 0 down)', type: 'gauge', value: up ? 1 : 0 },
    // Prometheus base units are bytes: 100 Mb/s steps → bytes per second.
    { name: 'link_speed_bytes_per_second', help: 'Negotiated port speed', type: 'gauge', value: up ? (p.link_speed * 100_000_000) / 8 : 0 },
  ];
}

async function traffic(ctx: CommandContext): Promise<Metric[]> {
  const reply = await ctx.rpc(encodeFuncQstats());
  expectReqType(reply, HWRM.FUNC_QSTATS);
  const s = FuncQstatsOutput.decode(reply);
  const counter = (name: string, help: string, value: bigint): Metric => ({ name, help, type: 'counter', value: n(value) });
  return [
    counter('rx_bytes_total', 'Bytes received by this function', s.rx_ucast_bytes + s.rx_mcast_bytes + s.rx_bcast_bytes),
    counter('tx_bytes_total', 'Bytes sent by this function', s.tx_ucast_bytes + s.tx_mcast_bytes + s.tx_bcast_bytes),
    counter('rx_packets_total', 'Packets received by this function', s.rx_ucast_pkts + s.rx_mcast_pkts + s.rx_bcast_pkts),
    counter('tx_packets_total', 'Packets sent by this function', s.tx_ucast_pkts + s.tx_mcast_pkts + s.tx_bcast_pkts),
    counter('rx_discards_total', 'Received packets discarded (no buffer)', s.rx_discard_pkts),
    counter('tx_discards_total', 'Transmit packets discarded', s.tx_discard_pkts),
    counter('rx_drops_total', 'Received packets dropped (errors)', s.rx_drop_pkts),
    counter('tx_drops_total', 'Transmit packets dropped (errors)', s.tx_drop_pkts),
  ];
}

export const metricsSupport: MetricsSupport = {
  async collect(ctx) {
    return [...(await temperatures(ctx)), ...(await link(ctx)), ...(await traffic(ctx))];
  },
  rpcs: ['HWRM_TEMP_MONITOR_QUERY', 'HWRM_PORT_PHY_QCFG', 'HWRM_FUNC_QSTATS'],
};
