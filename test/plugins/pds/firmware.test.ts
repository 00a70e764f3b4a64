/**
 * The firmware model through sim.firmware(): payloads read from and written to
 * user memory by pointer, decoded values, state changes, pds status codes.
 */
import { describe, expect, it } from 'vitest';
import { toHex } from 'accelctl/sdk';
import { encodeRpc, IN_PAYLOAD_POINTER_AT, makeOp, OUT_PAYLOAD_POINTER_AT, RpcPds } from '../../../plugins/pds/protocol';
import * as P from '../../../plugins/pds/payloads';
import sim from '../../../plugins/pds/sim';
import type { PdsSimState } from '../../../plugins/pds/sim-state';
import { ErrnoError, userMemory } from './fake-device';

const NOW = 1_700_000_000_000;

/** One RPC as the kernel would run it (after driverCheck passed). */
function rpc(state: PdsSimState, ep: number, op: number, input: Uint8Array, outLen: number, now = NOW) {
  const out = new Uint8Array(outLen).fill(0xee); // the kernel overwrites all out.len bytes
  const { memory, addresses } = userMemory([input, out]);
  const request = RpcPds.encode({ inOp: op, inEp: ep, inLen: input.length, outLen, inPayload: input.length ? addresses[0] : 0n, outPayload: outLen ? addresses[1] : 0n });
  const reply = sim.firmware(state, request, 48, { now, memory, faults: [], chargeFlashWrite: () => undefined });
  return { retval: RpcPds.get(reply, 'outRetval'), out, reply, request };
}

const fresh = () => sim.create({ index: 1, serial: 'FLM0000000002' });

describe('system endpoint', () => {
  it('get_ident answers firmware version, ASIC and serial; uptime counts from the first RPC', () => {
    const state = fresh();
    rpc(state, 1, 1, new Uint8Array(0), 64, NOW);
    const { retval, out } = rpc(state, 1, 1, new Uint8Array(0), 64, NOW + 90_000);
    expect(retval).toBe(0);
    expect(P.decodeSysIdent(out)).toEqual({ fw_version: '1.68.0-E-56', asic_type: 2, asic_rev: 0, uptime_seconds: 90, serial: 'FLM0000000002' });
  });

  it('get_temps answers realistic temperatures', () => {
    const { out } = rpc(fresh(), 1, 2, new Uint8Array(0), 16);
    const t = P.decodeSysTemps(out);
    expect(t.asic_celsius).toBeGreaterThan(30);
    expect(t.critical_celsius).toBe(110);
  });

  it('set_identify_led changes state; a value other than 0/1 is PDS_RC_EINVAL', () => {
    const state = fresh();
    expect(rpc(state, 1, 3, P.LedRequest.encode({ on: 1 }), 0).retval).toBe(0);
    expect(state.ledOn).toBe(true);
    expect(rpc(state, 1, 3, P.LedRequest.encode({ on: 2 }), 0).retval).toBe(14);
    expect(rpc(state, 1, 3, new Uint8Array(0), 0).retval).toBe(14);
    expect(state.ledOn).toBe(true);
  });

  it('set_mtu is pending until commit_config bumps the generation', () => {
    const state = fresh();
    expect(rpc(state, 2, 0x103, P.MtuRequest.encode({ port: 1, mtu: 1500 }), 0).retval).toBe(0);
    expect(state.ports[1]!.mtu).toBe(1500);
    expect(state.pending).toBe(1);
    const { retval, out } = rpc(state, 1, 4, new Uint8Array(0), 8);
    expect(retval).toBe(0);
    expect(P.decodeCommit(out)).toEqual({ generation: 2, committed: 1 });
    expect(state.pending).toBe(0);
    expect(P.decodeCommit(rpc(state, 1, 4, new Uint8Array(0), 8).out)).toEqual({ generation: 2, committed: 0 });
  });
});

