/**
 * Request builders. A request is exactly the raw little-endian HWRM input
 * struct: the merged bnxt_fwctl driver takes `fwctl_rpc.in` as the HWRM message
 * itself (no wrapper struct). The header is filled the way bnxt_en's own
 * bnxt_hwrm_cmd_hdr_init() does: cmpl_ring and target_id 0xffff (no completion
 * ring, this function); seq_id and resp_addr are overwritten by the kernel
 * (hwrm_req_replace / __hwrm_send), so they are sent as zero.
 */
import { type Struct, type FieldSpec, type StructValues } from 'accelctl/sdk';
import { HWRM, HWRM_INTF_VERSION } from './hsi';
import {
  FuncQcapsInput,
  FuncResetInput,
  FUNC_RESET_ENABLES_VF_ID_VALID,
  FUNC_RESET_LEVELS,
  HwrmInput,
  NvmFactoryDefaultsInput,
  VerGetInput,
} from './layouts';

export const CMPL_RING_NONE = 0xffff;
export const TARGET_ID_SELF = 0xffff;

/** A bare request (header only, 16 bytes) or a typed input struct with its fields. */
export function hwrmRequest<F extends Record<string, FieldSpec>>(
  reqType: number,
  body?: { struct: Struct<F>; values: Partial<StructValues<F>> },
): Uint8Array {
  const bytes = body === undefined ? HwrmInput.encode({}) : body.struct.encode(body.values);
  HwrmInput.write(bytes, { req_type: reqType, cmpl_ring: CMPL_RING_NONE, seq_id: 0, target_id: TARGET_ID_SELF, resp_addr: 0n });
  return bytes;
}

export const encodeVerGet = (): Uint8Array =>
  hwrmRequest(HWRM.VER_GET, {
    struct: VerGetInput,
    values: { hwrm_intf_maj: HWRM_INTF_VERSION.major, hwrm_intf_min: HWRM_INTF_VERSION.minor, hwrm_intf_upd: HWRM_INTF_VERSION.update },
  });

/** fid 0xffff asks about the calling function. */
export const encodeFuncQcaps = (fid = 0xffff): Uint8Array => hwrmRequest(HWRM.FUNC_QCAPS, { struct: FuncQcapsInput, values: { fid } });

export const encodeTempMonitorQuery = (): Uint8Array => hwrmRequest(HWRM.TEMP_MONITOR_QUERY);

export const encodeFwHealthCheck = (): Uint8Array => hwrmRequest(HWRM.FW_HEALTH_CHECK);

export type FuncResetLevel = (typeof FUNC_RESET_LEVELS)[number];

export function encodeFuncReset(level: FuncResetLevel, vfId?: number): Uint8Array {
  return hwrmRequest(HWRM.FUNC_RESET, {
    struct: FuncResetInput,
    values: {
      enables: vfId === undefined ? 0 : FUNC_RESET_ENABLES_VF_ID_VALID,
      vf_id: vfId ?? 0,
      func_reset_level: FUNC_RESET_LEVELS.indexOf(level),
    },
  });
}

export function encodeNvmFactoryDefaults(mode: number, selection: number): Uint8Array {
  return hwrmRequest(HWRM.NVM_FACTORY_DEFAULTS, { struct: NvmFactoryDefaultsInput, values: { mode, selection } });
}
