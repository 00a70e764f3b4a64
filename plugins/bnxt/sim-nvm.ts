/**
 * The simulated BCM57508's NVM side: configuration options (NVM_GET/SET_VARIABLE
 * through the DMA buffer the request points to), two firmware banks written by
 * NVM_WRITE / NVM_MODIFY and checked by NVM_VERIFY_UPDATE, a chip reset
 * (FW_RESET) that boots stored configuration and a verified image, and the
 * running-state queries (FUNC_QCFG, FUNC_QSTATS, PORT_PHY_QCFG, NVM_GET_DEV_INFO).
 *
 * Banks: the running image is in `banks.active`; a flash erases and fills the
 * other bank only (NVM_WRITE with KEEP_ORIG_ACTIVE_IMG), so power loss mid-way
 * leaves the running image untouched and the other bank "incomplete". A
 * verified bank becomes `pending` and boots at the next chip reset or power cycle.
 * Image bytes are not kept (the state is JSON): the model keeps the header, a
 * running CRC-32 register and the last four bytes, which is all verification needs.
 */
import { type SimEnvironment, crc32 } from 'accelctl/sdk';
import { HWRM, HWRM_ERR } from './hsi';
import { IMAGE_HEADER_SIZE, parseImage } from './image';
import { HwrmInput } from './layouts';
import {
  BNX_DIR_TYPE,
  FUNC_QCFG_FLAGS,
  FUNC_QCFG_OUTPUT_SIZE,
  FuncQcfgOutput,
  FuncQstatsOutput,
  FW_RESET_PROC,
  FwResetInput,
  FwResetOutput,
  NVM_GET_VARIABLE_FLAGS_FACTORY_DFLT,
  NVM_VARIABLE_CMD_ERR,
  NVM_WRITE_CMD_ERR,
  NvmGetDevInfoOutput,
  NvmGetVariableOutput,
  NvmModifyInput,
  NvmVariableInput,
  NvmVerifyUpdateInput,
  NvmWriteInput,
  NvmWriteOutput,
  PORT_PHY_QCFG_OUTPUT_SIZE,
  PortPhyQcfgOutput,
} from './layouts-nvm';
import { NVM_OPTIONS, optionBytes, type NvmOption } from './nvm-options';
import { fail, finish, ok, type Answer, type BnxtSimState } from './sim-firmware';

export interface NvmConfigState {
  /** Stored (next-boot) values by "option:index"; absent = factory default. */
  nvm: Record<string, number>;
  /** Values the chip booted with, same keys. */
  running: Record<string, number>;
}

export interface BankImage {
  state: 'valid' | 'incomplete' | 'invalid';
  version: string | null;
}

export interface Staging {
  bank: number;
  dirIdx: number;
  itemLength: number;
  written: number;
  /** Running CRC-32 (continuation value) over bytes [0, written - 4). */
  crc: number;
  /** The last up-to-4 bytes written (hex): the CRC trailer once the item is complete. */
  tail: string;
  /** The image header (hex), once written. */
  header: string;
}

export interface BanksState {
  active: number;
  images: BankImage[];
  /** A verified bank waiting for the next boot. */
  pending: number | null;
  staging: Staging | null;
}

/** Factory defaults of the simulated adapter. */
const FACTORY: Record<string, number> = {
  sriov_en: 1, num_of_vfs: 8, msix_vec_per_pf_max: 74, wol_magic_pkt_en: 0, lldp_agent_en: 1, pxe_boot_en: 1, link_speed_d0: 0, nvm_cfg_ver: 21,
};
/** Firmware-side range checks (the NVM option definitions' limits). */
const LIMITS: Record<string, number> = { num_of_vfs: 128, msix_vec_per_pf_max: 512, link_speed_d0: 6 };
/** The NVM item size the simulated directory reserves for each firmware bank. */
export const BANK_ITEM_SIZE = 4 * 1024 * 1024;
/** Directory indexes of the two firmware items. */
const BANK_DIR_IDX = [7, 8];

