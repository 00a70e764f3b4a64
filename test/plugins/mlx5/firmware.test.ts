/**
 * The firmware model and the commands on top of it: every command runs through
 * classify → simulated driver → firmware → replyStatus (harness.ts), and the
 * decoded values are the ones the model holds.
 */
import { describe, expect, it } from 'vitest';
import adapter from '../../../plugins/mlx5/commands/adapter';
import caps from '../../../plugins/mlx5/commands/caps';
import diagCounters from '../../../plugins/mlx5/commands/diag-counters';
import diagEnable from '../../../plugins/mlx5/commands/diag-enable';
import diagParams from '../../../plugins/mlx5/commands/diag-params';
import portState from '../../../plugins/mlx5/commands/port-state';
import reg from '../../../plugins/mlx5/commands/reg';
import { identify } from '../../../plugins/mlx5/identify';
import plugin from '../../../plugins/mlx5/index';
import { decodeInfo, decodeReply, protocol } from '../../../plugins/mlx5/protocol';
import { OP } from '../../../plugins/mlx5/opcodes';
import { MboxIn } from '../../../plugins/mlx5/prm';
import { encodeNop, encodeQueryHcaCap, encodeRegisterRead } from '../../../plugins/mlx5/requests';
import sim from '../../../plugins/mlx5/sim';
import { env, hex, makeHarness } from './harness';
import { resolveCommands } from '../../../src/core/plugins';
import { AccelError, type RpcOptions } from '../../../src/sdk/index';

const commands = await resolveCommands(plugin);

const opts = <T extends object>(o: T) => o as never;

describe('simulator identity', () => {
  it('is a ConnectX-7 on PCI behind mlx5_core', () => {
    expect(sim.pci).toMatchObject({ vendor: 0x15b3, device: 0x1021, classCode: 0x020000, driver: 'mlx5_core' });
    expect(sim.topology).toBe('pci');
    const state = sim.create({ index: 3, serial: 'SN3' });
    expect(JSON.parse(JSON.stringify(state))).toEqual(state); // JSON-serialisable
    expect(decodeInfo(sim.info(state))).toEqual({ uid: 1, uctx_caps: '0x00000004', uctx_cap_names: ['TOOLS_RESOURCES'] });
  });

  it('plugin manifest', () => {
    expect(plugin.meta).toMatchObject({ name: 'mlx5', deviceType: 1, sdkVersion: 1 });
    const kinds = new Set(plugin.protocol.rpcKinds.map((k) => k.name));
    for (const cmd of commands) for (const r of cmd.rpcs) expect(kinds.has(r)).toBe(true);
  });
});

describe('firmware: raw mailboxes', () => {
  it('NOP succeeds with a bare out header', () => {
    const state = sim.create({ index: 0, serial: 'x' });
    const out = sim.firmware(state, encodeNop(), 16, env(1));
    expect(Array.from(out)).toEqual(new Array(16).fill(0));
  });

  it('an allowed opcode the model does not implement → BAD_OP with a syndrome', () => {
    const state = sim.create({ index: 0, serial: 'x' });
    const out = sim.firmware(state, hex('010a0000 00000000 00000000 00000000'), 16, env(1)); // QUERY_ISSI
    const status = protocol.replyStatus(new Uint8Array(16), out);
    expect(status).toMatchObject({ ok: false, status: 2, message: 'BAD_OP' });
    expect(status.ok === false && status.detail?.syndrome).not.toBe(0);
  });

  it('an unknown register id → BAD_PARAM; a short register payload → BAD_INP_LEN', () => {
    const state = sim.create({ index: 0, serial: 'x' });
    expect(protocol.replyStatus(new Uint8Array(16), sim.firmware(state, encodeRegisterRead(0x1234, new Uint8Array(16)), 32, env(1)))).toMatchObject({ message: 'BAD_PARAM' });
    expect(protocol.replyStatus(new Uint8Array(16), sim.firmware(state, encodeRegisterRead(0x5004, new Uint8Array(8)), 80, env(1)))).toMatchObject({ message: 'BAD_INP_LEN' });
  });

  it('replies at full length whatever out_len says (the fwctl core truncates)', () => {
    const state = sim.create({ index: 0, serial: 'x' });
    expect(sim.firmware(state, encodeQueryHcaCap(0, true), 16, env(1)).length).toBe(0x1010);
  });

  it('other capability types → BAD_PARAM', () => {
    const state = sim.create({ index: 0, serial: 'x' });
    const out = sim.firmware(state, encodeQueryHcaCap(0xd, true), 0x1010, env(1));
    expect(protocol.replyStatus(new Uint8Array(16), out)).toMatchObject({ message: 'BAD_PARAM' });
  });

  it('decodeReply shows header + decoded command for rpc passthru', () => {
    const state = sim.create({ index: 0, serial: 'x' });
    const req = encodeQueryHcaCap(0, true);
    const d = decodeReply(req, sim.firmware(state, req, 0x1010, env(1)));
    expect(d).toMatchObject({ opcode: '0x0100', command: 'QUERY_HCA_CAP', status: 0, status_name: 'OK', fields: { log_max_qp: 18 } });
    const bad = decodeReply(hex('02000000 00000000 00000000 00000000'), hex('02000000 11223344 00000000 00000000'));
    expect(bad).toMatchObject({ command: 'CREATE_MKEY', status: 2, status_name: 'BAD_OP', syndrome: 0x11223344 });
    expect(bad.fields).toBeUndefined();
  });
});

