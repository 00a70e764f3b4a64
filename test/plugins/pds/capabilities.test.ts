/**
 * The capability blocks (config, reset, firmware, health, metrics) run
 * in-process against the simulated DSC through the fake context: every RPC is
 * classified by the plugin, checked by the simulated driver, and run by the
 * firmware model.
 */
import { describe, expect, it } from 'vitest';
import { isAccelError, Scope, type ConfigParamState } from 'accelctl/sdk';
import plugin from '../../../plugins/pds/index';
import { PARAMS } from '../../../plugins/pds/config-params';
import sim from '../../../plugins/pds/sim';
import { FIRMWARE_PARAMS } from '../../../plugins/pds/sim-config';
import { devlinkInstall } from '../../../plugins/pds/sim-lifecycle';
import type { FullState } from '../../../plugins/pds/sim-state';
import { fakeContext } from './fake-device';
import { resolveCommands } from '../../../src/core/plugins';

const commands = await resolveCommands(plugin);

const T0 = 1_700_000_000_000;
const fresh = () => sim.create({ index: 0, serial: 'FLM0000000007' }) as FullState;
const cap = <K extends 'config' | 'reset' | 'firmware' | 'health' | 'metrics'>(k: K) => plugin[k]!;

async function errorOf(promise: Promise<unknown> | (() => unknown)): Promise<{ code: string; message: string; hint?: string }> {
  try {
    await (typeof promise === 'function' ? promise() : promise);
  } catch (error) {
    if (isAccelError(error)) return { code: error.code, message: error.message, hint: error.hint };
    throw error;
  }
  return { code: 'resolved', message: '' };
}

const byName = (states: ConfigParamState[]) => Object.fromEntries(states.map((s) => [s.name, s]));