const key = (option: number, index: number): string => `${option}:${index}`;
const factoryOf = (o: NvmOption): number => FACTORY[o.name] ?? 0;

/** Fill in the NVM state of a device created before it existed. */
export function ensureNvm(state: BnxtSimState): { config: NvmConfigState; banks: BanksState } {
  state.config ??= { nvm: {}, running: {} };
  state.banks ??= { active: 0, images: [{ state: 'valid', version: state.fw.pkg }, { state: 'valid', version: state.fw.pkg }], pending: null, staging: null };
  return { config: state.config, banks: state.banks };
}

function indexFor(state: BnxtSimState, o: NvmOption): number {
  return o.scope === 'port' ? state.index % 2 : 0;
}

/** The running value of an option for this device's own port/function. */
export function runningOption(state: BnxtSimState, name: string): number {
  const o = NVM_OPTIONS.find((x) => x.name === name);
  if (o === undefined) return 0;
  return ensureNvm(state).config.running[key(o.option, indexFor(state, o))] ?? factoryOf(o);
}

function dataAddress(request: Uint8Array, at: number): bigint {
  return new DataView(request.buffer, request.byteOffset, request.byteLength).getBigUint64(at, true);
}

function variable(state: BnxtSimState, request: Uint8Array, env: SimEnvironment, set: boolean): Answer {
  if (request.length < NvmVariableInput.size) return fail(request, HWRM_ERR.INVALID_PARAMS);
  const r = NvmVariableInput.decode(request);
  const o = NVM_OPTIONS.find((x) => x.option === r.option_num);
  if (o === undefined) return fail(request, HWRM_ERR.FAIL, NVM_VARIABLE_CMD_ERR.VAR_NOT_EXIST);
  if (r.data_len < o.bits) return fail(request, HWRM_ERR.FAIL, NVM_VARIABLE_CMD_ERR.LEN_TOO_SHORT);
  if (r.dimensions > 1 || (r.dimensions === 0 && r.index_0 !== 0)) return fail(request, HWRM_ERR.INVALID_PARAMS);
  const { config } = ensureNvm(state);
  const k = key(o.option, r.index_0);
  const bytes = optionBytes(o.bits);
  if (!set) {
    const factory = (r.flags & NVM_GET_VARIABLE_FLAGS_FACTORY_DFLT) !== 0;
    let value = factory ? factoryOf(o) : (config.nvm[k] ?? factoryOf(o));
    const data = new Uint8Array(bytes);
    for (let i = 0; i < bytes; i++, value = Math.floor(value / 256)) data[i] = value & 0xff;
    env.memory.write(r.data_addr, data);
    return ok(request, NvmGetVariableOutput.encode({ data_len: o.bits, option_num: o.option }));
  }
  if (o.readOnly) return fail(request, HWRM_ERR.RESOURCE_ACCESS_DENIED);
  const data = env.memory.read(r.data_addr, bytes);
  let value = 0;
  for (let i = bytes - 1; i >= 0; i--) value = value * 256 + (data[i] ?? 0);
  value %= 2 ** o.bits;
  if (value > (LIMITS[o.name] ?? 2 ** o.bits - 1) || (o.name === 'msix_vec_per_pf_max' && value === 0)) return fail(request, HWRM_ERR.INVALID_PARAMS);
  config.nvm[k] = value;
  if (value !== (config.running[k] ?? factoryOf(o))) state.fwStatus |= 0x800; // CFG_MISMATCH until the chip reboots
  return ok(request, new Uint8Array(16));
}

/* ------------------------------------------------------------------ flashing */

function commitChunk(staging: Staging, chunk: Uint8Array): void {
  // Hold back the last 4 bytes seen: they are the CRC trailer if the item ends here.
  const joined = new Uint8Array([...Buffer.from(staging.tail, 'hex'), ...chunk]);
  const keep = Math.min(4, joined.length);
  staging.crc = crc32(joined.subarray(0, joined.length - keep), staging.crc);
  staging.tail = Buffer.from(joined.subarray(joined.length - keep)).toString('hex');
  if (staging.written < IMAGE_HEADER_SIZE) {
    const need = IMAGE_HEADER_SIZE - staging.written;
    staging.header += Buffer.from(chunk.subarray(0, need)).toString('hex');
  }
  staging.written += chunk.length;
}

