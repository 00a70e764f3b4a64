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
import * as C from './payloads-caps';
import { commitParams, getParam, setParam } from './sim-config';
import { ensureState, heartbeat, observeFaults, portCounters, power, restartFirmware, temperatures, thermalState } from './sim-lifecycle';
import { LANES_PER_PORT, type FullState, type PdsSimState } from './sim-state';

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
export const RC_EIO = 3;

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
  { id: 1, ops: [[0x0000_0001, 0x00], [0x0000_0002, 0x00], [0x0000_0003, 0x04], [0x0000_0004, 0x10], [0x0000_0005, 0x00], [0x0000_0006, 0x00], [0x0000_0007, 0x00], [0x0000_0008, 0x10]] },
  { id: 2, ops: [[0x0001_0101, 0x00], [0x0000_0102, 0x00], [0x0000_0103, 0x04], [0x0000_0104, 0x02], [0x0000_0105, 0x08]] },
  { id: 3, ops: [[0x0000_0201, 0x02], [0x0000_0202, 0x08], [0x0000_0203, 0x02], [0x0000_0204, 0x20]] },
  { id: 4, ops: [[0x0000_0301, 0x00], [0x0000_0302, 0x04]] },
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
  /** Injected faults the firmware acts on ('health-error'). */
  faults?: readonly string[];
}

export interface RpcCompletion {
  /** pds_fwctl_rpc_comp.err */
  err: number;
  /** What the firmware wrote into the response buffer (at most respSz bytes). */
  response: Uint8Array;
}

type Handler = (state: FullState, cmd: RpcCommand, version: number) => RpcCompletion;

const ok = (response: Uint8Array = new Uint8Array(0)): RpcCompletion => ({ err: RC.SUCCESS, response });
const fail = (err: number): RpcCompletion => ({ err, response: new Uint8Array(0) });

/** A fixed-size answer: ENOSPC when the buffer cannot hold it (nothing written). */
function answer(cmd: RpcCommand, bytes: Uint8Array): RpcCompletion {
  return cmd.respSz < bytes.length ? fail(RC.ENOSPC) : ok(bytes);
}