describe('config', () => {
  it('offers at least six parameters covering every type, with apply and description', async () => {
    const params = await cap('config').params(fakeContext(fresh()));
    expect(params.length).toBeGreaterThanOrEqual(6);
    expect(new Set(params.map((p) => p.type.kind))).toEqual(new Set(['bool', 'int', 'enum', 'string']));
    for (const p of params) {
      expect(p.name).toMatch(/^[a-z][a-z0-9_]*$/);
      expect(['immediate', 'reset', 'reboot']).toContain(p.apply);
      expect(p.description.length).toBeGreaterThan(10);
    }
  });

  it('the catalogue parameters and the firmware parameter table agree (ids, ranges, apply, read-only)', () => {
    expect(PARAMS.map((p) => p.id)).toEqual(FIRMWARE_PARAMS.map((p) => p.id));
    for (const p of PARAMS) {
      const fw = FIRMWARE_PARAMS.find((f) => f.id === p.id)!;
      const range =
        p.type.kind === 'bool' ? [0, 1] : p.type.kind === 'int' ? [p.type.min, p.type.max] : p.type.kind === 'enum' ? [0, p.type.values.length - 1] : [0, p.type.maxLength];
      expect([fw.min, fw.max], p.name).toEqual(range);
      expect(fw.cell, p.name).toBe(p.type.kind === 'string' ? 'string' : 'u32');
      expect(fw.immediate, p.name).toBe(p.apply === 'immediate');
      expect(fw.readOnly, p.name).toBe(p.readOnly === true);
    }
  });

  it('reads default, current and next boot of every parameter with the type it declares, over get_param only', async () => {
    const ctx = fakeContext(fresh());
    const states = byName(await cap('config').read(ctx, []));
    expect(states.sriov_en).toEqual({ name: 'sriov_en', default: true, current: true, nextBoot: true });
    expect(states.num_vfs).toEqual({ name: 'num_vfs', default: 16, current: 16, nextBoot: 16 });
    expect(states.port_fec).toMatchObject({ default: 'rs', current: 'rs' });
    expect(states.power_mode).toMatchObject({ current: 'balanced' });
    expect(states.board_label).toMatchObject({ current: '' });
    expect(states.secure_boot_en).toMatchObject({ current: true });
    for (const spec of PARAMS) {
      const value = states[spec.name]!.current;
      const expectType = { bool: 'boolean', int: 'number', enum: 'string', string: 'string' }[spec.type.kind];
      expect(typeof value, spec.name).toBe(expectType);
    }
    expect(ctx.sent.every((s) => s.name === 'config.get_param' && s.rpcClass === 'inspect' && s.scope === Scope.CONFIGURATION)).toBe(true);
    expect(ctx.sent).toHaveLength(PARAMS.length);
  });

  it('reads only the named parameters and refuses an unknown name', async () => {
    const ctx = fakeContext(fresh());
    expect((await cap('config').read(ctx, ['num_vfs'])).map((s) => s.name)).toEqual(['num_vfs']);
    expect((await errorOf(cap('config').read(ctx, ['nope']))).code).toBe('ACCELCTL_E_USAGE');
  });

  it('write stages next-boot values, commits once, and a reset makes them current', async () => {
    const state = fresh();
    const ctx = fakeContext(state);
    await cap('config').write(ctx, [
      { name: 'num_vfs', value: 32 },
      { name: 'sriov_en', value: false },
      { name: 'power_mode', value: 'performance' },
    ]);
    expect(ctx.sent.map((s) => [s.name, s.rpcClass])).toEqual([
      ['config.set_param', 'configure'],
      ['config.set_param', 'configure'],
      ['config.set_param', 'configure'],
      ['system.commit_config', 'configure'],
    ]);
    let states = byName(await cap('config').read(ctx, ['num_vfs', 'sriov_en', 'power_mode']));
    expect(states.num_vfs).toMatchObject({ current: 16, nextBoot: 32, default: 16 });
    expect(states.sriov_en).toMatchObject({ current: true, nextBoot: false });
    expect(states.power_mode).toMatchObject({ current: 'balanced', nextBoot: 'performance' });

    const before = ctx.sent.length;
    await cap('reset').reset(ctx, 'fw');
    expect(ctx.sent.slice(before)).toEqual([{ name: 'system.reset', rpcClass: 'configure', scope: Scope.CONFIGURATION }]);
    states = byName(await cap('config').read(ctx, ['num_vfs', 'sriov_en', 'power_mode']));
    expect(states.num_vfs).toMatchObject({ current: 32, nextBoot: 32 });
    expect(states.sriov_en).toMatchObject({ current: false, nextBoot: false });
    expect(states.power_mode).toMatchObject({ current: 'performance', nextBoot: 'performance' });
  });

  it('immediate parameters change now and are saved; the FEC reaches the ports', async () => {
    const state = fresh();
    const ctx = fakeContext(state);
    await cap('config').write(ctx, [{ name: 'port_fec', value: 'fc' }, { name: 'board_label', value: 'rack12-slot3' }]);
    const states = byName(await cap('config').read(ctx, ['port_fec', 'board_label']));
    expect(states.port_fec).toMatchObject({ current: 'fc', nextBoot: 'fc' });
    expect(states.board_label).toMatchObject({ current: 'rack12-slot3', nextBoot: 'rack12-slot3' });
    expect(state.ports.map((p) => p.fec)).toEqual([1, 1]);
  });

  it('writing defaults back (config reset) clears the pending value', async () => {
    const ctx = fakeContext(fresh());
    await cap('config').write(ctx, [{ name: 'num_vfs', value: 8 }]);
    await cap('config').write(ctx, [{ name: 'num_vfs', value: 16 }]);
    expect((await cap('config').read(ctx, ['num_vfs']))[0]).toMatchObject({ current: 16, nextBoot: 16 });
  });

  it('refuses read-only and badly typed values before sending anything', async () => {
    const ctx = fakeContext(fresh());
    expect((await errorOf(cap('config').write(ctx, [{ name: 'secure_boot_en', value: false }]))).code).toBe('ACCELCTL_E_BAD_INPUT');
    expect((await errorOf(cap('config').write(ctx, [{ name: 'num_vfs', value: 65 }]))).code).toBe('ACCELCTL_E_BAD_INPUT');
    expect((await errorOf(cap('config').write(ctx, [{ name: 'port_fec', value: 'baser' }]))).code).toBe('ACCELCTL_E_BAD_INPUT');
    expect((await errorOf(cap('config').write(ctx, [{ name: 'board_label', value: 'x'.repeat(32) }]))).code).toBe('ACCELCTL_E_BAD_INPUT');
    expect((await errorOf(cap('config').write(ctx, [{ name: 'num_vfs', value: 8 }, { name: 'lldp_en', value: 'yes' }]))).code).toBe('ACCELCTL_E_BAD_INPUT');
    expect(ctx.sent).toEqual([]);
  });

  it('an interrupted write (set_param without commit) is lost at reset, never half-applied', async () => {
    const state = fresh();
    const ctx = fakeContext(state);
    await cap('config').write(ctx, [{ name: 'num_vfs', value: 4 }]);
    // A process killed after one set_param: staged but not committed.
    state.params['2']!.staged = 48;
    state.params['1']!.staged = 0;
    await cap('reset').reset(ctx, 'fw');
    const states = byName(await cap('config').read(ctx, ['num_vfs', 'sriov_en']));
    expect(states.num_vfs).toMatchObject({ current: 4, nextBoot: 4 });
    expect(states.sriov_en).toMatchObject({ current: true, nextBoot: true });
  });

  it('declares configure writes and names its RPCs', () => {
    const kinds = new Set(plugin.protocol.rpcKinds.map((k) => k.name));
    expect(cap('config').writeClass).toBe('configure');
    for (const name of [...cap('config').rpcs.read, ...cap('config').rpcs.write]) expect(kinds.has(name), name).toBe(true);
    expect(cap('config').note).toMatch(/commit_config/);
  });
});

