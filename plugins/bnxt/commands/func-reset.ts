/** `accelctl bnxt func-reset DEV`: HWRM_FUNC_RESET (configure: needs --yes). */
import { AccelError, defineCommand, fields, option, z } from 'accelctl/sdk';
import { expectReqType } from '../decode';
import { encodeFuncReset, type FuncResetLevel } from '../encode';
import { HWRM } from '../hsi';
import { FUNC_RESET_LEVELS } from '../layouts';

const LEVEL_CHOICES = { all: 'resetall', me: 'resetme', children: 'resetchildren', vf: 'resetvf' } as const satisfies Record<string, FuncResetLevel>;

export default defineCommand({
  name: 'func-reset',
  summary: 'Reset the PCI function (HWRM_FUNC_RESET)',
  description:
    'Asks firmware to reset this function (--level me, the default), all functions it owns (all), its children ' +
    '(children) or one VF (vf, with --vf). A configure RPC: confirm interactively or pass --yes.',
  rpcClass: 'configure',
  dump: false, // changes the device: never part of a bug-report dump
  rpcs: ['HWRM_FUNC_RESET'],
  options: {
    level: option(z.enum(['me', 'all', 'children', 'vf']).default('me'), 'what to reset: me | all | children | vf', { valueName: 'LEVEL' }),
    vf: option(z.coerce.number().int().min(0).max(0xffff).optional(), 'VF id to reset (with --level vf)', { valueName: 'ID' }),
  },
  examples: ['accelctl bnxt func-reset fwctl0 --yes', 'accelctl bnxt func-reset fwctl0 --level vf --vf 3 --yes'],
  async run(ctx, { options }) {
    if ((options.level === 'vf') !== (options.vf !== undefined)) {
      throw new AccelError('ACCELCTL_E_USAGE', '--vf goes with --level vf, and --level vf needs --vf', { hint: 'e.g. --level vf --vf 3' });
    }
    const level = LEVEL_CHOICES[options.level];
    const reply = await ctx.rpc(encodeFuncReset(level, options.vf));
    expectReqType(reply, HWRM.FUNC_RESET);
    return { reset: true, level: level, level_value: FUNC_RESET_LEVELS.indexOf(level), vf_id: options.vf ?? null };
  },
  render: (r) => [fields('Function reset', [['Level', r.level], ['VF', r.vf_id ?? '-'], ['Done', r.reset]])],
});