describe('commands against the model', () => {
  it('caps: current and max', async () => {
    const h = makeHarness();
    const cur = await caps.run(h.ctx, { args: [], options: opts({ max: false }) });
    expect(cur).toMatchObject({ mode: 'current', op_mod: 1 });
    expect(cur.caps).toMatchObject({
      vhca_id: 0, log_max_qp: 18, log_max_cq: 24, log_max_eq: 8, log_max_mkey: 24, num_ports: 1, port_type_name: 'ethernet',
      log_max_msg: 30, max_tc: 8, log_max_current_uc_list: 10, device_frequency_khz: 1_000_000, roce: true, debug: true,
      num_of_diagnostic_counters: 13,
    });
    expect(cur.caps.uctx_cap_names).toContain('TOOLS_RESOURCES');
    const max = await caps.run(h.ctx, { args: [], options: opts({ max: true }) });
    expect(max).toMatchObject({ mode: 'max', op_mod: 0, caps: { log_max_current_uc_list: 16 } });
    expect(h.sent.map((s) => [s.name, s.scope])).toEqual([['QUERY_HCA_CAP', 0], ['QUERY_HCA_CAP', 0]]);
    const views = caps.render!(cur);
    expect(views[0]?.kind).toBe('fields');
    expect(JSON.stringify(views)).toContain('log_max_current_uc_list');
  });

  it('adapter: vendor ids and PSID', async () => {
    const h = makeHarness();
    const r = await adapter.run(h.ctx, { args: [], options: opts({}) });
    expect(r).toEqual({ ieee_vendor_id: '0x0002c9', vsd_vendor_id: '0x15b3', vsd: expect.stringContaining('ConnectX-7'), psid: 'MT_0000000834' });
  });

  it('reg PTYS / MGIR / MCAM decode the model', async () => {
    const h = makeHarness();
    const ptys = await reg.run(h.ctx, { args: ['ptys'], options: opts({ port: 1, size: 256 }) });
    expect(ptys).toMatchObject({ register: 'PTYS', register_id: '0x5004', port: 1, fields: { oper_speed_mbps: 200000, connector_type: 'da' } });
    expect(h.sent.at(-1)).toMatchObject({ name: 'ACCESS_REG_READ', scope: 1 });

    const mgir = await reg.run(h.ctx, { args: ['MGIR'], options: opts({ size: 256 }) });
    expect(mgir.fields).toMatchObject({ device_name: 'ConnectX-7', fw_version: '28.39.1002', fw_psid: 'MT_0000000834', fw_secured: true });

    const mcam = await reg.run(h.ctx, { args: ['0x907f'], options: opts({ size: 256 }) });
    expect(mcam.register).toBe('MCAM');
    expect(mcam.fields?.supported_registers).toEqual(expect.arrayContaining(['0x9020', '0x907f', '0x9028']));
    expect(reg.render!(mcam)[0]?.kind).toBe('fields');
  });

  it('reg with an unknown name is a usage error listing the known registers', async () => {
    const h = makeHarness();
    await expect(reg.run(h.ctx, { args: ['PFOO'], options: opts({ size: 256 }) })).rejects.toMatchObject({
      code: 'ACCELCTL_E_USAGE',
      hint: expect.stringContaining('PTYS (0x5004), PAOS (0x5006), PPCNT (0x5008), MGIR (0x9020), MCAM (0x907f), MTMP (0x900a), MFRL (0x9028), MCQS (0x9060)'),
    });
    expect(h.sent).toHaveLength(0);
  });

  it('reg with a numeric id sends it raw and returns hex; the device error surfaces', async () => {
    const h = makeHarness();
    // 0x9014 (MCIA, module EEPROM) is not modelled: the firmware answers BAD_PARAM.
    await expect(reg.run(h.ctx, { args: ['0x9014'], options: opts({ size: 64, port: 1 }) })).rejects.toMatchObject({ code: 'ACCELCTL_E_DEVICE_STATUS' });
    const sent = h.sent.at(-1)!;
    expect(sent.request.length).toBe(16 + 64);
    expect(sent.request[10]).toBe(0x90);
    expect(sent.request[11]).toBe(0x14);
    expect(sent.request[17]).toBe(1); // local_port
    const raw = await reg.run(h.ctx, { args: ['20486'], options: opts({ size: 16 }) }); // 0x5006 = PAOS by number
    expect(raw.register).toBe('PAOS');
  });

  it('port-state down/up writes PAOS, oper status follows, PTYS drops the link', async () => {
    const h = makeHarness();
    const down = await portState.run(h.ctx, { args: ['down'], options: opts({ port: 1 }) });
    expect(down).toEqual({ port: 1, requested: 'down', admin_status: 'down', oper_status: 'down' });
    expect(h.sent.at(-1)).toMatchObject({ name: 'ACCESS_REG_WRITE', scope: 0 });
    expect(h.state.ports[0]).toMatchObject({ admin_status: 2, oper_status: 2 });
    const paos = await reg.run(h.ctx, { args: ['PAOS'], options: opts({ port: 1, size: 256 }) });
    expect(paos.fields).toMatchObject({ admin_status: 'down', oper_status: 'down' });
    const ptys = await reg.run(h.ctx, { args: ['PTYS'], options: opts({ size: 256 }) });
    expect(ptys.fields).toMatchObject({ oper_speed_mbps: 0 });
    await portState.run(h.ctx, { args: ['UP'], options: opts({ port: 1 }) });
    expect(h.state.ports[0]).toMatchObject({ admin_status: 1, oper_status: 1 });
  });

  it('port-state rejects bad input and missing ports', async () => {
    const h = makeHarness();
    await expect(portState.run(h.ctx, { args: ['sideways'], options: opts({ port: 1 }) })).rejects.toMatchObject({ code: 'ACCELCTL_E_USAGE' });
    await expect(portState.run(h.ctx, { args: ['down'], options: opts({ port: 2 }) })).rejects.toMatchObject({ code: 'ACCELCTL_E_DEVICE_STATUS' });
    expect(h.state.ports[0]?.admin_status).toBe(1);
  });

  it('diag: disabled by default, enable changes state, counters move with the clock', async () => {
    const h = makeHarness();
    const before = await diagParams.run(h.ctx, { args: [], options: opts({}) });
    expect(before).toMatchObject({ enable: false, num_of_counters: 0, counters: [] });
    await expect(diagCounters.run(h.ctx, { args: [], options: opts({ index: 0 }) })).rejects.toMatchObject({ code: 'ACCELCTL_E_DEVICE_STATUS' });

    const en = await diagEnable.run(h.ctx, { args: [], options: opts({ counter: ['0x401,0x2006'], logSamples: 10, logPeriod: 20, single: false, disable: false }) });
    expect(en).toMatchObject({ enable: true, counters: ['0x0401', '0x2006'], mode: 'repetitive' });
    expect(h.sent.at(-1)).toMatchObject({ name: 'SET_DIAGNOSTIC_PARAMS', scope: 2 });
    expect(h.state.diag).toMatchObject({ enable: true, counters: [0x401, 0x2006], log_num_of_samples: 10 });

    const params = await diagParams.run(h.ctx, { args: [], options: opts({}) });
    expect(params).toMatchObject({ enable: true, repetitive: true, num_of_counters: 2, counters: [{ counter_id: '0x0401' }, { counter_id: '0x2006', name: 'TX Packets' }] });

    h.clock.now += 1000;
    const first = await diagCounters.run(h.ctx, { args: [], options: opts({ index: 0 }) });
    expect(first.num_of_samples).toBe(2);
    expect(first.samples.map((s) => s.counter_id)).toEqual(['0x0401', '0x2006']);
    h.clock.now += 5000;
    const later = await diagCounters.run(h.ctx, { args: [], options: opts({ index: 0 }) });
    const tx = (r: typeof first) => BigInt(r.samples[1]!.counter_value);
    expect(tx(later)).toBeGreaterThan(tx(first));
    expect(tx(first)).toBeGreaterThan(0n);

    await diagEnable.run(h.ctx, { args: [], options: opts({ logSamples: 10, logPeriod: 20, single: false, disable: true }) });
    expect(h.state.diag.enable).toBe(false);
  });

  it('diag-enable rejects unsupported counters (BAD_PARAM) and missing ones (usage)', async () => {
    const h = makeHarness();
    await expect(diagEnable.run(h.ctx, { args: [], options: opts({ counter: ['0x9999'], logSamples: 10, logPeriod: 20, single: false, disable: false }) })).rejects.toMatchObject({
      code: 'ACCELCTL_E_DEVICE_STATUS',
    });
    await expect(diagEnable.run(h.ctx, { args: [], options: opts({ logSamples: 10, logPeriod: 20, single: false, disable: false }) })).rejects.toMatchObject({ code: 'ACCELCTL_E_USAGE' });
    await expect(diagEnable.run(h.ctx, { args: [], options: opts({ counter: ['zz'], logSamples: 10, logPeriod: 20, single: false, disable: false }) })).rejects.toMatchObject({
      code: 'ACCELCTL_E_USAGE',
    });
    expect(h.state.diag.enable).toBe(false);
  });

  it('identify: model from MGIR device id + PSID, firmware from MGIR, no serial', async () => {
    const h = makeHarness();
    expect(await identify(h.ctx)).toEqual({ model: 'ConnectX-7 (MT_0000000834)', firmware: '28.39.1002' });
    expect(h.sent.map((s) => s.name)).toEqual(['QUERY_ADAPTER', 'ACCESS_REG_READ']);
  });

  it('identify is best effort for a refused RPC but throws a reply it cannot read', async () => {
    const h = makeHarness();
    const named = (request: Uint8Array) => (MboxIn.get(request, 'opcode') === OP.QUERY_ADAPTER ? 'QUERY_ADAPTER' : 'other');
    // QUERY_ADAPTER refused by the firmware: MGIR alone names the device.
    const refused = { ...h.ctx, rpc: async (request: Uint8Array, options?: RpcOptions) => {
      if (named(request) === 'QUERY_ADAPTER') throw new AccelError('ACCELCTL_E_DEVICE_STATUS', 'BAD_OP');
      return h.ctx.rpc(request, options);
    } };
    expect(await identify(refused)).toEqual({ model: 'ConnectX-7', firmware: '28.39.1002' });
    // QUERY_ADAPTER answered with status 0 but cut to its header: not a partial identity.
    const cut = { ...h.ctx, rpc: async (request: Uint8Array, options?: RpcOptions) => {
      const reply = await h.ctx.rpc(request, options);
      return named(request) === 'QUERY_ADAPTER' ? reply.slice(0, 16) : reply;
    } };
    await expect(identify(cut)).rejects.toMatchObject({ code: 'ACCELCTL_E_MALFORMED_REPLY' });
  });

  it('MGIR uptime counts from the first command', async () => {
    const h = makeHarness(1_000_000);
    await adapter.run(h.ctx, { args: [], options: opts({}) });
    h.clock.now += 90_000;
    const mgir = await reg.run(h.ctx, { args: ['MGIR'], options: opts({ size: 256 }) });
    expect(mgir.fields?.uptime_s).toBe(90);
  });
});
