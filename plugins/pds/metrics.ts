/**
 * `accelctl metrics` for pds: sensors and counters from catalogue READ
 * operations only (inspect at the configuration scope): system.get_temps,
 * system.get_power, system.get_ident (uptime), system.get_health (link,
 * heartbeat, errors) and per port port.get_stats v1 and port.get_config.
 */
import type { Metric, MetricsSupport } from 'accelctl/sdk';
import { callOp } from './op-call';
import { PortConfig, PortRequest, PortStatsV1, SysIdent, SysTemps } from './payloads';
import { Health, Power } from './payloads-caps';

const gauge = (name: string, help: string, value: number, labels?: Record<string, string>): Metric => ({ name, help, type: 'gauge', value, ...(labels ? { labels } : {}) });
const counter = (name: string, help: string, value: number | bigint, labels?: Record<string, string>): Metric => ({ name, help, type: 'counter', value: Number(value), ...(labels ? { labels } : {}) });

export const metrics: MetricsSupport = {
  async collect(context) {
    const out: Metric[] = [];
    const t = SysTemps.decode((await callOp(context, 'system.get_temps')).payload);
    for (const [sensor, milli] of [['asic', t.asicMilliC], ['board', t.boardMilliC], ['hbm', t.hbmMilliC]] as const) {
      out.push(gauge('temperature_celsius', 'Sensor temperature', milli / 1000, { sensor }));
    }
    out.push(gauge('temperature_critical_celsius', 'Temperature at which the card shuts down', t.criticalMilliC / 1000));

    const p = Power.decode((await callOp(context, 'system.get_power')).payload);
    out.push(gauge('power_watts', 'Power draw', p.boardMilliW / 1000, { rail: 'board' }));
    out.push(gauge('power_watts', 'Power draw', p.asicMilliW / 1000, { rail: 'asic' }));
    out.push(gauge('power_limit_watts', 'Board power limit', p.limitMilliW / 1000));
    out.push(gauge('input_voltage_volts', '12 V input rail', p.inputMilliV / 1000));

    const ident = SysIdent.decode((await callOp(context, 'system.get_ident')).payload);
    out.push(gauge('uptime_seconds', 'Seconds since the card firmware started', ident.uptimeSeconds));

    const h = Health.decode((await callOp(context, 'system.get_health')).payload);
    out.push(counter('fw_heartbeat_total', 'Firmware heartbeat counter', h.heartbeat));
    out.push(counter('fw_errors_total', 'Firmware errors since boot', h.errorCount));
    out.push(counter('fw_recoveries_total', 'Firmware recoveries since boot', h.recoveries));
    out.push(counter('link_flaps_total', 'Link down events since boot', h.linkFlaps));

    for (let port = 0; port < h.portCount; port++) {
      const labels = { port: String(port) };
      const request = PortRequest.encode({ port });
      const s = PortStatsV1.decode((await callOp(context, 'port.get_stats', request)).payload);
      const cfg = PortConfig.decode((await callOp(context, 'port.get_config', request)).payload);
      out.push(gauge('link_up', 'Link state (1 up, 0 down)', (h.linkMask >> port) & 1, labels));
      // Prometheus base unit (promtool lints bits): bytes per second, as node_network_speed_bytes.
      out.push(gauge('link_speed_bytes_per_second', 'Configured port speed', (cfg.speedMbps * 1_000_000) / 8, labels));
      out.push(gauge('mtu_bytes', 'Port MTU', cfg.mtu, labels));
      out.push(counter('rx_packets_total', 'Packets received', s.rxPackets, labels));
      out.push(counter('tx_packets_total', 'Packets sent', s.txPackets, labels));
      out.push(counter('rx_bytes_total', 'Bytes received', s.rxBytes, labels));
      out.push(counter('tx_bytes_total', 'Bytes sent', s.txBytes, labels));
      out.push(counter('rx_errors_total', 'Receive errors', s.rxErrors, labels));
      out.push(counter('tx_errors_total', 'Transmit errors', s.txErrors, labels));
    }
    return out;
  },
  rpcs: ['system.get_temps', 'system.get_power', 'system.get_ident', 'system.get_health', 'port.get_stats', 'port.get_config'],
};