describe('reset', () => {
  it('has one level and restarts the firmware: uptime, counters and the committed MTU', async () => {
    const state = fresh();
    let now = T0;
    const ctx = fakeContext(state, { clock: () => now });
    expect(cap('reset').levels.map((l) => l.name)).toEqual(['fw']);
    expect(cap('reset').rpcClass).toBe('configure');
    await plugin.identify!(ctx);
    now += 600_000;
    state.ports[0]!.mtu = 1500; // set_mtu without commit_config
    state.pending = 1;
    const result = await cap('reset').reset(ctx, 'fw');
    expect(result.note).toMatch(/pxe_boot_en/);
    expect(state.ports[0]!.mtu).toBe(9000);
    expect(state.bootedAt).toBe(now);
    expect(state.ports[0]!.rxPackets).toBe('0');
    expect(state.health.linkFlaps).toBe(2);
  });

  it('the firmware refuses an unknown reset kind with PDS_RC_EINVAL', async () => {
    const ctx = fakeContext(fresh());
    const { callOp } = await import('../../../plugins/pds/op-call');
    const e = await errorOf(callOp(ctx, 'system.reset', new Uint8Array([1, 0, 0, 0])));
    expect(e).toMatchObject({ code: 'ACCELCTL_E_DEVICE_STATUS', message: 'PDS_RC_EINVAL: Invalid argument' });
  });
});

describe('firmware', () => {
  it('shows fixed, running and per-slot stored versions as devlink info does', async () => {
    const ctx = fakeContext(fresh());
    const v = await cap('firmware').show(ctx);
    expect(v).toEqual({
      fixed: { 'asic.id': '0x2', 'asic.rev': '0x0', serial_number: 'FLM0000000007' },
      running: { fw: '1.68.0-E-56' },
      stored: { 'fw.goldfw': '1.60.0-G-12', 'fw.mainfwa': '1.68.0-E-56', 'fw.mainfwb': '1.66.1-E-20' },
      activeBank: 'mainfwa',
      pendingActivation: false,
    });
    expect(ctx.sent.map((s) => [s.name, s.rpcClass])).toEqual([
      ['system.get_ident', 'inspect'],
      ['system.get_fw_list', 'inspect'],
    ]);
  });

  it('after a devlink flash (outside fwctl) the stored slot differs until a reset boots it', async () => {
    const state = fresh();
    const ctx = fakeContext(state);
    devlinkInstall(state, '1.70.0-E-3');
    let v = await cap('firmware').show(ctx);
    expect(v.stored['fw.mainfwb']).toBe('1.70.0-E-3');
    expect(v.running.fw).toBe('1.68.0-E-56');
    expect(v.pendingActivation).toBe(true);
    await cap('reset').reset(ctx, 'fw');
    v = await cap('firmware').show(ctx);
    expect(v).toMatchObject({ running: { fw: '1.70.0-E-3' }, activeBank: 'mainfwb', pendingActivation: false });
    expect(v.stored['fw.mainfwa']).toBe('1.68.0-E-56');
  });

  it('an interrupted devlink download leaves the old image running and the slot incomplete; a second one succeeds', async () => {
    const state = fresh();
    const ctx = fakeContext(state);
    devlinkInstall(state, '1.70.0-E-3', false);
    sim.powerCycle!(state, Date.now());
    let v = await cap('firmware').show(ctx);
    expect(v).toMatchObject({ running: { fw: '1.68.0-E-56' }, activeBank: 'mainfwa', pendingActivation: false });
    expect(v.stored['fw.mainfwb']).toBe('1.70.0-E-3 (incomplete)');
    devlinkInstall(state, '1.70.0-E-3');
    sim.powerCycle!(state, Date.now());
    v = await cap('firmware').show(ctx);
    expect(v).toMatchObject({ running: { fw: '1.70.0-E-3' }, activeBank: 'mainfwb' });
  });

  it('flash, activate, inspectImage and checkTarget are unsupported through fwctl and point to devlink, sending nothing', async () => {
    const ctx = fakeContext(fresh());
    const fw = cap('firmware');
    const flash = await errorOf(fw.flash(ctx, new Uint8Array(16), { progress: () => undefined }));
    expect(flash.code).toBe('ACCELCTL_E_UNSUPPORTED');
    expect(flash.message).toMatch(/devlink flash/);
    expect(flash.hint).toBe('devlink dev flash pci/0000:3b:00.0 file <image>');
    const activate = await errorOf(fw.activate(ctx));
    expect(activate.code).toBe('ACCELCTL_E_UNSUPPORTED');
    expect(activate.hint).toMatch(/^devlink dev flash pci\/0000:3b:00\.0 file <image>; .*accelctl reset/);
    expect((await errorOf(() => fw.inspectImage(new Uint8Array(64)))).code).toBe('ACCELCTL_E_UNSUPPORTED');
    expect((await errorOf(fw.checkTarget(ctx, { format: 'x', version: '1', target: 'x', components: [], size: 1 }))).code).toBe('ACCELCTL_E_UNSUPPORTED');
    expect(ctx.sent).toEqual([]);
    expect(fw.rpcs.flash).toEqual([]);
    expect(sim.buildImage).toBeUndefined();
  });
});

