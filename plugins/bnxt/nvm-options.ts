/**
 * The NVM configuration options accelctl exposes for bnxt, read and written
 * with HWRM_NVM_GET_VARIABLE / HWRM_NVM_SET_VARIABLE the way bnxt_en's
 * bnxt_hwrm_nvm_req() does (option_num, data_len in BITS, index_0 = port or
 * function index for per-port / per-function options).
 *
 * Option numbers and widths:
 *  - 401 ENABLE_SRIOV, 108 MSIX_VEC_PER_PF_MAX (10 bits), 602 NVM_CFG_VER:
 *    mainline drivers/net/ethernet/broadcom/bnxt/bnxt_devlink.{c,h} (NVM_OFF_*).
 *  - 404 NUM_VF_PER_PF (8 bits, per function), 152 MAGIC_PACKET_WOL (per port),
 *    351 MBA_ENABLED (PXE boot agent, per function), 269 LLDP_NEAREST_BRIDGE,
 *    205 PRE_OS_LINK_SPEED_D0 (4 bits, per port): Broadcom's posted
 *    bnxt_drv_cfgparam_list (netdev RFC "bnxt_en: devlink config", 2017).
 *  The value encoding of PRE_OS_LINK_SPEED_D0 is not public; the enum order
 *  below is accelctl's (see README.md).
 */
import type { ParamType, ApplyMode } from 'accelctl/sdk';

/** Which NVM configuration block an option lives in (enum bnxt_nvm_dir_type). */
export type OptionScope = 'shared' | 'port' | 'function';

export interface NvmOption {
  name: string;
  option: number;
  bits: number;
  scope: OptionScope;
  type: ParamType;
  description: string;
  apply: ApplyMode;
  readOnly?: boolean;
  /** Where the running value is visible (FUNC_QCFG / FUNC_QCAPS), if anywhere. */
  running?: 'qcaps_max_vfs' | 'qcfg_alloc_vfs' | 'qcfg_wol' | 'qcfg_lldp' | 'qcfg_alloc_msix';
}

export const LINK_SPEEDS = ['auto', '1g', '10g', '25g', '40g', '50g', '100g'] as const;

export const NVM_OPTIONS: readonly NvmOption[] = [
  { name: 'sriov_en', option: 401, bits: 1, scope: 'shared', type: { kind: 'bool' }, apply: 'reset', running: 'qcaps_max_vfs',
    description: 'SR-IOV capability exposed to the host (devlink enable_sriov)' },
  { name: 'num_of_vfs', option: 404, bits: 8, scope: 'function', type: { kind: 'int', min: 0, max: 128 }, apply: 'reset', running: 'qcfg_alloc_vfs',
    description: 'VFs provisioned for this PF at boot' },
  { name: 'msix_vec_per_pf_max', option: 108, bits: 10, scope: 'shared', type: { kind: 'int', min: 1, max: 512 }, apply: 'reset', running: 'qcfg_alloc_msix',
    description: 'Maximum MSI-X vectors per PF (devlink msix_vec_per_pf_max)' },
  { name: 'wol_magic_pkt_en', option: 152, bits: 1, scope: 'port', type: { kind: 'bool' }, apply: 'reset', running: 'qcfg_wol',
    description: 'Wake on LAN by magic packet' },
  { name: 'lldp_agent_en', option: 269, bits: 1, scope: 'shared', type: { kind: 'bool' }, apply: 'reset', running: 'qcfg_lldp',
    description: 'Firmware LLDP agent (nearest bridge)' },
  { name: 'pxe_boot_en', option: 351, bits: 1, scope: 'function', type: { kind: 'bool' }, apply: 'reboot',
    description: 'PXE boot agent (MBA) option ROM; takes effect at the next host boot' },
  { name: 'link_speed_d0', option: 205, bits: 4, scope: 'port', type: { kind: 'enum', values: LINK_SPEEDS }, apply: 'reboot',
    description: 'Pre-OS (D0) link speed used by boot firmware' },
  { name: 'nvm_cfg_ver', option: 602, bits: 8, scope: 'shared', type: { kind: 'int', min: 0, max: 255 }, apply: 'reset', readOnly: true,
    description: 'Version of the NVM configuration (fw.psid in devlink info)' },
];

export const optionByName = (name: string): NvmOption | undefined => NVM_OPTIONS.find((o) => o.name === name);

/** Bytes the firmware transfers for a `bits`-wide variable. */
export const optionBytes = (bits: number): number => Math.ceil(bits / 8);
