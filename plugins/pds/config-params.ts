/**
 * The persistent parameters of the catalogued firmware package (config endpoint):
 * id, name, type and what makes a change take effect, as the package's SDK
 * documentation lists them. The firmware only speaks ids and value cells
 * (payloads-caps.ts); names, types and enum spellings live here.
 *
 * Enum values travel as their index in `values`.
 */
import type { ConfigParamDef } from 'accelctl/sdk';

export interface ParamSpec extends ConfigParamDef {
  /** Firmware parameter id (config.get_param / set_param). */
  id: number;
}

export const PARAMS: readonly ParamSpec[] = [
  { id: 1, name: 'sriov_en', type: { kind: 'bool' }, apply: 'reset', description: 'Expose SR-IOV virtual functions on the host PF' },
  { id: 2, name: 'num_vfs', type: { kind: 'int', min: 0, max: 64 }, apply: 'reset', description: 'Virtual functions the PF advertises (TotalVFs)' },
  { id: 3, name: 'vnet_en', type: { kind: 'bool' }, apply: 'reset', description: 'Offer vDPA virtio-net devices (what devlink enable_vnet switches per VF)' },
  { id: 4, name: 'port_fec', type: { kind: 'enum', values: ['none', 'fc', 'rs', 'auto'] }, apply: 'immediate', description: 'Forward error correction on both Ethernet ports' },
  { id: 5, name: 'lldp_en', type: { kind: 'bool' }, apply: 'immediate', description: 'Firmware LLDP agent on the uplink ports' },
  { id: 6, name: 'pxe_boot_en', type: { kind: 'bool' }, apply: 'reboot', description: 'PXE option ROM (the host firmware reads it at boot)' },
  { id: 7, name: 'power_mode', type: { kind: 'enum', values: ['balanced', 'performance', 'low_power'] }, apply: 'reset', description: 'ARM core and P4 pipeline clock profile' },
  { id: 8, name: 'board_label', type: { kind: 'string', maxLength: 31 }, apply: 'immediate', description: 'Free-form asset label kept in card flash' },
  { id: 9, name: 'secure_boot_en', type: { kind: 'bool' }, apply: 'reboot', readOnly: true, description: 'Signed-firmware enforcement (set at manufacturing)' },
];

export function paramByName(name: string): ParamSpec | undefined {
  return PARAMS.find((p) => p.name === name);
}