describe('health', () => {
  it('reports fw, thermal and link healthy on a fresh card, with inspect RPCs only', async () => {
    const ctx = fakeContext(fresh());
    const reporters = await cap('health').reporters(ctx);
    expect(reporters.map((r) => [r.name, r.state, r.errorCount])).toEqual([
      ['fw', 'healthy', 0],
      ['thermal', 'healthy', 0],
      ['link', 'healthy', 0],
    ]);
    expect(ctx.sent.every((s) => s.rpcClass === 'inspect' && s.scope === Scope.CONFIGURATION)).toBe(true);
  });

  it('turns fw to error with the health-error fault, keeps the count after recovery', async () => {
    const state = fresh();
    const faults: string[] = ['health-error'];
    let now = T0;
    const ctx = fakeContext(state, { faults, clock: () => now });
    const [fw] = await cap('health').reporters(ctx);
    expect(fw).toMatchObject({ name: 'fw', state: 'error', errorCount: 1 });
    expect(fw!.lastError).toMatchObject({ message: expect.stringMatching(/^PDS_RC_EIO: I\/O error/), time: new Date(T0).toISOString() });
    expect(fw!.recommendedAction).toMatch(/devlink health diagnose pci\/0000:3b:00\.0 reporter fw/);
    now += 5_000;
    expect((await cap('health').reporters(ctx))[0]).toMatchObject({ state: 'error', errorCount: 1 }); // latched once
    faults.length = 0;
    now += 5_000;
    const after = (await cap('health').reporters(ctx))[0]!;
    expect(after).toMatchObject({ state: 'healthy', errorCount: 1 });
    expect(after.lastError?.message).toMatch(/recoveries 1/);
    expect(after.recommendedAction).toBeUndefined();
  });

  it('reports a link that is down while administratively up; an admin-down port is not an error', async () => {
    const state = fresh();
    state.ports[1]!.linkUp = false;
    let link = (await cap('health').reporters(fakeContext(state)))[2]!;
    expect(link).toMatchObject({ name: 'link', state: 'error' });
    expect(link.lastError?.message).toMatch(/port 1/);
    state.ports[1]!.adminUp = false;
    link = (await cap('health').reporters(fakeContext(state)))[2]!;
    expect(link.state).toBe('healthy');
  });
});

