/**
 * `accelctl reset` on mlx5: a firmware reset through MFRL (0x9028), the way the
 * kernel's fw_reset.c asks for one on `devlink dev reload action fw_activate`:
 * read MFRL for the supported levels/types, then write reset_level = LEVEL3
 * with pci_sync_for_fw_update_start = 1 and rst_type_sel. The firmware then
 * negotiates the reset with every PF's driver (mlx5_core answers the sync-reset
 * event and toggles the PCI link), loads the activated firmware image and makes
 * the next-boot NV configuration current.
 */
import { AccelError, type CommandContext, type ResetSupport } from 'accelctl/sdk';
import { readRegister, writeRegister } from './access';
import { MFRL_LEVEL, MFRL_STATE_NAMES, MFRL_TYPE, MfrlReg, REG } from './prm-mgmt';

export const RESET_LEVELS = [
  { name: 'fw', description: 'firmware reset, full chip (MFRL reset_level 3, reset type 0): runs the activated image and applies pending NV configuration' },
  {
    name: 'fw-net-port-alive',
    description: 'firmware reset keeping the network port alive (MFRL reset_level 3, reset type 1 NET_PORT_ALIVE), where the firmware supports it',
  },
] as const;

export async function queryMfrl(ctx: CommandContext): Promise<ReturnType<typeof MfrlReg.decode>> {
  return MfrlReg.decode(await readRegister(ctx, REG.MFRL, new Uint8Array(MfrlReg.size), 'MFRL'));
}

export async function firmwareReset(ctx: CommandContext, level: string): Promise<{ note?: string }> {
  const keepPort = level === 'fw-net-port-alive';
  if (!keepPort && level !== 'fw') {
    throw new AccelError('ACCELCTL_E_USAGE', `mlx5 has no reset level '${level}'`, { hint: `levels: ${RESET_LEVELS.map((l) => l.name).join(', ')}` });
  }
  const caps = await queryMfrl(ctx);
  if ((caps.reset_level & MFRL_LEVEL.LEVEL3) === 0) {
    throw new AccelError('ACCELCTL_E_UNSUPPORTED', `${ctx.device.name}: the firmware does not offer a level-3 (firmware) reset`, { hint: 'reboot the host to apply' });
  }
  if (keepPort && (caps.reset_type & MFRL_TYPE.NET_PORT_ALIVE) === 0) {
    throw new AccelError('ACCELCTL_E_UNSUPPORTED', `${ctx.device.name}: the firmware does not support a NET_PORT_ALIVE reset`, { hint: "use '--level fw'" });
  }
  await writeRegister(
    ctx,
    REG.MFRL,
    MfrlReg.encode({ reset_level: MFRL_LEVEL.LEVEL3, rst_type_sel: keepPort ? 1 : 0, pci_sync_for_fw_update_start: 1 }),
    'MFRL',
  );
  const after = await queryMfrl(ctx);
  const state = MFRL_STATE_NAMES[after.reset_state] ?? `unknown(${after.reset_state})`;
  if (state === 'nack' || state === 'timeout') {
    throw new AccelError('ACCELCTL_E_DEVICE_STATUS', `${ctx.device.name}: firmware reset was refused (MFRL reset_state ${state})`, {
      hint: 'a PF driver refused the sync reset; check dmesg',
    });
  }
  return { note: 'firmware reset done (MFRL level 3): an activated firmware image and pending configuration are now in use' };
}

export const reset: ResetSupport = {
  levels: RESET_LEVELS,
  rpcClass: 'configure',
  rpcs: ['ACCESS_REG_READ', 'ACCESS_REG_WRITE'],
  reset: firmwareReset,
};
