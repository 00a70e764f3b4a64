/**
 * `accelctl config` for bnxt: NVM configuration options through
 * HWRM_NVM_GET_VARIABLE / HWRM_NVM_SET_VARIABLE.
 *
 * bnxt_fwctl lists both in its DMA table at FWCTL_RPC_CONFIGURATION (the value
 * travels in a host buffer whose address sits at offset 16), so reads are
 * inspect and writes configure, both sent at the configuration scope.
 * - next_boot: the stored NVM value (NVM_GET_VARIABLE);
 * - default: the factory default (NVM_GET_VARIABLE with FLAGS_FACTORY_DFLT);
 * - current: HWRM has no "running value" read for NVM options, so it comes from
 *   the running state where firmware reports it (FUNC_QCAPS max_vfs,
 *   FUNC_QCFG alloc_vfs / alloc_msix / WoL and LLDP-agent flags); options with
 *   no running readback (PXE agent, pre-OS link speed, cfg version) show the
 *   stored value as current.
 */
import { AccelError, type CommandContext, type ConfigParamDef, type ConfigParamState, type ConfigSupport, type ParamValue } from 'accelctl/sdk';
import { decodeCmdErr, expectReqType } from './decode';
import { encodeFuncQcaps } from './encode';
import { encodeFuncQcfg, encodeNvmVariable, FUNC_QCFG_OUTPUT_SIZE } from './encode-nvm';
import { HWRM } from './hsi';
import { FuncQcapsOutput } from './layouts';
import { FUNC_QCFG_FLAGS, FuncQcfgOutput, NVM_GET_VARIABLE_FLAGS_FACTORY_DFLT, NVM_VARIABLE_ADDR_AT } from './layouts-nvm';
import { LINK_SPEEDS, NVM_OPTIONS, optionByName, optionBytes, type NvmOption } from './nvm-options';

/** What the running state says, read once per invocation. */
interface RunningState {
  fid: number;
  portId: number;
  maxVfs: number;
  allocVfs: number;
  allocMsix: number;
  qcfgFlags: number;
}

async function runningState(ctx: CommandContext): Promise<RunningState> {
  // Not cached in ctx.cache: the umbrella reads again after a reset in the same invocation.
  const qcfg = await ctx.rpc(encodeFuncQcfg(), { outLen: FUNC_QCFG_OUTPUT_SIZE });
  expectReqType(qcfg, HWRM.FUNC_QCFG);
  const q = FuncQcfgOutput.decode(qcfg);
  const qcaps = await ctx.rpc(encodeFuncQcaps());
  expectReqType(qcaps, HWRM.FUNC_QCAPS);
  const state: RunningState = {
    fid: q.fid,
    portId: q.port_id,
    maxVfs: FuncQcapsOutput.get(qcaps, 'max_vfs'),
    allocVfs: q.alloc_vfs,
    allocMsix: q.alloc_msix,
    qcfgFlags: q.flags,
  };
  return state;
}

/** index_0 as bnxt_hwrm_nvm_req() computes it (BNXT_FIRST_PF_FID is 1). */
function optionIndex(option: NvmOption, running: RunningState): number {
  if (option.scope === 'port') return running.portId;
  if (option.scope === 'function') return Math.max(0, running.fid - 1);
  return 0;
}

function toParam(option: NvmOption, raw: number): ParamValue {
  switch (option.type.kind) {
    case 'bool':
      return raw !== 0;
    case 'enum':
      return LINK_SPEEDS[raw] ?? `unknown (${raw})`;
    default:
      return raw;
  }
}

function fromParam(option: NvmOption, value: ParamValue): number {
  if (option.type.kind === 'bool') return value === true ? 1 : 0;
  if (option.type.kind === 'enum') {
    const at = option.type.values.indexOf(String(value));
    if (at < 0) throw new AccelError('ACCELCTL_E_BAD_INPUT', `${option.name}: "${String(value)}" is not one of ${option.type.values.join(', ')}`);
    return at;
  }
  if (typeof value !== 'number') throw new AccelError('ACCELCTL_E_BAD_INPUT', `${option.name} takes a number`);
  return value;
}

function littleEndian(bytes: Uint8Array, count: number): number {
  let value = 0;
  for (let i = count - 1; i >= 0; i--) value = value * 256 + (bytes[i] ?? 0);
  return value;
}

