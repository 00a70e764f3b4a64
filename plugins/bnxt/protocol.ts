/**
 * The bnxt protocol: classifier (the kernel's scope table), reply status,
 * default reply sizes and generic decoding for `accelctl rpc`.
 */
import { malformedReply, type Classification, type Protocol, type ReplyStatus, type RpcKind } from 'accelctl/sdk';
import { decodeFactoryDefaults, decodeFuncQcaps, decodeHeader, decodeHealth, decodeTempMonitor, decodeVerGet, decodeCmdErr } from './decode';
import { HWRM, HWRM_MAX_REQ_LEN, HWRM_MAX_RESP_LEN, errorCodeName, hwrmName } from './hsi';
import { HwrmInput, HwrmOutput } from './layouts';
import { MAX_DMABUF, SCOPE_TABLE, type DmaDesc } from './table';

/** sizeof(struct input): the kernel refuses shorter requests with EINVAL. */
export const HWRM_MIN_REQ_LEN = HwrmInput.size;

/** bnxtctl_check_dma_lens(): every buffer length must be 1..FWCTL_BNXT_MAX_DMABUF. */
function dmaLengthsOk(request: Uint8Array, dma: DmaDesc): boolean {
  const dv = new DataView(request.buffer, request.byteOffset, request.byteLength);
  return dma.fields.every((field) => {
    const length = 'fixed' in field ? field.fixed : (field.width === 2 ? dv.getUint16(field.at, true) : dv.getUint32(field.at, true)) * field.unit;
    return length > 0 && length <= MAX_DMABUF;
  });
}

/**
 * Reach the decision bnxtctl_fw_rpc() reaches, before anything is sent:
 * in_len within [16, HWRM_MAX_REQ_LEN]; for DMA commands in_len equal to the
 * input struct and valid buffer lengths; and the req_type's minimum scope.
 */
export function classifyHwrm(request: Uint8Array): Classification | undefined {
  if (request.length < HWRM_MIN_REQ_LEN || request.length > HWRM_MAX_REQ_LEN) return undefined;
  const reqType = HwrmInput.get(request, 'req_type');
  const entry = SCOPE_TABLE.get(reqType);
  if (entry === undefined) return undefined;
  if (entry.dma !== undefined) {
    if (entry.dma.reqSize === undefined || request.length !== entry.dma.reqSize) return undefined;
    if (!dmaLengthsOk(request, entry.dma)) return undefined;
  }
  return { rpcClass: entry.rpcClass, scope: entry.scope, name: `HWRM_${entry.name}` };
}

export function replyStatus(_request: Uint8Array, reply: Uint8Array): ReplyStatus {
  if (reply.length < HwrmOutput.size) throw malformedReply(`HWRM reply of ${reply.length} bytes is shorter than its 8-byte header`);
  const code = HwrmOutput.get(reply, 'error_code');
  if (code === 0) return { ok: true };
  const cmdErr = decodeCmdErr(reply);
  return {
    ok: false,
    status: code,
    message: errorCodeName(code),
    detail: { req_type: hwrmName(HwrmOutput.get(reply, 'req_type')), ...(cmdErr === undefined ? {} : { cmd_err: cmdErr }) },
  };
}

/** hsi.h `(size:…)` of the responses this plugin decodes. */
const RESPONSE_SIZES = new Map<number, number>([
  [HWRM.VER_GET, 176],
  [HWRM.FUNC_QCAPS, 144],
  [HWRM.TEMP_MONITOR_QUERY, 24],
  [HWRM.FW_HEALTH_CHECK, 16],
  [HWRM.FUNC_RESET, 16],
  [HWRM.NVM_FACTORY_DEFAULTS, 16],
  [HWRM.NVM_GET_VARIABLE, 16],
  [HWRM.NVM_SET_VARIABLE, 16],
  [HWRM.NVM_WRITE, 16],
  [HWRM.NVM_MODIFY, 16],
  [HWRM.NVM_VERIFY_UPDATE, 16],
  [HWRM.FW_RESET, 16],
  [HWRM.NVM_GET_DEV_INFO, 88],
  [HWRM.FUNC_QCFG, 160],
  [HWRM.FUNC_QSTATS, 176],
  [HWRM.PORT_PHY_QCFG, 96],
]);

export function defaultOutLen(request: Uint8Array): number {
  if (request.length < 2) return HWRM_MAX_RESP_LEN;
  return RESPONSE_SIZES.get(HwrmInput.get(request, 'req_type')) ?? HWRM_MAX_RESP_LEN;
}

const DECODERS = new Map<number, (reply: Uint8Array) => unknown>([
  [HWRM.VER_GET, decodeVerGet],
  [HWRM.FUNC_QCAPS, decodeFuncQcaps],
  [HWRM.TEMP_MONITOR_QUERY, decodeTempMonitor],
  [HWRM.FW_HEALTH_CHECK, decodeHealth],
  [HWRM.NVM_FACTORY_DEFAULTS, decodeFactoryDefaults],
]);

export function decodeReply(request: Uint8Array, reply: Uint8Array): unknown {
  const header = decodeHeader(reply);
  const decoder = request.length >= 2 ? DECODERS.get(HwrmInput.get(request, 'req_type')) : undefined;
  if (header.error_code !== 0 || decoder === undefined) return { header };
  return { header, body: decoder(reply) };
}

/** struct fwctl_info_bnxt { __u32 uctx_caps; } (include/uapi/fwctl/bnxt.h). */
const UCTX_CAP_NAMES = ['inline_commands', 'query_commands', 'send_commands', 'dma_commands'] as const;

export function decodeInfo(data: Uint8Array): Record<string, unknown> {
  if (data.length < 4) throw malformedReply(`fwctl_info_bnxt needs 4 bytes, have ${data.length}`);
  const caps = new DataView(data.buffer, data.byteOffset, data.byteLength).getUint32(0, true);
  return {
    uctx_caps: `0x${caps.toString(16).padStart(8, '0')}`,
    capabilities: UCTX_CAP_NAMES.filter((_, bit) => (caps & (1 << bit)) !== 0),
  };
}

export const rpcKinds: readonly RpcKind[] = [...SCOPE_TABLE.values()].map((e) => ({
  name: `HWRM_${e.name}`,
  rpcClass: e.rpcClass,
  scope: e.scope,
  description: e.description,
}));

export const protocol: Protocol = {
  classify: (request) => classifyHwrm(request),
  replyStatus,
  defaultOutLen,
  decodeReply,
  decodeInfo,
  rpcKinds,
};
