/**
 * Golden bytes: struct sizes and offsets against include/uapi/fwctl/pds.h and
 * include/linux/pds/pds_adminq.h, and requests encoded to hand-derived bytes.
 */
import { describe, expect, it } from 'vitest';
import { parseHex, toHex } from 'accelctl/sdk';
import { decodeInfoPds, encodeRpc, InfoPds, IN_PAYLOAD_POINTER_AT, makeOp, OUT_PAYLOAD_POINTER_AT, RpcPds } from '../../../plugins/pds/protocol';
import { firmwareIdent, firmwareQuery, FwctlIdent, QueryData, QueryEndpoint, QueryOperation, PDS_FWCTL_RPC_ENDPOINT, PDS_FWCTL_RPC_ROOT, PDS_FWCTL_RPC_OPERATION, PDS_FWCTL_CMD_IDENT, PDS_FWCTL_CMD_RPC, PDS_FWCTL_CMD_QUERY } from '../../../plugins/pds/sim-firmware';
import * as P from '../../../plugins/pds/payloads';

describe('struct fwctl_rpc_pds (uapi/fwctl/pds.h)', () => {
  it('is 48 bytes: in {op@0 ep@4 rsvd@8 len@12 payload@16} out {retval@24 rsvd[2]@28 len@36 payload@40}', () => {
    expect(RpcPds.size).toBe(48);
    const offsets = Object.fromEntries(Object.entries(RpcPds.fields).map(([k, f]) => [k, 'at' in f ? f.at : -1]));
    expect(offsets).toEqual({ inOp: 0, inEp: 4, inRsvd: 8, inLen: 12, inPayload: 16, outRetval: 24, outRsvd0: 28, outRsvd1: 32, outLen: 36, outPayload: 40 });
    expect(RpcPds.fields.inPayload.type).toBe('u64le');
    expect(RpcPds.fields.outPayload.type).toBe('u64le');
    expect(IN_PAYLOAD_POINTER_AT).toBe(16);
    expect(OUT_PAYLOAD_POINTER_AT).toBe(40);
  });

  it('encodes port.get_stats v1 (ep 2, op 0x00010101, in.len 4, out.len 48) to hand-derived bytes', () => {
    // op 0x00010101 LE | ep 2 | rsvd | in.len 4 | in.payload 0 | retval | rsvd[2] | out.len 0x30 | out.payload 0
    const expected = '01010100' + '02000000' + '00000000' + '04000000' + '0000000000000000' + '00000000' + '00000000' + '00000000' + '30000000' + '0000000000000000';
    expect(toHex(encodeRpc({ ep: 2, op: makeOp(0x0101, 1), inLen: 4, outLen: 48 }))).toBe(expected);
  });

  it('round-trips every field, including full-width values', () => {
    const values = { inOp: 0xffffffff, inEp: 0x12345678, inRsvd: 0, inLen: 1024, inPayload: 0x7fff_dead_beefn, outRetval: 14, outRsvd0: 0, outRsvd1: 0, outLen: 4096, outPayload: 0xffff_ffff_ffff_ffffn };
    expect(RpcPds.decode(RpcPds.encode(values))).toEqual(values);
  });
});

describe('struct fwctl_info_pds', () => {
  it('is one u32 uctx_caps; the mainline value 1 (QUERY_CAP 0 | SEND_CAP 1) decodes as bit 0', () => {
    expect(InfoPds.size).toBe(4);
    expect(decodeInfoPds(parseHex('01000000'))).toEqual({ uctx_caps: 1, query_cap: true, send_cap: false });
    expect(decodeInfoPds(parseHex('03000000'))).toEqual({ uctx_caps: 3, query_cap: true, send_cap: true });
  });
});

describe('firmware query structs (linux/pds/pds_adminq.h)', () => {
  it('has the adminq opcodes and query entities of the header', () => {
    expect([PDS_FWCTL_CMD_IDENT, PDS_FWCTL_CMD_RPC, PDS_FWCTL_CMD_QUERY]).toEqual([70, 71, 72]);
    expect([PDS_FWCTL_RPC_ROOT, PDS_FWCTL_RPC_ENDPOINT, PDS_FWCTL_RPC_OPERATION]).toEqual([0, 1, 2]);
  });

  it('packs pds_fwctl_ident in 22 bytes: features@0 version@8 max_req_sz@12 max_resp_sz@16 sg@20/21', () => {
    expect(FwctlIdent.size).toBe(22);
    expect(toHex(firmwareIdent())).toBe('0000000000000000' + '01000000' + '00040000' + '00100000' + '0101');
  });

  it('packs pds_fwctl_query_data (8-byte header), endpoint entries (4) and operation entries (8)', () => {
    expect([QueryData.size, QueryEndpoint.size, QueryOperation.size]).toEqual([8, 4, 8]);
    expect(QueryData.fields.numEntries.at).toBe(4);
    expect(QueryOperation.fields.scope.at).toBe(4);
  });

  it('answers QUERY(ROOT) with the endpoint ids', () => {
    const { status, data } = firmwareQuery(PDS_FWCTL_RPC_ROOT, 0);
    expect(status).toBe(0);
    expect(data.length).toBe(4096);
    expect(toHex(data.subarray(0, 24))).toBe('00000000' + '04000000' + '01000000' + '02000000' + '03000000' + '04000000');
  });

  it('answers QUERY(ENDPOINT 2) with id + attribute entries in firmware order', () => {
    const { data } = firmwareQuery(PDS_FWCTL_RPC_ENDPOINT, 2);
    expect(toHex(data.subarray(0, 48))).toBe(
      '00000000' + '05000000' +
        '01010100' + '00000000' + // get_stats v1, READ
        '02010000' + '00000000' + // get_config, READ
        '03010000' + '04000000' + // set_mtu, WRITE
        '04010000' + '02000000' + // read_serdes, DEBUG_READ
        '05010000' + '08000000', // reset_serdes, DEBUG_WRITE
    );
  });

  it('refuses QUERY for an unknown endpoint with PDS_RC_ENOENT', () => {
    expect(firmwareQuery(PDS_FWCTL_RPC_ENDPOINT, 99).status).toBe(7);
  });
});

describe('payload layouts', () => {
  it('have the documented sizes', () => {
    expect([P.SysIdent.size, P.SysTemps.size, P.PortStatsV0.size, P.PortStatsV1.size, P.PortConfig.size, P.MtuRequest.size, P.CsrWriteRequest.size]).toEqual([64, 16, 32, 48, 16, 8, 16]);
  });

  it('encodes a set_mtu request to port 1, mtu 1500 as 01000000 dc050000', () => {
    expect(toHex(P.MtuRequest.encode({ port: 1, mtu: 1500 }))).toBe('01000000dc050000');
  });

  it('decodes port stats v0 and v1 from literal bytes', () => {
    const v0 = parseHex('0100000000000000 0200000000000000 0300000000000000 0400000000000000');
    expect(P.decodePortStats(v0, 0)).toEqual({ rx_packets: '1', tx_packets: '2', rx_bytes: '3', tx_bytes: '4' });
    const v1 = parseHex('ffffffffffffffff' + '00'.repeat(24) + '0500000000000000 0600000000000000');
    expect(P.decodePortStats(v1, 1)).toMatchObject({ rx_packets: '18446744073709551615', rx_errors: '5', tx_errors: '6' });
  });
});
