import { describe, expect, it } from 'vitest';
import { exposition } from '../../src/output/prometheus';
import { toSamples } from '../../src/commands/metrics';

describe('Prometheus text exposition', () => {
  it('writes HELP and TYPE once per family, then samples with sorted, escaped labels', () => {
    const text = exposition([
      { name: 'accelctl_temperature_celsius', help: 'ASIC temperature.', type: 'gauge', labels: { sensor: 'asic', device: 'fwctl0' }, value: 55.5 },
      { name: 'accelctl_temperature_celsius', help: 'ASIC temperature.', type: 'gauge', labels: { device: 'fwctl1', sensor: 'a"b\\c\nd' }, value: 40 },
      { name: 'accelctl_rx_bytes_total', help: 'Received bytes.\nSecond line', type: 'counter', labels: {}, value: 1e21 },
    ]);
    expect(text).toBe(
      [
        '# HELP accelctl_temperature_celsius ASIC temperature.',
        '# TYPE accelctl_temperature_celsius gauge',
        'accelctl_temperature_celsius{device="fwctl0",sensor="asic"} 55.5',
        'accelctl_temperature_celsius{device="fwctl1",sensor="a\\"b\\\\c\\nd"} 40',
        '# HELP accelctl_rx_bytes_total Received bytes.\\nSecond line',
        '# TYPE accelctl_rx_bytes_total counter',
        'accelctl_rx_bytes_total 1e+21',
        '',
      ].join('\n'),
    );
  });

  it('spells non-finite values as the format does', () => {
    const text = exposition([
      { name: 'a', help: 'h', type: 'gauge', labels: {}, value: Number.NaN },
      { name: 'b', help: 'h', type: 'gauge', labels: {}, value: Infinity },
      { name: 'c', help: 'h', type: 'gauge', labels: {}, value: -Infinity },
    ]);
    expect(text).toContain('a NaN\n');
    expect(text).toContain('b +Inf\n');
    expect(text).toContain('c -Inf\n');
  });

  it('refuses names the format cannot carry', () => {
    expect(() => exposition([{ name: 'bad-name', help: 'h', type: 'gauge', labels: {}, value: 1 }])).toThrow(/invalid metric name/);
    expect(() => exposition([{ name: 'ok', help: 'h', type: 'gauge', labels: { 'bad-label': 'x' }, value: 1 }])).toThrow(/invalid label name/);
  });

  it('groups each family across devices and adds accelctl_up per device', () => {
    const samples = toSamples([
      { device: 'fwctl0', plugin: 'mlx5', pci: '0000:17:00.0', up: true, metrics: [{ name: 'temperature_celsius', type: 'gauge', value: 50, labels: {}, help: 'T' }] },
      { device: 'fwctl1', plugin: null, pci: null, up: false, metrics: [] },
      { device: 'fwctl2', plugin: 'mlx5', pci: '0000:19:00.0', up: true, metrics: [{ name: 'temperature_celsius', type: 'gauge', value: 51, labels: {}, help: 'T' }] },
    ]);
    expect(samples.map((s) => `${s.name}:${s.labels.device}`)).toEqual([
      'accelctl_up:fwctl0',
      'accelctl_up:fwctl1',
      'accelctl_up:fwctl2',
      'accelctl_temperature_celsius:fwctl0',
      'accelctl_temperature_celsius:fwctl2',
    ]);
    expect(samples[1]).toMatchObject({ value: 0, labels: { plugin: 'unknown', pci: '' } });
    expect(samples[3]!.labels).toEqual({ device: 'fwctl0', plugin: 'mlx5', pci: '0000:17:00.0' });
  });
});