function nvmWrite(state: BnxtSimState, request: Uint8Array, env: SimEnvironment): Answer {
  if (request.length < NvmWriteInput.size) return fail(request, HWRM_ERR.INVALID_PARAMS);
  const r = NvmWriteInput.decode(request);
  if (r.dir_type !== BNX_DIR_TYPE.CHIMP_PATCH || r.dir_ordinal !== 0) return fail(request, HWRM_ERR.INVALID_PARAMS);
  if (r.dir_item_length > BANK_ITEM_SIZE || r.dir_data_length > r.dir_item_length) return fail(request, HWRM_ERR.FAIL, NVM_WRITE_CMD_ERR.NO_SPACE);
  const { banks } = ensureNvm(state);
  const target = 1 - banks.active;
  const chunk = env.memory.read(r.host_src_addr, r.dir_data_length);
  // Erase the inactive bank first: from here until NVM_VERIFY_UPDATE it holds no bootable image.
  banks.images[target] = { state: 'incomplete', version: null };
  if (banks.pending === target) banks.pending = null;
  banks.staging = null;
  env.chargeFlashWrite(chunk.length);
  const staging: Staging = { bank: target, dirIdx: BANK_DIR_IDX[target] ?? 0, itemLength: r.dir_item_length, written: 0, crc: 0, tail: '', header: '' };
  commitChunk(staging, chunk);
  banks.staging = staging;
  return ok(request, NvmWriteOutput.encode({ dir_item_length: BANK_ITEM_SIZE, dir_idx: staging.dirIdx }));
}

function nvmModify(state: BnxtSimState, request: Uint8Array, env: SimEnvironment): Answer {
  if (request.length < NvmModifyInput.size) return fail(request, HWRM_ERR.INVALID_PARAMS);
  const r = NvmModifyInput.decode(request);
  const { banks } = ensureNvm(state);
  const staging = banks.staging;
  if (staging === null || r.dir_idx !== staging.dirIdx) return fail(request, HWRM_ERR.INVALID_PARAMS);
  // The model checksums as it goes, so it takes the item in order, as bnxt_en writes it.
  if (r.offset !== staging.written || r.offset + r.len > staging.itemLength) return fail(request, HWRM_ERR.INVALID_PARAMS);
  const chunk = env.memory.read(r.host_src_addr, r.len);
  env.chargeFlashWrite(chunk.length);
  commitChunk(staging, chunk);
  return ok(request, new Uint8Array(16));
}

function verifyUpdate(state: BnxtSimState, request: Uint8Array): Answer {
  if (request.length < NvmVerifyUpdateInput.size) return fail(request, HWRM_ERR.INVALID_PARAMS);
  const r = NvmVerifyUpdateInput.decode(request);
  if (r.dir_type !== BNX_DIR_TYPE.CHIMP_PATCH) return fail(request, HWRM_ERR.INVALID_PARAMS);
  const { banks } = ensureNvm(state);
  const s = banks.staging;
  if (s === null || s.written !== s.itemLength) return fail(request, HWRM_ERR.FAIL);
  banks.staging = null;
  const trailer = Buffer.from(s.tail, 'hex');
  const stored = trailer.length === 4 ? trailer.readUInt32LE(0) : -1;
  let version: string | null = null;
  if (stored === s.crc) {
    try {
      // Re-check the header with the same parser the plugin uses on files: a valid
      // header over a stub payload of the recorded length and the real CRC.
      const header = Buffer.from(s.header, 'hex');
      if (header.readUInt16LE(28) === state.chip.num && header.readUInt32LE(32) + IMAGE_HEADER_SIZE + 4 === s.itemLength) {
        version = parseImageVersion(header);
      }
    } catch {
      version = null;
    }
  }
  if (version === null) {
    banks.images[s.bank] = { state: 'invalid', version: null };
    return fail(request, HWRM_ERR.FAIL, NVM_WRITE_CMD_ERR.VERIFY_FAILED);
  }
  banks.images[s.bank] = { state: 'valid', version };
  banks.pending = s.bank;
  return ok(request, new Uint8Array(16));
}

