/**
 * The persistent parameters accelctl offers on mlx5, each mapped to one field
 * of one non-volatile configuration TLV (read and written whole through the
 * MNVDA register), as mlxconfig and the kernel's devlink nv_param.c do.
 *
 * Names follow mlxconfig where it has one (SRIOV_EN, NUM_OF_VFS, LINK_TYPE_P1,
 * CQE_COMPRESSION, IP_OVER_VXLAN_EN/_PORT) and devlink otherwise
 * (swp_l4_csum_mode, keep_link_up).
 */
import type { ConfigParamDef, ParamValue } from 'accelctl/sdk';
import {
  NvGlobalPciConf,
  NvKeepLinkUp,
  NvSwAccelerateConf,
  NvSwOffloadConf,
  NvVpiLinkConf,
  TLV,
  type TlvName,
} from './prm-mgmt';

export interface TlvSpec {
  name: TlvName;
  typeClass: number;
  index: number;
  /** Physical port for class-1 TLVs. */
  port?: number;
  /** configuration item length in bytes (MLX5_ST_SZ_BYTES of the TLV struct). */
  length: number;
}

export interface NvParam {
  def: ConfigParamDef;
  tlv: TlvSpec;
  get(data: Uint8Array): ParamValue;
  set(data: Uint8Array, value: ParamValue): void;
}

const tlv = (name: TlvName, length: number, port?: number): TlvSpec => ({ name, ...TLV[name], length, ...(port === undefined ? {} : { port }) });

export const GLOBAL_PCI_CONF = tlv('NV_GLOBAL_PCI_CONF', NvGlobalPciConf.size);
export const GLOBAL_PCI_CAP = tlv('NV_GLOBAL_PCI_CAP', 16);
export const SW_OFFLOAD = tlv('NV_SW_OFFLOAD_CONFIG', NvSwOffloadConf.size);
export const SW_ACCELERATE = tlv('NV_SW_ACCELERATE_CONF', NvSwAccelerateConf.size);
export const VPI_LINK_P1 = tlv('NV_VPI_LINK_CONF', NvVpiLinkConf.size, 1);
export const KEEP_LINK_UP_P1 = tlv('NV_KEEP_LINK_UP', NvKeepLinkUp.size, 1);

export const CQE_COMPRESSION = ['balanced', 'aggressive'] as const;
export const SWP_L4_CSUM_MODE = ['device_default', 'full_csum', 'l4_only'] as const;
/** mlxconfig LINK_TYPE: IB(1), ETH(2). */
export const LINK_TYPES: Readonly<Record<number, string>> = { 1: 'ib', 2: 'eth' };
/** NV_GLOBAL_PCI_CAP.max_vfs_per_pf of the simulated ConnectX-7 (static so that validation needs no RPC). */
export const MAX_VFS = 127;

const enumIndex = (values: readonly string[], value: ParamValue): number => Math.max(0, values.indexOf(String(value)));

