/** The firmware model through the plugin's own commands and decoders. */
import { describe, expect, it } from 'vitest';
import { Scope, isAccelError } from 'accelctl/sdk';
import plugin from '../../../plugins/bnxt/index';
import sim from '../../../plugins/bnxt/sim';
import { encodeFuncQcaps, encodeFuncReset, encodeNvmFactoryDefaults, encodeVerGet, hwrmRequest } from '../../../plugins/bnxt/encode';
import { HwrmOutput } from '../../../plugins/bnxt/layouts';
import { protocol } from '../../../plugins/bnxt/protocol';
import { env, freshState, simContext, type SentRpc } from './helpers';
import { resolveCommands } from '../../../src/core/plugins';

const commands = await resolveCommands(plugin);

const cmd = (name: string) => commands.find((c) => c.name === name)!;
const run = (name: string, state = freshState(), options: Record<string, unknown> = {}, now?: number, sent?: SentRpc[]) =>
  cmd(name).run(simContext(state, now, sent), { args: [], options: options as never });

describe('bnxt firmware model', () => {
  it('version: HWRM_VER_GET decoded, sent at DEBUG_READ_ONLY', async () => {
    const sent: SentRpc[] = [];
    const v = (await run('version', freshState(), {}, undefined, sent)) as any;
    expect(sent).toEqual([{ name: 'HWRM_VER_GET', scope: Scope.DEBUG_READ_ONLY }]);
    expect(v.hwrm_interface).toBe('1.10.3.133');
    expect(v.package).toBe('230.0.160.0');
    expect(v.firmware.hwrm).toBe('230.0.160.0');
    expect(v.chip).toMatchObject({ num: '0x1750', name: 'BCM57508', stepping: 'B0', platform: 'asic' });
    expect(v.dev_caps).toContain('secure_fw_upd_supported');
    expect(v.flags).toEqual(['ext_ver_avail']);
  });

  it('responses carry resp_len, echo req_type and seq_id, and end with valid = 1', () => {
    const req = encodeVerGet();
    req[4] = 0x34; // seq_id
    const reply = sim.firmware(freshState(), req, 176, env());
    expect(HwrmOutput.decode(reply)).toEqual({ error_code: 0, req_type: 0, seq_id: 0x34, resp_len: 176 });
    expect(reply[175]).toBe(1);
  });

  it('short reply buffers get the first out_len bytes, long ones are zero padded', () => {
    expect(sim.firmware(freshState(), encodeVerGet(), 8, env())).toHaveLength(8);
    const padded = sim.firmware(freshState(), encodeVerGet(), 704, env());
    expect(padded).toHaveLength(704);
    expect(padded.subarray(176).every((b) => b === 0)).toBe(true);
  });

  it('caps: FUNC_QCAPS limits, MAC and serial follow the fleet serial', async () => {
    const a = (await run('caps', freshState(0), { fid: 0xffff })) as any;
    const b = (await run('caps', freshState(1), { fid: 0xffff })) as any;
    expect(a.mac_address).toMatch(/^00:0a:f7:[0-9a-f]{2}:[0-9a-f]{2}:[0-9a-f]{2}$/);
    expect(a.mac_address).not.toBe(b.mac_address);
    expect(a.max).toMatchObject({ tx_rings: 512, vfs: 128 });
    expect(a.capabilities).toEqual(expect.arrayContaining(['roce_v2_supported', 'hot_reset_capable', 'error_recovery_capable']));
    expect(a.device_serial_number).toMatch(/^([0-9a-f]{2}-){7}[0-9a-f]{2}$/);
  });

  it('caps for a function that does not exist: HWRM_ERR_CODE_INVALID_PARAMS', async () => {
    await expect(run('caps', freshState(), { fid: 0x42 })).rejects.toMatchObject({ code: 'ACCELCTL_E_DEVICE_STATUS', message: 'HWRM_ERR_CODE_INVALID_PARAMS' });
  });

  it('temp: moves with env.now, thresholds reported', async () => {
    const state = freshState();
    const readings = new Set<number>();
    for (let t = 0; t < 300_000; t += 20_000) readings.add(((await run('temp', state, {}, 1_700_000_000_000 + t)) as any).chip_c);
    expect(readings.size).toBeGreaterThan(3);
    const r = (await run('temp', state)) as any;
    expect(r.phy_c).toBe(r.chip_c - 6);
    expect(r.thresholds).toEqual({ warn_c: 95, critical_c: 100, fatal_c: 105, shutdown_c: 110 });
    expect(r.chip_c).toBeGreaterThan(40);
    expect(r.chip_c).toBeLessThan(70);
  });

  it('health: booted stages decoded, healthy', async () => {
    const h = (await run('health')) as any;
    expect(h).toMatchObject({ fw_status: '0x00000115', healthy: true, problems: [] });
    expect(h.status_bits).toEqual(['sbi_booted', 'srt_booted', 'crt_booted', 'dir_hdr_booted']);
  });

  it('factory-defaults restore marks cfg_mismatch until func-reset reloads the configuration', async () => {
    const state = freshState();
    const sent: SentRpc[] = [];
    const f = (await run('factory-defaults', state, { mode: 'restore', selection: 'cfg-option' }, undefined, sent)) as any;
    expect(f.result).toBe('restore_ok');
    expect(sent).toEqual([{ name: 'HWRM_NVM_FACTORY_DEFAULTS', scope: Scope.CONFIGURATION }]);
    expect(state.factory.restores).toBe(1);
    expect((await run('health', state)) as any).toMatchObject({ healthy: false, problems: ['cfg_mismatch'] });
    const r = (await run('func-reset', state, { level: 'me' })) as any;
    expect(r).toMatchObject({ reset: true, level: 'resetme' });
    expect(state.resets.count).toBe(1);
    expect(state.resets.last).toMatchObject({ level: 1, vfId: null });
    expect((await run('health', state)) as any).toMatchObject({ healthy: true });
  });

  it('factory-defaults create: CREATE_ALREADY when saved; restore with nothing saved fails with cmd_err NO_SAVED_CFG', async () => {
    const state = freshState();
    expect(((await run('factory-defaults', state, { mode: 'create', selection: 'cfg-option' })) as any).result).toBe('create_already');
    state.factory.saved = false;
    const reply = sim.firmware(state, encodeNvmFactoryDefaults(0, 1), 16, env());
    const status = protocol.replyStatus(encodeNvmFactoryDefaults(0, 1), reply);
    expect(status).toMatchObject({ ok: false, status: 1, message: 'HWRM_ERR_CODE_FAIL', detail: { cmd_err: 2 } });
    expect(((await run('factory-defaults', state, { mode: 'create', selection: 'cfg-option' })) as any).result).toBe('create_ok');
    expect(state.factory.saved).toBe(true);
  });

  it('func-reset errors: VF out of range, level vf without VF id, bad option mix', async () => {
    const state = freshState();
    await expect(run('func-reset', state, { level: 'vf', vf: 9 })).rejects.toMatchObject({ message: 'HWRM_ERR_CODE_INVALID_PARAMS' });
    expect(HwrmOutput.get(sim.firmware(state, encodeFuncReset('resetvf'), 16, env()), 'error_code')).toBe(0x6); // INVALID_ENABLES
    await expect(run('func-reset', state, { level: 'me', vf: 1 })).rejects.toMatchObject({ code: 'ACCELCTL_E_USAGE' });
    expect(state.resets.count).toBe(0);
    await run('func-reset', state, { level: 'vf', vf: 2 });
    expect(state.resets.last).toMatchObject({ level: 3, vfId: 2 });
  });

  it('commands the model does not implement answer HWRM_ERR_CODE_CMD_NOT_SUPPORTED', () => {
    const req = hwrmRequest(0x28); // PORT_MAC_QCFG
    const status = protocol.replyStatus(req, sim.firmware(freshState(), req, 704, env()));
    expect(status).toMatchObject({ ok: false, status: 0xffff, message: 'HWRM_ERR_CODE_CMD_NOT_SUPPORTED' });
  });

  it('replyStatus names driver errnos stored in error_code', () => {
    const reply = new Uint8Array(16);
    reply[0] = 0x92; // -110 as le16: 0xff92
    reply[1] = 0xff;
    expect(protocol.replyStatus(encodeFuncQcaps(), reply)).toMatchObject({ ok: false, status: 0xff92, message: 'driver error -ETIMEDOUT' });
  });

  it('identify: model from chip id, firmware from VER_GET', async () => {
    expect(await plugin.identify!(simContext(freshState()))).toEqual({ model: 'BCM57508', firmware: '230.0.160.0' });
  });

  it('FWCTL_INFO data: uctx_caps decoded', () => {
    expect(protocol.decodeInfo!(sim.info(freshState()))).toEqual({ uctx_caps: '0x0000000f', capabilities: ['inline_commands', 'query_commands', 'send_commands', 'dma_commands'] });
  });

  it('state is plain JSON', () => {
    const state = freshState();
    expect(JSON.parse(JSON.stringify(state))).toEqual(state);
  });

  it('commands declare rpcs that exist and their class matches the classifier', async () => {
    const kinds = new Map(protocol.rpcKinds.map((k) => [k.name, k]));
    for (const c of commands) for (const r of c.rpcs) expect(kinds.get(r)?.rpcClass, `${c.name}/${r}`).toBe(c.rpcClass);
  });

  it('renders text views for every command', async () => {
    const state = freshState();
    const opts: Record<string, Record<string, unknown>> = { caps: { fid: 0xffff }, 'func-reset': { level: 'me' }, 'factory-defaults': { mode: 'restore', selection: 'cfg-option' } };
    for (const c of commands) {
      const result = await c.run(simContext(state), { args: [], options: (opts[c.name] ?? {}) as never });
      const views = (c.render as (r: unknown) => unknown[])(result);
      expect(views.length, c.name).toBeGreaterThan(0);
      expect(() => JSON.stringify(result)).not.toThrow();
    }
  });

  it('a wrong reply type is a malformed reply, not a crash', async () => {
    const state = freshState();
    const ctx = simContext(state);
    const wrong = { ...ctx, rpc: async () => sim.firmware(state, encodeFuncQcaps(), 176, env()) };
    await expect(cmd('version').run(wrong, { args: [], options: {} as never })).rejects.toSatisfy((e: unknown) => isAccelError(e) && e.code === 'ACCELCTL_E_MALFORMED_REPLY');
  });
});