/** The version in a stored header (parseImage's rules on a header-only image with a fresh CRC). */
function parseImageVersion(header: Uint8Array): string {
  const probe = new Uint8Array(IMAGE_HEADER_SIZE + 4);
  probe.set(header.subarray(0, IMAGE_HEADER_SIZE));
  new DataView(probe.buffer).setUint32(32, 0, true);
  new DataView(probe.buffer).setUint32(IMAGE_HEADER_SIZE, crc32(probe.subarray(0, IMAGE_HEADER_SIZE)), true);
  return parseImage(probe).version;
}

/** Boot: the pending image becomes the running one, stored options become running. */
export function boot(state: BnxtSimState): void {
  const { config, banks } = ensureNvm(state);
  banks.staging = null;
  if (banks.pending !== null && banks.images[banks.pending]?.state === 'valid') {
    banks.active = banks.pending;
    const version = banks.images[banks.active]?.version ?? state.fw.pkg;
    const parts = version.split('.').map((p) => Number.parseInt(p, 10)) as [number, number, number, number];
    state.fw = { ...state.fw, hwrm: [...parts], mgmt: [...parts], netctrl: [...parts], roce: [...parts], pkg: version };
  }
  banks.pending = null;
  config.running = { ...config.nvm };
  state.fwStatus &= ~0x800;
}

function fwReset(state: BnxtSimState, request: Uint8Array, env: SimEnvironment): Answer {
  if (request.length < FwResetInput.size) return fail(request, HWRM_ERR.INVALID_PARAMS);
  const r = FwResetInput.decode(request);
  if (r.embedded_proc_type !== FW_RESET_PROC.CHIP) return fail(request, HWRM_ERR.INVALID_PARAMS);
  boot(state);
  state.resets.count += 1;
  state.resets.last = { level: 0x100 + r.embedded_proc_type, vfId: null, at: env.now };
  return ok(request, FwResetOutput.encode({ selfrst_status: r.selfrst_status }));
}

/* ------------------------------------------------------------ running state */

export function funcQcfg(state: BnxtSimState, request: Uint8Array): Answer {
  const body = new Uint8Array(FUNC_QCFG_OUTPUT_SIZE);
  const sriov = runningOption(state, 'sriov_en') !== 0;
  const flags = (runningOption(state, 'wol_magic_pkt_en') ? FUNC_QCFG_FLAGS.OOB_WOL_MAGICPKT_ENABLED : 0) | (runningOption(state, 'lldp_agent_en') ? FUNC_QCFG_FLAGS.FW_LLDP_AGENT_ENABLED : 0);
  FuncQcfgOutput.write(body, {
    fid: state.index, port_id: state.index % 2, vlan: 0, flags, mac_address: new Uint8Array(Buffer.from(state.mac, 'hex')),
    alloc_vfs: sriov ? runningOption(state, 'num_of_vfs') : 0, alloc_msix: runningOption(state, 'msix_vec_per_pf_max'), registered_vfs: 0, always_1: 1,
  });
  return { body: finish(request, body) };
}

