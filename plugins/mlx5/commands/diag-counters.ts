/**
 * `accelctl mlx5 diag-counters DEV [--samples N] [--index N]`: read sampled
 * diagnostic counters (QUERY_DIAGNOSTIC_COUNTERS). Without --samples, one
 * round (one sample per enabled counter, learnt from QUERY_DIAGNOSTIC_PARAMS).
 */
import { defineCommand, hexNumber, option, table, z } from 'accelctl/sdk';
import { decodeDiagCounters, decodeDiagParams, diagCounterName } from '../decode';
import { DEFAULT_DIAG_COUNTER_ROOM } from '../protocol';
import { diagCountersOutLen, diagParamsOutLen, encodeQueryDiagCounters, encodeQueryDiagParams } from '../requests';

export interface DiagCountersResult {
  sample_index: number;
  num_of_samples: number;
  samples: { counter_id: string; name: string; sample_id: number; time_stamp_31_0: number; counter_value: string }[];
}

export default defineCommand({
  name: 'diag-counters',
  summary: 'Read sampled diagnostic counters (QUERY_DIAGNOSTIC_COUNTERS)',
  description:
    'Reads samples from the device sampling buffer (diagnostic_cntr_struct: counter id, sample id, ' +
    'timestamp in device clocks, 64-bit value). Enable sampling first with diag-enable.',
  rpcClass: 'inspect',
  rpcs: ['QUERY_DIAGNOSTIC_PARAMS', 'QUERY_DIAGNOSTIC_COUNTERS'],
  options: {
    samples: option(z.coerce.number().int().min(1).max(4096).optional(), 'number of samples (default: one per enabled counter)', { valueName: 'N' }),
    index: option(z.coerce.number().int().min(0).max(0xffff).default(0), 'first sample index', { valueName: 'N' }),
  },
  examples: ['accelctl mlx5 diag-counters fwctl0', 'accelctl mlx5 diag-counters fwctl0 --samples 8 --index 0 -o json'],
  async run(ctx, { options }): Promise<DiagCountersResult> {
    let samples = options.samples;
    if (samples === undefined) {
      const params = decodeDiagParams(await ctx.rpc(encodeQueryDiagParams(), { outLen: diagParamsOutLen(DEFAULT_DIAG_COUNTER_ROOM) }));
      samples = Math.max(1, params.num_of_counters);
    }
    const reply = await ctx.rpc(encodeQueryDiagCounters(samples, options.index), { outLen: diagCountersOutLen(samples) });
    return {
      sample_index: options.index,
      num_of_samples: samples,
      samples: decodeDiagCounters(reply, samples).map((s) => ({
        counter_id: hexNumber(s.counter_id, 4),
        name: diagCounterName(s.counter_id),
        sample_id: s.sample_id,
        time_stamp_31_0: s.time_stamp_31_0,
        counter_value: s.counter_value,
      })),
    };
  },
  render(result) {
    return [
      table(
        `Diagnostic counter samples from index ${result.sample_index}`,
        ['counter_id', 'name', 'sample_id', 'time_stamp', 'value'],
        result.samples.map((s) => [s.counter_id, s.name, s.sample_id, s.time_stamp_31_0, s.counter_value]),
        'no samples',
      ),
    ];
  },
});
