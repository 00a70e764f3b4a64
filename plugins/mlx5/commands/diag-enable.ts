/**
 * `accelctl mlx5 diag-enable DEV --counter ID...`: start (or with --disable,
 * stop) diagnostic counter sampling with SET_DIAGNOSTIC_PARAMS. The kernel
 * needs FWCTL_RPC_DEBUG_WRITE for it: a `mutate-debug` RPC that taints the
 * kernel, so the umbrella requires --allow-mutate.
 */
import { AccelError, defineCommand, fields, hexNumber, option, z } from 'accelctl/sdk';
import { parseNumberList } from '../args';
import { MBOX_HEADER_SIZE } from '../prm';
import { encodeSetDiagParams } from '../requests';

export interface DiagEnableResult {
  enable: boolean;
  counters: string[];
  log_num_of_samples: number;
  log_sample_period: number;
  mode: 'repetitive' | 'single';
}

export default defineCommand({
  name: 'diag-enable',
  summary: 'Start or stop diagnostic counter sampling (SET_DIAGNOSTIC_PARAMS)',
  description:
    'Programs diagnostic_params_context: the counter ids to sample, the sample buffer size ' +
    '(2^log-samples entries) and the period (2^log-period device clocks). --disable stops sampling ' +
    'and clears the buffer. The kernel requires the DEBUG_WRITE scope, which taints it.',
  rpcClass: 'mutate-debug',
  rpcs: ['SET_DIAGNOSTIC_PARAMS'],
  options: {
    counter: option(z.array(z.string()).optional(), 'counter ids to sample (space- or comma-separated)', {
      valueName: 'ID',
    }),
    logSamples: option(z.coerce.number().int().min(0).max(20).default(10), 'log2 of the sample buffer entries', { valueName: 'N' }),
    logPeriod: option(z.coerce.number().int().min(0).max(40).default(20), 'log2 of the sample period in device clocks', { valueName: 'N' }),
    single: option(z.boolean().default(false), 'stop when the buffer is full instead of wrapping (repetitive)'),
    disable: option(z.boolean().default(false), 'stop sampling and clear the buffer'),
  },
  examples: ['accelctl mlx5 diag-enable fwctl0 --counter 0x401 --counter 0x2006 --allow-mutate', 'accelctl mlx5 diag-enable fwctl0 --disable --allow-mutate'],
  async run(ctx, { options }): Promise<DiagEnableResult> {
    const counters = options.disable ? [] : parseNumberList(options.counter ?? [], 'counter id', 0xffff);
    if (!options.disable && counters.length === 0) {
      throw new AccelError('ACCELCTL_E_USAGE', 'give at least one --counter ID (or --disable)', { hint: 'e.g. --counter 0x401,0x2006' });
    }
    const request = encodeSetDiagParams({
      enable: !options.disable,
      counters,
      logNumOfSamples: options.logSamples,
      logSamplePeriod: options.logPeriod,
      single: options.single,
      repetitive: !options.single,
      clear: true,
    });
    await ctx.rpc(request, { outLen: MBOX_HEADER_SIZE });
    return {
      enable: !options.disable,
      counters: counters.map((id) => hexNumber(id, 4)),
      log_num_of_samples: options.logSamples,
      log_sample_period: options.logPeriod,
      mode: options.single ? 'single' : 'repetitive',
    };
  },
  render(result) {
    return [
      fields(result.enable ? 'Diagnostic sampling enabled' : 'Diagnostic sampling disabled', [
        ['counters', result.counters.join(', ') || '-'],
        ['mode', result.mode],
        ['log_num_of_samples', result.log_num_of_samples],
        ['log_sample_period', result.log_sample_period],
      ]),
    ];
  },
});
