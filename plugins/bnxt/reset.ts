/**
 * `accelctl reset` for bnxt. Both RPCs are in bnxt_fwctl's CONFIGURATION list:
 * - chip (default): HWRM_FW_RESET, embedded_proc_type CHIP, self-reset ASAP,
 *   graceful + FW_ACTIVATION, as bnxt_en's `devlink dev reload action
 *   fw_activate` sends it. The chip reboots from NVM: stored configuration
 *   and a verified firmware image become current.
 * - function: HWRM_FUNC_RESET of this function only (FUNC_RESET_LEVEL_RESETME).
 *   The firmware keeps running; NVM options are not re-read.
 */
import { AccelError, type ResetSupport } from 'accelctl/sdk';
import { expectReqType } from './decode';
import { encodeFuncReset } from './encode';
import { encodeFwResetChip } from './encode-nvm';
import { HWRM } from './hsi';

export const resetSupport: ResetSupport = {
  levels: [
    { name: 'chip', description: 'HWRM_FW_RESET of the chip: firmware reboots, stored NVM options and a verified firmware image take effect' },
    { name: 'function', description: 'HWRM_FUNC_RESET of this PCI function: rings and filters reset; NVM options and firmware unchanged' },
  ],
  rpcClass: 'configure',
  rpcs: ['HWRM_FW_RESET', 'HWRM_FUNC_RESET'],
  async reset(ctx, level) {
    if (level === 'chip') {
      expectReqType(await ctx.rpc(encodeFwResetChip()), HWRM.FW_RESET);
      return { note: 'chip reset done: stored configuration and firmware are now running' };
    }
    if (level === 'function') {
      expectReqType(await ctx.rpc(encodeFuncReset('resetme')), HWRM.FUNC_RESET);
      return { note: 'function reset done; NVM configuration and firmware apply only after a chip reset (--level chip)' };
    }
    throw new AccelError('ACCELCTL_E_BAD_INPUT', `unknown reset level "${level}"`, { hint: 'levels: chip, function' });
  },
};
