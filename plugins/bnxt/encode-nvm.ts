/** Request builders for the capability blocks (NVM variables, NVM writes, resets, stats). */
import { HWRM } from './hsi';
import { hwrmRequest } from './encode';
import {
  FUNC_QCFG_OUTPUT_SIZE,
  FuncQcfgInput,
  FuncQstatsInput,
  FwResetInput,
  FW_RESET_FLAGS,
  FW_RESET_PROC,
  FW_RESET_SELFRST,
  NvmModifyInput,
  NvmVariableInput,
  NvmVerifyUpdateInput,
  NvmWriteInput,
  PortPhyQcfgInput,
} from './layouts-nvm';

export { FUNC_QCFG_OUTPUT_SIZE };

/**
 * HWRM_NVM_GET_VARIABLE / HWRM_NVM_SET_VARIABLE as bnxt_hwrm_nvm_req() builds
 * them: data_len is the variable's width in bits, index_0 the port or function
 * index, dimensions 1 only when that index is non-zero. The data address stays
 * 0: the transport puts the user buffer's address there and bnxt_fwctl swaps
 * in its bounce buffer (bnxtctl_dma_cmds, data_len read as the byte length).
 */
export function encodeNvmVariable(reqType: typeof HWRM.NVM_GET_VARIABLE | typeof HWRM.NVM_SET_VARIABLE, option: number, bits: number, index: number, flags = 0): Uint8Array {
  return hwrmRequest(reqType, {
    struct: NvmVariableInput,
    values: { data_len: bits, option_num: option, index_0: index, dimensions: index === 0 ? 0 : 1, flags },
  });
}

/** HWRM_NVM_WRITE: write the first chunk of a directory item, allocating `itemLength` bytes for it. */
export function encodeNvmWrite(dirType: number, dataLength: number, itemLength: number, flags: number): Uint8Array {
  return hwrmRequest(HWRM.NVM_WRITE, {
    struct: NvmWriteInput,
    values: { dir_type: dirType, dir_ordinal: 0, dir_ext: 0, dir_attr: 0, dir_data_length: dataLength, option: 0, flags, dir_item_length: itemLength, offset: 0, len: 0 },
  });
}

/** HWRM_NVM_MODIFY: write `length` bytes at `offset` of directory entry `dirIdx`. */
export function encodeNvmModify(dirIdx: number, offset: number, length: number, flags: number): Uint8Array {
  return hwrmRequest(HWRM.NVM_MODIFY, { struct: NvmModifyInput, values: { dir_idx: dirIdx, offset, len: length, flags } });
}

export function encodeNvmVerifyUpdate(dirType: number): Uint8Array {
  return hwrmRequest(HWRM.NVM_VERIFY_UPDATE, { struct: NvmVerifyUpdateInput, values: { dir_type: dirType, dir_ordinal: 0, dir_ext: 0 } });
}

/** HWRM_FW_RESET of the whole chip, as bnxt_en's devlink reload fw_activate sends it. */
export function encodeFwResetChip(): Uint8Array {
  return hwrmRequest(HWRM.FW_RESET, {
    struct: FwResetInput,
    values: {
      embedded_proc_type: FW_RESET_PROC.CHIP,
      selfrst_status: FW_RESET_SELFRST.ASAP,
      flags: FW_RESET_FLAGS.RESET_GRACEFUL | FW_RESET_FLAGS.FW_ACTIVATION,
    },
  });
}

export const encodeNvmGetDevInfo = (): Uint8Array => hwrmRequest(HWRM.NVM_GET_DEV_INFO);
export const encodeFuncQcfg = (fid = 0xffff): Uint8Array => hwrmRequest(HWRM.FUNC_QCFG, { struct: FuncQcfgInput, values: { fid } });
export const encodeFuncQstats = (fid = 0xffff): Uint8Array => hwrmRequest(HWRM.FUNC_QSTATS, { struct: FuncQstatsInput, values: { fid } });
export const encodePortPhyQcfg = (portId = 0): Uint8Array => hwrmRequest(HWRM.PORT_PHY_QCFG, { struct: PortPhyQcfgInput, values: { port_id: portId } });
