/**
 * The DSC firmware model behind the pds_core adminq: the three fwctl adminq
 * commands pds_fwctl uses (pds_adminq.h):
 *  - PDS_FWCTL_CMD_IDENT (70): struct pds_fwctl_ident (limits)
 *  - PDS_FWCTL_CMD_QUERY (72): struct pds_fwctl_query_data with endpoint entries
 *    (entity ROOT) or operation entries (entity ENDPOINT, attribute in `scope`)
 *  - PDS_FWCTL_CMD_RPC (71): execute (ep, op) on DMA'd request bytes, fill the
 *    response buffer, report the RPC's error in the completion's `err`
 *
 * The tables here are the firmware's own, written independently of the plugin's
 * catalogue (catalog.ts); a test checks that the two agree.
 */
import { defineStruct } from 'accelctl/sdk';
import * as P from './payloads';
import { LANES_PER_PORT, type PdsSimState } from './sim-state';

export const PDS_FWCTL_CMD_IDENT = 70;
export const PDS_FWCTL_CMD_RPC = 71;
export const PDS_FWCTL_CMD_QUERY = 72;

export const PDS_FWCTL_RPC_ROOT = 0;
export const PDS_FWCTL_RPC_ENDPOINT = 1;
export const PDS_FWCTL_RPC_OPERATION = 2;

/** The driver's query buffer is one page (dma_alloc_coherent(PAGE_SIZE)). */
export const QUERY_BUF_LEN = 4096;

/** struct pds_fwctl_ident (packed, 22 bytes). */
export const FwctlIdent = defineStruct('pds_fwctl_ident', 22, {
  features: { at: 0, type: 'u64le' },
  version: { at: 8, type: 'u8' },
  maxReqSz: { at: 12, type: 'u32le' },
  maxRespSz: { at: 16, type: 'u32le' },
  maxReqSgElems: { at: 20, type: 'u8' },
  maxRespSgElems: { at: 21, type: 'u8' },
});

/** struct pds_fwctl_query_data header (packed, 8 bytes) + entries[]. */
export const QueryData = defineStruct('pds_fwctl_query_data', 8, {
  version: { at: 0, type: 'u8' },
  numEntries: { at: 4, type: 'u32le' },
});
/** struct pds_fwctl_query_data_endpoint (4 bytes). */
export const QueryEndpoint = defineStruct('pds_fwctl_query_data_endpoint', 4, { id: { at: 0, type: 'u32le' } });
/** struct pds_fwctl_query_data_operation (8 bytes). */
export const QueryOperation = defineStruct('pds_fwctl_query_data_operation', 8, {
  id: { at: 0, type: 'u32le' },
  scope: { at: 4, type: 'u8' },
});

/** Status values of enum pds_core_status_code the model returns. */
export const RC = {
  SUCCESS: 0,
  EOPCODE: 2,
  ENOENT: 7,
  EINVAL: 14,
  ENOSPC: 15,
  ERANGE: 16,
} as const;

/** The firmware's operation lists: [listed id, attribute byte]. */
export const FIRMWARE_ENDPOINTS: readonly { id: number; ops: readonly (readonly [number, number])[] }[] = [
  { id: 1, ops: [[0x0000_0001, 0x00], [0x0000_0002, 0x00], [0x0000_0003, 0x04], [0x0000_0004, 0x10]] },
  { id: 2, ops: [[0x0001_0101, 0x00], [0x0000_0102, 0x00], [0x0000_0103, 0x04], [0x0000_0104, 0x02], [0x0000_0105, 0x08]] },
  { id: 3, ops: [[0x0000_0201, 0x02], [0x0000_0202, 0x08], [0x0000_0203, 0x02], [0x0000_0204, 0x20]] },
];

export const FIRMWARE_LIMITS = { maxReqSz: 1024, maxRespSz: 4096 } as const;

export function firmwareIdent(): Uint8Array {
  return FwctlIdent.encode({ features: 0n, version: 1, maxReqSz: FIRMWARE_LIMITS.maxReqSz, maxRespSz: FIRMWARE_LIMITS.maxRespSz, maxReqSgElems: 1, maxRespSgElems: 1 });
}

/** PDS_FWCTL_CMD_QUERY: fills a QUERY_BUF_LEN buffer; ENOENT for an unknown endpoint. */
export function firmwareQuery(entity: number, ep: number): { status: number; data: Uint8Array } {
  const data = new Uint8Array(QUERY_BUF_LEN);
  if (entity === PDS_FWCTL_RPC_ROOT) {
    QueryData.write(data, { version: 0, numEntries: FIRMWARE_ENDPOINTS.length });
    FIRMWARE_ENDPOINTS.forEach((e, i) => QueryEndpoint.write(data, { id: e.id }, 8 + i * 4));
    return { status: RC.SUCCESS, data };
  }
  if (entity === PDS_FWCTL_RPC_ENDPOINT) {
    const endpoint = FIRMWARE_ENDPOINTS.find((e) => e.id === ep);
    if (!endpoint) return { status: RC.ENOENT, data };
    QueryData.write(data, { version: 0, numEntries: endpoint.ops.length });
    endpoint.ops.forEach(([id, attr], i) => QueryOperation.write(data, { id, scope: attr }, 8 + i * 8));
    return { status: RC.SUCCESS, data };
  }
  return { status: RC.EINVAL, data };
}

