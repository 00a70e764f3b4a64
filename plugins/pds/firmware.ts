/**
 * `accelctl fw` for pds: versions only.
 *
 * Firmware update does not go through fwctl on this device. pds_core updates
 * firmware through devlink flash (drivers/net/ethernet/amd/pds_core/devlink.c
 * pdsc_dl_flash_update → fw.c): PDS_CORE_CMD_FW_DOWNLOAD device commands carry
 * the image through the BAR command registers, PDS_CORE_CMD_FW_CONTROL installs
 * and selects the slot (or the PLDM path with SEND_PKG_DATA / component table).
 * pds_fwctl only ever sends PDS_FWCTL_CMD_RPC for an (endpoint, operation) the
 * firmware lists, and no firmware package documents an update operation; so
 * flash/activate say so plainly and name devlink.
 *
 * show() reads what devlink info reports, through catalogue READ operations:
 * system.get_ident (running version, ASIC type/rev, serial) and
 * system.get_fw_list (per-slot stored versions: fw.goldfw, fw.mainfwa, fw.mainfwb).
 */
import { AccelError, type FirmwareSupport, type FirmwareVersions } from 'accelctl/sdk';
import { callOp } from './op-call';
import { SysIdent } from './payloads';
import { decodeFwList } from './payloads-caps';

const hex = (n: number) => `0x${n.toString(16)}`;

function devlinkHint(pci: string | undefined): string {
  return `devlink dev flash pci/${pci ?? '<addr>'} file <image>`;
}

function unsupported(pci: string | undefined): AccelError {
  return new AccelError(
    'ACCELCTL_E_UNSUPPORTED',
    'pds firmware cannot be flashed through fwctl: pds_core updates it with devlink flash (PDS_CORE_CMD_FW_DOWNLOAD / FW_CONTROL device commands), and pds_fwctl only forwards the firmware-listed RPC operations',
    { hint: devlinkHint(pci) },
  );
}

export const firmware: FirmwareSupport = {
  async show(context): Promise<FirmwareVersions> {
    const ident = SysIdent.decode((await callOp(context, 'system.get_ident')).payload);
    const list = decodeFwList((await callOp(context, 'system.get_fw_list')).payload);
    const stored: Record<string, string> = {};
    for (const slot of list.slots) stored[`fw.${slot.name}`] = slot.state === 'valid' ? slot.version : `${slot.version || '-'} (${slot.state})`;
    const running = list.slots[list.runningSlot];
    const boot = list.slots[list.bootSlot];
    return {
      // The keys devlink info uses for pds_core (asic.id, asic.rev, serial number).
      fixed: { 'asic.id': hex(ident.asicType), 'asic.rev': hex(ident.asicRev), serial_number: ident.serial },
      running: { fw: ident.fwVersion },
      stored,
      activeBank: running?.name,
      // A slot selected for boot (by devlink flash) that is not the one running waits for a firmware restart.
      pendingActivation: boot !== undefined && list.bootSlot !== list.runningSlot && boot.state === 'valid',
    };
  },

  inspectImage(): never {
    throw unsupported(undefined);
  },

  async checkTarget(context): Promise<void> {
    throw unsupported(context.device.pci);
  },

  async flash(context): Promise<never> {
    throw unsupported(context.device.pci);
  },

  async activate(context): Promise<void> {
    throw new AccelError(
      'ACCELCTL_E_UNSUPPORTED',
      'pds firmware activation does not go through fwctl: devlink flash installs the image and selects its slot itself (PDS_CORE_FW_ACTIVATE_ASYNC)',
      { hint: `${devlinkHint(context.device.pci)}; the selected slot then starts at the next firmware restart (accelctl reset DEV --yes) or host reboot` },
    );
  },

  flashClass: 'configure',
  rpcs: { show: ['system.get_ident', 'system.get_fw_list'], flash: [], activate: [] },
};