function needRequest(cmd: RpcCommand, size: number): boolean {
  return cmd.request.length >= size;
}


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
  '1:2': (state, cmd) => {
    const t = temperatures(state, cmd.now);
    return answer(cmd, P.SysTemps.encode({ asicMilliC: t.asic, boardMilliC: t.board, hbmMilliC: t.hbm, criticalMilliC: t.critical }));
  },
  '1:3': (state, cmd) => {
    if (!needRequest(cmd, P.LedRequest.size)) return fail(RC.EINVAL);
    const on = P.LedRequest.get(cmd.request, 'on');
    if (on > 1) return fail(RC.EINVAL);
    state.ledOn = on === 1;
    return ok();
  },
  '1:4': (state, cmd) => {
    const staged = Object.values(state.params).filter((v) => v.staged !== v.saved).length;
    const changes = state.pending + staged;
    const reply = P.CommitReply.encode({ generation: state.generation + (changes > 0 ? 1 : 0), committed: changes });
    if (cmd.respSz < reply.length && cmd.respSz !== 0) return fail(RC.ENOSPC);
    if (changes > 0) {
      // One flash write for the whole staged set: flash holds the old set or the new one.
      commitParams(state);
      for (const port of state.ports) port.savedMtu = port.mtu;
      state.generation += 1;
      appendLog(state, `config: committed ${changes} change(s), generation ${state.generation}`);
      state.pending = 0;
    }
    return ok(cmd.respSz === 0 ? new Uint8Array(0) : reply);
  },
  '1:5': (state, cmd) => {
    const out = new Uint8Array(C.FW_LIST_SIZE);
    C.FwListHeader.write(out, { numSlots: state.slots.length, runningSlot: state.runningSlot, bootSlot: state.bootSlot });
    state.slots.forEach((slot, i) =>
      C.FwSlot.write(out, { name: slot.name, version: slot.version, state: C.SLOT_STATES.indexOf(slot.state) }, C.FwListHeader.size + i * C.FwSlot.size),
    );
    return answer(cmd, out);
  },
  '1:6': (state, cmd) => {
    const h = state.health;
    let linkMask = 0;
    state.ports.forEach((port, i) => {
      if (port.adminUp && port.linkUp !== false) linkMask |= 1 << i;
    });
    return answer(
      cmd,
      C.Health.encode({
        fwStatus: C.FW_STS_RUNNING | (h.errorLatched ? C.FW_STS_ERROR : 0) | ((h.generation & 0xf) << 4),
        thermalState: thermalState(state, cmd.now),
        linkMask,
        portCount: state.ports.length,
        heartbeat: heartbeat(state, cmd.now),
        recoveries: h.recoveries,
        errorCount: h.errorCount,
        lastErrorCode: h.lastErrorCode,
        linkFlaps: h.linkFlaps,
        lastErrorTime: BigInt(Math.floor(h.lastErrorAt / 1000)),
        thermalEvents: h.thermalEvents,
        lastLinkFlapTime: BigInt(Math.floor(h.lastLinkFlapAt / 1000)),
      }),
    );
  },
  '1:7': (state, cmd) => {
    const p = power(state, cmd.now);
    return answer(cmd, C.Power.encode({ boardMilliW: p.board, asicMilliW: p.asic, inputMilliV: p.input, limitMilliW: p.limit }));
  },
  '1:8': (state, cmd) => {
    if (!needRequest(cmd, C.ResetRequest.size)) return fail(RC.EINVAL);
    if (C.ResetRequest.get(cmd.request, 'kind') !== C.RESET_KIND_FW) return fail(RC.EINVAL);
    restartFirmware(state, cmd.now);
    return ok();
  },
  // port
  '2:257': (state, cmd, version) => {
    if (!needRequest(cmd, P.PortRequest.size)) return fail(RC.EINVAL);
    const port = portOf(state, cmd);
    if (!port) return fail(RC.ENOENT);
    const { rxPackets, txPackets, rxBytes, txBytes, rxErrors, txErrors } = portCounters(state, port, cmd.now);
    const values = { rxPackets, txPackets, rxBytes, txBytes };
    if (version === 0) return answer(cmd, P.PortStatsV0.encode(values));
    return answer(cmd, P.PortStatsV1.encode({ ...values, rxErrors, txErrors }));
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
    state.health.linkFlaps += 1;
    state.health.lastLinkFlapAt = cmd.now;
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
  // config
  '4:769': (state, cmd) => {
    if (!needRequest(cmd, C.ParamRequest.size)) return fail(RC.EINVAL);
    const done = getParam(state, C.ParamRequest.get(cmd.request, 'id'));
    return done.response ? answer(cmd, done.response) : fail(done.err);
  },
  '4:770': (state, cmd) => {
    const done = setParam(state, cmd.request);
    return done.err === RC.SUCCESS ? ok() : fail(done.err);
  },
};

/**
 * PDS_FWCTL_CMD_RPC. The driver has already matched (ep, op) against the lists;
 * the firmware executes the version it was asked for (bits 16-23) and refuses
 * bits it does not define (24-31) with EOPCODE.
 */
export function firmwareRpc(plain: PdsSimState, cmd: RpcCommand): RpcCompletion {
  const state = ensureState(plain);
  // The first RPC of a new device starts its clocks (the only write a read causes, once).
  if (state.bootedAt === 0) state.bootedAt = cmd.now;
  if (state.countersAt === 0) state.countersAt = cmd.now;
  observeFaults(state, cmd.faults ?? [], cmd.now);
  if (cmd.op >>> 24 !== 0) return fail(RC.EOPCODE);
  const handler = HANDLERS[`${cmd.ep}:${cmd.op & 0xffff}`];
  if (!handler) return fail(RC.EOPCODE);
  const done = handler(state, cmd, (cmd.op >>> 16) & 0xff);
  return { err: done.err, response: done.response.subarray(0, cmd.respSz) };
}