export interface RpcCommand {
  ep: number;
  op: number;
  /** The DMA'd request (req_pa/req_sz). */
  request: Uint8Array;
  /** resp_sz: the response buffer the firmware may fill. */
  respSz: number;
  now: number;
}

export interface RpcCompletion {
  /** pds_fwctl_rpc_comp.err */
  err: number;
  /** What the firmware wrote into the response buffer (at most respSz bytes). */
  response: Uint8Array;
}

type Handler = (state: PdsSimState, cmd: RpcCommand, version: number) => RpcCompletion;

const ok = (response: Uint8Array = new Uint8Array(0)): RpcCompletion => ({ err: RC.SUCCESS, response });
const fail = (err: number): RpcCompletion => ({ err, response: new Uint8Array(0) });

/** A fixed-size answer: ENOSPC when the buffer cannot hold it (nothing written). */
function answer(cmd: RpcCommand, bytes: Uint8Array): RpcCompletion {
  return cmd.respSz < bytes.length ? fail(RC.ENOSPC) : ok(bytes);
}

function needRequest(cmd: RpcCommand, size: number): boolean {
  return cmd.request.length >= size;
}

const big = (s: string): bigint => BigInt(s);

function appendLog(state: PdsSimState, line: string): void {
  state.log = (state.log + line + '\n').slice(-16_384);
}

function portOf(state: PdsSimState, cmd: RpcCommand) {
  return state.ports[P.PortRequest.get(cmd.request, 'port')];
}

/** Register snapshot of one SerDes lane: stable per (port, lane, resets). */
function serdesRegs(port: number, lane: number, resets: number): Uint8Array {
  const out = new Uint8Array(P.SERDES_REGS_SIZE);
  const dv = new DataView(out.buffer);
  for (let i = 0; i < P.SERDES_REG_COUNT; i++) {
    dv.setUint32(i * 4, (((port + 1) * 0x01000000) ^ ((lane + 1) << 16) ^ (i * 0x1111) ^ (resets * 0x9e37)) >>> 0, true);
  }
  return out;
}