describe('metrics', () => {
  const value = (ms: Awaited<ReturnType<typeof collect>>, name: string, labels: Record<string, string> = {}) =>
    ms.find((m) => m.name === name && Object.entries(labels).every(([k, v]) => m.labels?.[k] === v))?.value;
  const collect = (ctx: ReturnType<typeof fakeContext>) => cap('metrics').collect(ctx);

  it('names metrics snake_case with units, counters as counters, over inspect RPCs only', async () => {
    const ctx = fakeContext(fresh());
    const ms = await collect(ctx);
    for (const m of ms) {
      expect(m.name).toMatch(/^[a-z][a-z0-9_]*$/);
      expect(m.name.startsWith('accelctl_')).toBe(false);
      expect(Number.isFinite(m.value), m.name).toBe(true);
      if (m.name.endsWith('_total')) expect(m.type, m.name).toBe('counter');
    }
    expect(value(ms, 'temperature_celsius', { sensor: 'asic' })).toBeGreaterThan(50);
    expect(value(ms, 'power_watts', { rail: 'board' })).toBeGreaterThan(40);
    expect(value(ms, 'link_up', { port: '0' })).toBe(1);
    expect(value(ms, 'link_speed_bytes_per_second', { port: '1' })).toBe(100e9 / 8);
    expect(ctx.sent.every((s) => s.rpcClass === 'inspect')).toBe(true);
    expect(new Set(ctx.sent.map((s) => s.name))).toEqual(new Set(cap('metrics').rpcs));
  });

  it('counters and sensors move with time', async () => {
    let now = T0;
    const ctx = fakeContext(fresh(), { clock: () => now });
    const first = await collect(ctx);
    now += 150_000;
    const second = await collect(ctx);
    expect(value(second, 'rx_bytes_total', { port: '0' })! - value(first, 'rx_bytes_total', { port: '0' })!).toBe(150_000 * 1500 * 1024);
    expect(value(second, 'tx_packets_total', { port: '1' })!).toBeGreaterThan(value(first, 'tx_packets_total', { port: '1' })!);
    expect(value(second, 'rx_errors_total', { port: '0' })!).toBeGreaterThan(value(first, 'rx_errors_total', { port: '0' })!);
    expect(value(second, 'uptime_seconds')).toBe(150);
    expect(value(second, 'temperature_celsius', { sensor: 'asic' })).not.toBe(value(first, 'temperature_celsius', { sensor: 'asic' }));
    expect(value(second, 'power_watts', { rail: 'asic' })).not.toBe(value(first, 'power_watts', { rail: 'asic' }));
    expect(value(second, 'fw_heartbeat_total')).toBe(150);
  });

  it('power follows the power_mode parameter once a reset applies it', async () => {
    const ctx = fakeContext(fresh());
    const before = value(await collect(ctx), 'power_watts', { rail: 'board' })!;
    await cap('config').write(ctx, [{ name: 'power_mode', value: 'low_power' }]);
    await cap('reset').reset(ctx, 'fw');
    expect(value(await collect(ctx), 'power_watts', { rail: 'board' })!).toBeCloseTo(before * 0.8, 1);
  });
});

describe('simulator hooks', () => {
  it('errorReply delivers the request with out.retval PDS_RC_EIO, which replyStatus reports', async () => {
    const { opRequest } = await import('../../../plugins/pds/op-call');
    const { request } = opRequest('system.get_ident');
    const reply = sim.errorReply!(request, 48);
    expect(reply.length).toBe(48);
    expect(plugin.protocol.replyStatus(request, reply)).toMatchObject({ ok: false, status: 3, message: 'PDS_RC_EIO: I/O error' });
  });

  it('upgrades a state created before the capability round on first use', async () => {
    const state = fresh() as unknown as Record<string, unknown>;
    for (const key of ['params', 'slots', 'runningSlot', 'bootSlot', 'health', 'countersAt']) delete state[key];
    const ctx = fakeContext(state as never);
    expect((await cap('firmware').show(ctx)).activeBank).toBe('mainfwa');
    expect((await cap('config').read(ctx, ['num_vfs']))[0]!.current).toBe(16);
  });
});

describe('dump', () => {
  it('runs operations for every endpoint and never runs call', async () => {
    const operations = commands.find((c) => c.name === 'operations')!;
    expect(operations.dump).toEqual([{ args: ['system'] }, { args: ['port'] }, { args: ['diag'] }, { args: ['config'] }]);
    expect(commands.find((c) => c.name === 'call')!.dump).toBe(false);
    const endpoints = commands.find((c) => c.name === 'endpoints')!;
    expect(endpoints.rpcClass).toBe('inspect');
  });
});
