/**
 * `accelctl reset` for pds: the catalogue's system.reset operation (kind 0,
 * firmware restart). The modelled package gives it the SYNC attribute, as it
 * does commit_config: both make saved state take effect. pds_fwctl maps SYNC to
 * FWCTL_RPC_CONFIGURATION, so the class is configure (--yes, no taint). A
 * package that listed its reset as DEBUG_WRITE would make it mutate-debug; the
 * classifier follows the catalogue's attribute either way. The restart loads
 * the configuration saved in flash and boots the selected firmware slot.
 *
 * pds_core itself has no devlink reload; its own resets (PDS_CORE_CMD_RESET,
 * firmware recovery) are device commands fwctl cannot send.
 */
import type { ResetSupport } from 'accelctl/sdk';
import { callOp } from './op-call';
import { RESET_KIND_FW, ResetRequest } from './payloads-caps';

export const reset: ResetSupport = {
  levels: [{ name: 'fw', description: 'restart the card firmware: saved configuration and the boot firmware slot take effect; both links drop for a few seconds' }],
  rpcClass: 'configure',
  rpcs: ['system.reset'],
  async reset(context) {
    await callOp(context, 'system.reset', ResetRequest.encode({ kind: RESET_KIND_FW }));
    return { note: 'firmware restarted; host-side settings (pxe_boot_en) act at the next host boot' };
  },
};
