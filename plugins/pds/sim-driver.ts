/**
 * The pds_fwctl kernel driver (drivers/fwctl/pds/main.c), as the simulated
 * kernel runs it:
 *  - probe: PDS_FWCTL_CMD_IDENT for the size limits, PDS_FWCTL_CMD_QUERY(ROOT)
 *    for the endpoint list;
 *  - first RPC to an endpoint: PDS_FWCTL_CMD_QUERY(ENDPOINT) for its operations,
 *    attributes translated to fwctl scopes (pdsfc_get_operations);
 *  - every RPC: pdsfc_validate_rpc.
 * It reads the firmware's answers as bytes (struct pds_fwctl_query_data), so it
 * shares no table with the plugin's classifier.
 */
import type { ErrnoName, Scope } from 'accelctl/sdk';
import { firmwareIdent, firmwareQuery, FwctlIdent, PDS_FWCTL_RPC_ENDPOINT, PDS_FWCTL_RPC_ROOT, QueryData, QueryEndpoint, QueryOperation } from './sim-firmware';

interface DriverOperation {
  id: number;
  /** Already translated to enum fwctl_rpc_scope. */
  scope: number;
}

export interface DriverTables {
  maxReqSz: number;
  maxRespSz: number;
  endpoints: number[];
  /** Per endpoint, filled on first use like ep_info->operations. */
  operations: Map<number, DriverOperation[] | 'ENOMEM'>;
}

/** The switch in pdsfc_get_operations (PDSFC_FW_CMD_ATTR_* -> FWCTL_RPC_*). */
export function driverScopeOf(attr: number): number {
  if (attr === 0x00 || attr === 0x04 || attr === 0x10) return 0; // READ, WRITE, SYNC
  if (attr === 0x02) return 1; // DEBUG_READ
  if (attr === 0x08) return 2; // DEBUG_WRITE
  return 3;
}

/** Probe-time state: ident and the endpoint list. */
export function probeDriver(): DriverTables {
  const ident = FwctlIdent.decode(firmwareIdent());
  const root = firmwareQuery(PDS_FWCTL_RPC_ROOT, 0).data;
  const count = QueryData.get(root, 'numEntries');
  const endpoints: number[] = [];
  for (let i = 0; i < count; i++) endpoints.push(QueryEndpoint.get(root, 'id', 8 + i * 4));
  return { maxReqSz: ident.maxReqSz, maxRespSz: ident.maxRespSz, endpoints, operations: new Map() };
}

function loadOperations(tables: DriverTables, ep: number): DriverOperation[] | 'ENOMEM' {
  const known = tables.operations.get(ep);
  if (known !== undefined) return known;
  const reply = firmwareQuery(PDS_FWCTL_RPC_ENDPOINT, ep);
  // The driver turns any failure of the query into -ENOMEM.
  if (reply.status !== 0) return 'ENOMEM';
  const count = QueryData.get(reply.data, 'numEntries');
  const ops: DriverOperation[] = [];
  for (let i = 0; i < count; i++) {
    const entry = QueryOperation.decode(reply.data, 8 + i * 8);
    ops.push({ id: entry.id, scope: driverScopeOf(entry.scope) });
  }
  tables.operations.set(ep, ops);
  return ops;
}

/** PDS_FWCTL_RPC_OPCODE_CMP, written out from the macros. */
function opcodeCmp(op1: number, op2: number): boolean {
  const cmd = (x: number) => x & 0xffff;
  const ver = (x: number) => (x >>> 16) & 0xff;
  return cmd(op1) === cmd(op2) && ver(op1) <= ver(op2);
}

export interface RpcHeader {
  op: number;
  ep: number;
  inLen: number;
  outLen: number;
}

/** pdsfc_validate_rpc: EINVAL for sizes, endpoint and operation; EPERM for scope. */
export function validateRpc(tables: DriverTables, rpc: RpcHeader, scope: Scope): ErrnoName | undefined {
  if (rpc.inLen > tables.maxReqSz) return 'EINVAL';
  if (rpc.outLen > tables.maxRespSz) return 'EINVAL';
  if (!tables.endpoints.includes(rpc.ep)) return 'EINVAL';
  const ops = loadOperations(tables, rpc.ep);
  if (ops === 'ENOMEM') return 'ENOMEM';
  for (const entry of ops) {
    if (opcodeCmp(rpc.op, entry.id)) return scope < entry.scope ? 'EPERM' : undefined;
  }
  return 'EINVAL';
}