export const NV_PARAMS: readonly NvParam[] = [
  {
    def: { name: 'sriov_en', type: { kind: 'bool' }, apply: 'reset', description: 'SR-IOV enabled (mlxconfig SRIOV_EN; NV_GLOBAL_PCI_CONF.sriov_en)' },
    tlv: GLOBAL_PCI_CONF,
    get: (d) => NvGlobalPciConf.get(d, 'sriov_en') === 1,
    set: (d, v) => NvGlobalPciConf.write(d, { sriov_valid: 1, per_pf_total_vf: 0, sriov_en: v ? 1 : 0 }),
  },
  {
    def: {
      name: 'num_of_vfs',
      type: { kind: 'int', min: 0, max: MAX_VFS },
      apply: 'reset',
      description: 'virtual functions per PF, global mode (mlxconfig NUM_OF_VFS; NV_GLOBAL_PCI_CONF.total_vfs)',
    },
    tlv: GLOBAL_PCI_CONF,
    get: (d) => NvGlobalPciConf.get(d, 'total_vfs'),
    set: (d, v) => NvGlobalPciConf.write(d, { sriov_valid: 1, per_pf_total_vf: 0, total_vfs: Number(v) }),
  },
  {
    def: {
      name: 'link_type_p1',
      type: { kind: 'enum', values: ['eth', 'ib'] },
      apply: 'reset',
      description: 'port 1 protocol (mlxconfig LINK_TYPE_P1; per-port VPI TLV 0x12 network_link_type)',
    },
    tlv: VPI_LINK_P1,
    get: (d) => LINK_TYPES[NvVpiLinkConf.get(d, 'network_link_type')] ?? 'eth',
    set: (d, v) => NvVpiLinkConf.write(d, { network_link_type: v === 'ib' ? 1 : 2 }),
  },
  {
    def: {
      name: 'keep_link_up_p1',
      type: { kind: 'bool' },
      apply: 'reset',
      description: 'keep the port 1 Ethernet link up while no driver is loaded (devlink keep_link_up; NV_KEEP_LINK_UP.keep_eth_link_up)',
    },
    tlv: KEEP_LINK_UP_P1,
    get: (d) => NvKeepLinkUp.get(d, 'keep_eth_link_up') === 1,
    set: (d, v) => NvKeepLinkUp.write(d, { keep_eth_link_up: v ? 1 : 0 }),
  },
  {
    def: {
      name: 'cqe_compression',
      type: { kind: 'enum', values: CQE_COMPRESSION },
      apply: 'reset',
      description: 'CQE compression (mlxconfig CQE_COMPRESSION, devlink cqe_compress_type; NV_SW_OFFLOAD_CONFIG.cqe_compression)',
    },
    tlv: SW_OFFLOAD,
    get: (d) => CQE_COMPRESSION[NvSwOffloadConf.get(d, 'cqe_compression')] ?? `unknown(${NvSwOffloadConf.get(d, 'cqe_compression')})`,
    set: (d, v) => NvSwOffloadConf.write(d, { cqe_compression: enumIndex(CQE_COMPRESSION, v) }),
  },
  {
    def: { name: 'ip_over_vxlan_en', type: { kind: 'bool' }, apply: 'reset', description: 'IP-over-VXLAN offload (mlxconfig IP_OVER_VXLAN_EN)' },
    tlv: SW_OFFLOAD,
    get: (d) => NvSwOffloadConf.get(d, 'ip_over_vxlan_en') === 1,
    set: (d, v) => NvSwOffloadConf.write(d, { ip_over_vxlan_en: v ? 1 : 0 }),
  },
  {
    def: {
      name: 'ip_over_vxlan_port',
      type: { kind: 'int', min: 0, max: 65535, unit: 'udp port' },
      apply: 'reset',
      description: 'UDP port of IP-over-VXLAN (mlxconfig IP_OVER_VXLAN_PORT)',
    },
    tlv: SW_OFFLOAD,
    get: (d) => NvSwOffloadConf.get(d, 'ip_over_vxlan_port'),
    set: (d, v) => NvSwOffloadConf.write(d, { ip_over_vxlan_port: Number(v) }),
  },
  {
    def: {
      name: 'swp_l4_csum_mode',
      type: { kind: 'enum', values: SWP_L4_CSUM_MODE },
      apply: 'reset',
      description: 'software-parser L4 checksum mode (devlink swp_l4_csum_mode; NV_SW_ACCELERATE_CONF)',
    },
    tlv: SW_ACCELERATE,
    get: (d) => SWP_L4_CSUM_MODE[NvSwAccelerateConf.get(d, 'swp_l4_csum_mode')] ?? `unknown(${NvSwAccelerateConf.get(d, 'swp_l4_csum_mode')})`,
    set: (d, v) => NvSwAccelerateConf.write(d, { swp_l4_csum_mode: enumIndex(SWP_L4_CSUM_MODE, v) }),
  },
];

export const tlvKey = (t: { typeClass: number; index: number; port?: number }): string => `${t.typeClass}:${t.port ?? 0}:${t.index}`;