function devInfo(state: BnxtSimState, request: Uint8Array): Answer {
  const { banks, config } = ensureNvm(state);
  const next = banks.pending ?? banks.active;
  const version = banks.images[next]?.version ?? state.fw.pkg;
  const [a, b, c, d] = version.split('.').map((p) => Number.parseInt(p, 10));
  const cfgVer = config.nvm[key(602, 0)] ?? FACTORY.nvm_cfg_ver ?? 0;
  const body = NvmGetDevInfoOutput.encode({
    manufacturer_id: 0x14e4, device_id: state.chip.num, sector_size: 4096, nvram_size: 32 * 1024 * 1024, reserved_size: 0x200000,
    available_size: 32 * 1024 * 1024 - 2 * BANK_ITEM_SIZE - 0x200000, nvm_cfg_ver_maj: 1, nvm_cfg_ver_min: 0, nvm_cfg_ver_upd: cfgVer, flags: 0x1, pkg_name: version,
    hwrm_fw_major: a ?? 0, hwrm_fw_minor: b ?? 0, hwrm_fw_build: c ?? 0, hwrm_fw_patch: d ?? 0,
    mgmt_fw_major: a ?? 0, mgmt_fw_minor: b ?? 0, mgmt_fw_build: c ?? 0, mgmt_fw_patch: d ?? 0,
    roce_fw_major: a ?? 0, roce_fw_minor: b ?? 0, roce_fw_build: c ?? 0, roce_fw_patch: d ?? 0,
    netctrl_fw_major: a ?? 0, netctrl_fw_minor: b ?? 0, netctrl_fw_build: c ?? 0, netctrl_fw_patch: d ?? 0,
  });
  return { body: finish(request, body) };
}

/** Counters grow with the clock: a steady load whose rate follows the device serial. */
const EPOCH = 1_600_000_000_000;

function funcQstats(state: BnxtSimState, request: Uint8Array, env: SimEnvironment): Answer {
  const seconds = Math.max(0, (env.now - EPOCH) / 1000);
  const rate = 2e8 + (state.tempBaseC - 52) * 3e7; // bytes/s
  const c = (bytesPerSecond: number): bigint => BigInt(Math.floor(seconds * bytesPerSecond));
  const body = FuncQstatsOutput.encode({
    rx_ucast_bytes: c(rate), rx_mcast_bytes: c(rate / 1000), rx_bcast_bytes: c(rate / 5000),
    tx_ucast_bytes: c(rate * 0.6), tx_mcast_bytes: c(rate / 2000), tx_bcast_bytes: c(rate / 8000),
    rx_ucast_pkts: c(rate / 1024), rx_mcast_pkts: c(rate / 1000 / 256), rx_bcast_pkts: c(rate / 5000 / 128),
    tx_ucast_pkts: c((rate * 0.6) / 1024), tx_mcast_pkts: c(rate / 2000 / 256), tx_bcast_pkts: c(rate / 8000 / 128),
    rx_discard_pkts: c(0.02), rx_drop_pkts: c(0.005), tx_discard_pkts: c(0.001), tx_drop_pkts: 0n,
    rx_agg_pkts: 0n, rx_agg_bytes: 0n, rx_agg_events: 0n, rx_agg_aborts: 0n,
  });
  return { body: finish(request, body) };
}

function portPhyQcfg(request: Uint8Array): Answer {
  const body = new Uint8Array(PORT_PHY_QCFG_OUTPUT_SIZE);
  PortPhyQcfgOutput.write(body, { link: 2, link_speed: 0x3e8, duplex_cfg: 1 }); // link up, 100 Gb/s, full duplex
  return { body: finish(request, body) };
}

/** The NVM / running-state requests; undefined for anything else. */
export function handleNvm(state: BnxtSimState, request: Uint8Array, env: SimEnvironment): Answer | undefined {
  switch (HwrmInput.get(request, 'req_type')) {
    case HWRM.NVM_GET_VARIABLE:
      return variable(state, request, env, false);
    case HWRM.NVM_SET_VARIABLE:
      return variable(state, request, env, true);
    case HWRM.NVM_WRITE:
      return nvmWrite(state, request, env);
    case HWRM.NVM_MODIFY:
      return nvmModify(state, request, env);
    case HWRM.NVM_VERIFY_UPDATE:
      return verifyUpdate(state, request);
    case HWRM.FW_RESET:
      return fwReset(state, request, env);
    case HWRM.NVM_GET_DEV_INFO:
      return devInfo(state, request);
    case HWRM.FUNC_QSTATS:
      return funcQstats(state, request, env);
    case HWRM.PORT_PHY_QCFG:
      return portPhyQcfg(request);
    default:
      return undefined;
  }
}