async function getVariable(ctx: CommandContext, option: NvmOption, index: number, factory: boolean): Promise<number> {
  const request = encodeNvmVariable(HWRM.NVM_GET_VARIABLE, option.option, option.bits, index, factory ? NVM_GET_VARIABLE_FLAGS_FACTORY_DFLT : 0);
  // bnxt_fwctl bounces data_len bytes (it reads the bit count as a byte count), so offer that many.
  const { reply, buffers } = await ctx.rpcIndirect(request, [{ pointerAt: NVM_VARIABLE_ADDR_AT, length: option.bits }]);
  expectReqType(reply, HWRM.NVM_GET_VARIABLE);
  const mask = option.bits >= 32 ? 0xffffffff : 2 ** option.bits - 1;
  return littleEndian(buffers[0] ?? new Uint8Array(0), optionBytes(option.bits)) % (mask + 1);
}

function currentValue(option: NvmOption, stored: number, running: RunningState): number {
  switch (option.running) {
    case 'qcaps_max_vfs':
      return running.maxVfs > 0 ? 1 : 0;
    case 'qcfg_alloc_vfs':
      return running.allocVfs;
    case 'qcfg_alloc_msix':
      return running.allocMsix;
    case 'qcfg_wol':
      return (running.qcfgFlags & FUNC_QCFG_FLAGS.OOB_WOL_MAGICPKT_ENABLED) !== 0 ? 1 : 0;
    case 'qcfg_lldp':
      return (running.qcfgFlags & FUNC_QCFG_FLAGS.FW_LLDP_AGENT_ENABLED) !== 0 ? 1 : 0;
    default:
      return stored;
  }
}

function selected(names: readonly string[]): NvmOption[] {
  if (names.length === 0) return [...NVM_OPTIONS];
  return names.map((name) => {
    const option = optionByName(name);
    if (option === undefined) throw new AccelError('ACCELCTL_E_BAD_INPUT', `bnxt has no parameter "${name}"`, { hint: `known: ${NVM_OPTIONS.map((o) => o.name).join(', ')}` });
    return option;
  });
}

export const configSupport: ConfigSupport = {
  async params(): Promise<readonly ConfigParamDef[]> {
    return NVM_OPTIONS.map((o) => ({ name: o.name, type: o.type, description: o.description, apply: o.apply, ...(o.readOnly ? { readOnly: true } : {}) }));
  },
  async read(ctx, names): Promise<ConfigParamState[]> {
    const running = await runningState(ctx);
    const states: ConfigParamState[] = [];
    for (const option of selected(names)) {
      const index = optionIndex(option, running);
      const stored = await getVariable(ctx, option, index, false);
      const factory = await getVariable(ctx, option, index, true);
      states.push({
        name: option.name,
        default: toParam(option, factory),
        current: toParam(option, currentValue(option, stored, running)),
        nextBoot: toParam(option, stored),
      });
    }
    return states;
  },
  async write(ctx, changes): Promise<void> {
    const running = await runningState(ctx);
    for (const change of changes) {
      const [option] = selected([change.name]);
      if (option === undefined) continue;
      if (option.readOnly) throw new AccelError('ACCELCTL_E_BAD_INPUT', `${option.name} is read-only`);
      const raw = fromParam(option, change.value);
      const data = new Uint8Array(option.bits); // data_len bytes, as the kernel copies them
      for (let i = 0, v = raw; i < optionBytes(option.bits); i++, v = Math.floor(v / 256)) data[i] = v & 0xff;
      const request = encodeNvmVariable(HWRM.NVM_SET_VARIABLE, option.option, option.bits, optionIndex(option, running));
      const { reply } = await ctx.rpcIndirect(request, [{ pointerAt: NVM_VARIABLE_ADDR_AT, data }], { allowDeviceError: true });
      const code = reply.length >= 2 ? reply[0]! | (reply[1]! << 8) : 0;
      if (code !== 0) {
        throw new AccelError('ACCELCTL_E_DEVICE_STATUS', `firmware refused ${option.name}=${String(change.value)} (HWRM error 0x${code.toString(16)}, cmd_err ${decodeCmdErr(reply) ?? '-'})`);
      }
      expectReqType(reply, HWRM.NVM_SET_VARIABLE);
    }
  },
  writeClass: 'configure',
  rpcs: {
    read: ['HWRM_FUNC_QCFG', 'HWRM_FUNC_QCAPS', 'HWRM_NVM_GET_VARIABLE'],
    write: ['HWRM_FUNC_QCFG', 'HWRM_FUNC_QCAPS', 'HWRM_NVM_SET_VARIABLE'],
  },
  note:
    'Stored in NVM with HWRM_NVM_SET_VARIABLE (configuration scope, DMA buffer); new values take effect after `accelctl reset` ' +
    '(HWRM_FW_RESET) or a host reboot. bnxt firmware has no per-option "running value" query: current comes from FUNC_QCFG/FUNC_QCAPS ' +
    'where firmware reports it, otherwise it is the stored value.',
};