const HANDLERS: Record<string, Handler> = {
  // system
  '1:1': (state, cmd) => {
    const uptime = state.bootedAt === 0 ? 0 : Math.max(0, Math.floor((cmd.now - state.bootedAt) / 1000));
    return answer(cmd, P.SysIdent.encode({ fwVersion: state.fwVersion, asicType: state.asicType, asicRev: state.asicRev, uptimeSeconds: uptime, serial: state.serial }));
  },
  '1:2': (state, cmd) =>
    answer(cmd, P.SysTemps.encode({ asicMilliC: 61_500 + state.index * 250, boardMilliC: 44_000 + state.index * 125, hbmMilliC: 58_250, criticalMilliC: 110_000 })),
  '1:3': (state, cmd) => {
    if (!needRequest(cmd, P.LedRequest.size)) return fail(RC.EINVAL);
    const on = P.LedRequest.get(cmd.request, 'on');
    if (on > 1) return fail(RC.EINVAL);
    state.ledOn = on === 1;
    return ok();
  },
  '1:4': (state, cmd) => {
    const reply = P.CommitReply.encode({ generation: state.generation + (state.pending > 0 ? 1 : 0), committed: state.pending });
    if (cmd.respSz < reply.length && cmd.respSz !== 0) return fail(RC.ENOSPC);
    if (state.pending > 0) {
      state.generation += 1;
      appendLog(state, `config: committed ${state.pending} change(s), generation ${state.generation}`);
      state.pending = 0;
    }
    return ok(cmd.respSz === 0 ? new Uint8Array(0) : reply);
  },
  // port
  '2:257': (state, cmd, version) => {
    if (!needRequest(cmd, P.PortRequest.size)) return fail(RC.EINVAL);
    const port = portOf(state, cmd);
    if (!port) return fail(RC.ENOENT);
    // Traffic keeps flowing between reads.
    port.rxPackets = String(big(port.rxPackets) + 1500n);
    port.txPackets = String(big(port.txPackets) + 1200n);
    port.rxBytes = String(big(port.rxBytes) + 1500n * 1024n);
    port.txBytes = String(big(port.txBytes) + 1200n * 1100n);
    const values = { rxPackets: big(port.rxPackets), txPackets: big(port.txPackets), rxBytes: big(port.rxBytes), txBytes: big(port.txBytes) };
    if (version === 0) return answer(cmd, P.PortStatsV0.encode(values));
    return answer(cmd, P.PortStatsV1.encode({ ...values, rxErrors: big(port.rxErrors), txErrors: big(port.txErrors) }));
  },
  '2:258': (state, cmd) => {
    if (!needRequest(cmd, P.PortRequest.size)) return fail(RC.EINVAL);
    const port = portOf(state, cmd);
    if (!port) return fail(RC.ENOENT);
    return answer(cmd, P.PortConfig.encode({ mtu: port.mtu, speedMbps: port.speedMbps, fec: port.fec, autoneg: port.autoneg ? 1 : 0, adminUp: port.adminUp ? 1 : 0 }));
  },
  '2:259': (state, cmd) => {
    if (!needRequest(cmd, P.MtuRequest.size)) return fail(RC.EINVAL);
    const { port: index, mtu } = P.MtuRequest.decode(cmd.request);
    const port = state.ports[index];
    if (!port) return fail(RC.ENOENT);
    if (mtu < 68 || mtu > 9216) return fail(RC.ERANGE);
    if (port.mtu !== mtu) {
      port.mtu = mtu;
      state.pending += 1;
      appendLog(state, `port${index}: mtu ${mtu} (pending commit)`);
    }
    return ok();
  },
  '2:260': (state, cmd) => {
    if (!needRequest(cmd, P.SerdesRequest.size)) return fail(RC.EINVAL);
    const { port: index, lane } = P.SerdesRequest.decode(cmd.request);
    const port = state.ports[index];
    if (!port || lane >= LANES_PER_PORT) return fail(RC.ENOENT);
    return answer(cmd, serdesRegs(index, lane, port.laneResets[lane] ?? 0));
  },
  '2:261': (state, cmd) => {
    if (!needRequest(cmd, P.SerdesRequest.size)) return fail(RC.EINVAL);
    const { port: index, lane } = P.SerdesRequest.decode(cmd.request);
    const port = state.ports[index];
    if (!port || lane >= LANES_PER_PORT) return fail(RC.ENOENT);
    port.laneResets[lane] = (port.laneResets[lane] ?? 0) + 1;
    appendLog(state, `port${index}: serdes lane ${lane} reset, link flap`);
    return ok();
  },
  // diag
  '3:513': (state, cmd) => {
    if (!needRequest(cmd, P.LogRequest.size)) return fail(RC.EINVAL);
    const offset = P.LogRequest.get(cmd.request, 'offset');
    const text = Buffer.from(state.log, 'latin1');
    if (offset > text.length) return fail(RC.ERANGE);
    // Variable length: as much as fits, the rest is read from a later offset.
    return ok(new Uint8Array(text.subarray(offset, offset + cmd.respSz)));
  },
  '3:514': (state) => {
    state.log = '';
    return ok();
  },
  '3:515': (state, cmd) => {
    if (!needRequest(cmd, P.CsrReadRequest.size)) return fail(RC.EINVAL);
    const addr = P.CsrReadRequest.get(cmd.request, 'addr');
    if (addr % 4n !== 0n || addr >= 0x1_0000_0000n) return fail(RC.ERANGE);
    const key = `0x${addr.toString(16)}`;
    return answer(cmd, P.CsrValue.encode({ value: state.csr[key] ?? Number((addr * 2654435761n) & 0xffffffffn) }));
  },
  '3:516': (state, cmd) => {
    if (!needRequest(cmd, P.CsrWriteRequest.size)) return fail(RC.EINVAL);
    const { addr, value } = P.CsrWriteRequest.decode(cmd.request);
    if (addr % 4n !== 0n || addr >= 0x1_0000_0000n) return fail(RC.ERANGE);
    state.csr[`0x${addr.toString(16)}`] = value;
    appendLog(state, `diag: csr 0x${addr.toString(16)} <- 0x${value.toString(16)}`);
    return ok();
  },
};

/**
 * PDS_FWCTL_CMD_RPC. The driver has already matched (ep, op) against the lists;
 * the firmware executes the version it was asked for (bits 16-23) and refuses
 * bits it does not define (24-31) with EOPCODE.
 */
export function firmwareRpc(state: PdsSimState, cmd: RpcCommand): RpcCompletion {
  if (state.bootedAt === 0) state.bootedAt = cmd.now;
  if (cmd.op >>> 24 !== 0) return fail(RC.EOPCODE);
  const handler = HANDLERS[`${cmd.ep}:${cmd.op & 0xffff}`];
  if (!handler) return fail(RC.EOPCODE);
  const done = handler(state, cmd, (cmd.op >>> 16) & 0xff);
  return { err: done.err, response: done.response.subarray(0, cmd.respSz) };
}
