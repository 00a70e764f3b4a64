/**
 * `accelctl mlx5 diag-params DEV`: the diagnostic-counter sampling settings
 * (QUERY_DIAGNOSTIC_PARAMS, a DEBUG_READ_ONLY inspect RPC).
 */
import { defineCommand, fields, hexNumber, table, type View } from 'accelctl/sdk';
import { decodeDiagParams, diagCounterName, type DiagParams } from '../decode';
import { DEFAULT_DIAG_COUNTER_ROOM } from '../protocol';
import { diagParamsOutLen, encodeQueryDiagParams } from '../requests';

export type DiagParamsResult = Omit<DiagParams, 'counter_ids'> & { counters: { counter_id: string; name: string }[] };

export default defineCommand({
  name: 'diag-params',
  summary: 'Show diagnostic counter sampling settings (QUERY_DIAGNOSTIC_PARAMS)',
  description:
    'Reads diagnostic_params_context: whether sampling is enabled, its mode (single, repetitive, ' +
    'on demand), the sample buffer size and period, and the counter ids being sampled.',
  rpcClass: 'inspect',
  rpcs: ['QUERY_DIAGNOSTIC_PARAMS'],
  examples: ['accelctl mlx5 diag-params fwctl0'],
  async run(ctx): Promise<DiagParamsResult> {
    const reply = await ctx.rpc(encodeQueryDiagParams(), { outLen: diagParamsOutLen(DEFAULT_DIAG_COUNTER_ROOM) });
    const { counter_ids: ids, ...params } = decodeDiagParams(reply);
    return { ...params, counters: ids.map((id) => ({ counter_id: hexNumber(id, 4), name: diagCounterName(id) })) };
  },
  render(result) {
    const views: View[] = [
      fields('Diagnostic counter parameters', [
        ['enable', result.enable],
        ['single', result.single],
        ['repetitive', result.repetitive],
        ['on_demand', result.on_demand],
        ['sync', result.sync],
        ['clear', result.clear],
        ['log_num_of_samples', result.log_num_of_samples],
        ['log_sample_period', result.log_sample_period],
        ['num_of_counters', result.num_of_counters],
      ]),
      table('Counters', ['counter_id', 'name'], result.counters.map((c) => [c.counter_id, c.name]), 'no counters enabled'),
    ];
    return views;
  },
});