describe('port endpoint', () => {
  it('get_stats v1 answers 48 bytes with error counters; v0 answers the 32-byte layout', () => {
    const state = fresh();
    const v1 = rpc(state, 2, makeOp(0x101, 1), P.PortRequest.encode({ port: 0 }), 48);
    expect(v1.retval).toBe(0);
    expect(Object.keys(P.decodePortStats(v1.out, 1))).toContain('rx_errors');
    const v0 = rpc(state, 2, makeOp(0x101, 0), P.PortRequest.encode({ port: 0 }), 48, NOW + 1000); // a second later
    expect(toHex(v0.out.subarray(32))).toBe('00'.repeat(16)); // zero-filled past what firmware wrote
    expect(BigInt(P.decodePortStats(v0.out, 0).rx_packets as string)).toBeGreaterThan(BigInt(P.decodePortStats(v1.out, 1).rx_packets as string));
  });

  it('reading counters changes no state: they grow with time, not with reads', () => {
    const state = fresh();
    rpc(state, 1, 1, new Uint8Array(0), 64, NOW); // the first RPC starts the clocks
    const before = JSON.stringify(state);
    const read = (now: number) => BigInt(P.decodePortStats(rpc(state, 2, makeOp(0x101, 1), P.PortRequest.encode({ port: 0 }), 48, now).out, 1).rx_packets as string);
    const first = read(NOW + 1000);
    expect(read(NOW + 1000)).toBe(first);
    expect(read(NOW + 2000) - first).toBe(read(NOW + 3000) - read(NOW + 2000));
    expect(read(NOW + 2000)).toBeGreaterThan(first);
    expect(JSON.stringify(state)).toBe(before);
  });

  it('answers PDS_RC_ENOENT for a port that does not exist and PDS_RC_ENOSPC for a short buffer', () => {
    expect(rpc(fresh(), 2, 0x101, P.PortRequest.encode({ port: 7 }), 48).retval).toBe(7);
    expect(rpc(fresh(), 2, makeOp(0x101, 1), P.PortRequest.encode({ port: 0 }), 40).retval).toBe(15);
  });

  it('get_config reflects set_mtu; an MTU out of 68..9216 is PDS_RC_ERANGE', () => {
    const state = fresh();
    expect(rpc(state, 2, 0x103, P.MtuRequest.encode({ port: 0, mtu: 9217 }), 0).retval).toBe(16);
    rpc(state, 2, 0x103, P.MtuRequest.encode({ port: 0, mtu: 4000 }), 0);
    expect(P.decodePortConfig(rpc(state, 2, 0x102, P.PortRequest.encode({ port: 0 }), 16).out)).toEqual({ mtu: 4000, speed_mbps: 100000, fec: 'rs', autoneg: false, admin_up: true });
  });

  it('reset_serdes changes the lane register snapshot read_serdes returns', () => {
    const state = fresh();
    const req = P.SerdesRequest.encode({ port: 1, lane: 2 });
    const before = toHex(rpc(state, 2, 0x104, req, 64).out);
    expect(rpc(state, 2, 0x105, req, 0).retval).toBe(0);
    expect(toHex(rpc(state, 2, 0x104, req, 64).out)).not.toBe(before);
    expect(rpc(state, 2, 0x105, P.SerdesRequest.encode({ port: 1, lane: 4 }), 0).retval).toBe(7);
  });
});

describe('diag endpoint', () => {
  it('read_log returns text from an offset; clear_log empties it', () => {
    const state = fresh();
    const log = P.decodeLog(rpc(state, 3, 0x201, P.LogRequest.encode({ offset: 0 }), 1024).out);
    expect(log.lines).toContain('port0: link up 100G RS-FEC');
    expect(rpc(state, 3, 0x201, P.LogRequest.encode({ offset: 100_000 }), 1024).retval).toBe(16);
    expect(rpc(state, 3, 0x202, new Uint8Array(0), 0).retval).toBe(0);
    expect(P.decodeLog(rpc(state, 3, 0x201, P.LogRequest.encode({ offset: 0 }), 64).out)).toEqual({ bytes: 0, lines: [] });
  });

  it('write_csr then read_csr round-trips; unaligned is PDS_RC_ERANGE', () => {
    const state = fresh();
    expect(rpc(state, 3, 0x204, P.CsrWriteRequest.encode({ addr: 0x2000_0010n, value: 0xcafef00d }), 0).retval).toBe(0);
    expect(P.decodeCsrValue(rpc(state, 3, 0x203, P.CsrReadRequest.encode({ addr: 0x2000_0010n }), 4).out)).toEqual({ value: '0xcafef00d' });
    expect(rpc(state, 3, 0x203, P.CsrReadRequest.encode({ addr: 0x2000_0011n }), 4).retval).toBe(16);
  });
});

describe('the kernel side of firmware()', () => {
  it('returns the request with only out.retval set', () => {
    const { reply, request } = rpc(fresh(), 2, 0x101, P.PortRequest.encode({ port: 9 }), 48);
    expect(reply.length).toBe(48);
    const expected = new Uint8Array(request);
    expected[24] = 7;
    expect(toHex(reply)).toBe(toHex(expected));
  });

  it('faults (EFAULT) when in.payload points nowhere, before the firmware changes anything', () => {
    const state = fresh();
    const request = encodeRpc({ ep: 2, op: 0x103, inLen: 8, outLen: 0 }); // payload pointer left 0
    const { memory } = userMemory([]);
    expect(() => sim.firmware(state, request, 48, { now: NOW, memory, faults: [], chargeFlashWrite: () => undefined })).toThrow(ErrnoError);
    expect(state.pending).toBe(0);
  });

  it('refuses op bits 24-31 in firmware with PDS_RC_EOPCODE (the kernel passes them through)', () => {
    expect(rpc(fresh(), 1, (0x01 << 24) | 1, new Uint8Array(0), 64).retval).toBe(2);
  });

  it('FWCTL_INFO device data is uctx_caps = 1', () => {
    expect(toHex(sim.info(fresh()))).toBe('01000000');
  });

  it('state is JSON-serialisable', () => {
    const state = fresh();
    rpc(state, 3, 0x204, P.CsrWriteRequest.encode({ addr: 0x10n, value: 1 }), 0);
    expect(JSON.parse(JSON.stringify(state))).toEqual(state);
  });

  it('has the pds_core PF identity', () => {
    expect(sim.pci).toMatchObject({ vendor: 0x1dd8, device: 0x100c, driver: 'pds_core' });
    expect(sim.topology).toBe('pci');
  });
});
