/**
 * The capability blocks (config, firmware, health, metrics, dump invocations)
 * through the in-process fake device: the simulator's driver rules and device
 * model behind the plugin's classifier.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isAccelError, Scope, type ConfigParamState } from 'accelctl/sdk';
import plugin from '../../../plugins/cxl/index';
import { applyMode } from '../../../plugins/cxl/config';
import { decodeParam, encodeParam, PARAM_SPECS } from '../../../plugins/cxl/config-params';
import { Effect } from '../../../plugins/cxl/effects';
import { getFeature } from '../../../plugins/cxl/commands/get-feature';
import { setFeature } from '../../../plugins/cxl/commands/set-feature';
import { decodeOut, encodeSetFeature } from '../../../plugins/cxl/requests';
import { UUID } from '../../../plugins/cxl/sim-catalog';
import sim from '../../../plugins/cxl/sim';
import { uuidToBytes } from '../../../plugins/cxl/features';
import { DriverRefused, fakeDevice } from './fake-device';

const config = plugin.config!;
const firmware = plugin.firmware!;
const health = plugin.health!;
const metrics = plugin.metrics!;

const byName = (states: ConfigParamState[]) => Object.fromEntries(states.map((s) => [s.name, s]));
const setsSent = (sent: { name: string; scope: Scope }[]) => sent.filter((s) => s.name.startsWith('SET_'));

describe('config: parameters', () => {
  it('offers at least six parameters with types, apply modes from the effects, and read-only kernel-owned ones', async () => {
    const defs = await config.params(fakeDevice().commandContext());
    expect(defs.filter((d) => !d.readOnly).length).toBeGreaterThanOrEqual(6);
    const table = Object.fromEntries(defs.map((d) => [d.name, [d.type.kind, d.apply, d.readOnly === true]]));
    expect(table).toEqual({
      patrol_scrub_en: ['bool', 'immediate', true],
      patrol_scrub_cycle_hours: ['int', 'immediate', true],
      thermal_throttle_en: ['bool', 'immediate', false],
      thermal_throttle_temp_c: ['int', 'immediate', false],
      thermal_hysteresis_c: ['int', 'immediate', false],
      media_refresh_rate: ['enum', 'reset', false],
      boot_memory_test: ['enum', 'reset', false],
      cor_err_event_threshold: ['int', 'reset', false],
      asset_tag: ['string', 'immediate', false],
    });
    expect(defs.find((d) => d.name === 'thermal_throttle_temp_c')!.type).toEqual({ kind: 'int', min: 70, max: 110, unit: '°C' });
    expect(defs.find((d) => d.name === 'boot_memory_test')!.type).toEqual({ kind: 'enum', values: ['off', 'quick', 'full'] });
    expect(defs.find((d) => d.name === 'asset_tag')!.type).toEqual({ kind: 'string', maxLength: 32 });
    for (const d of defs) expect(d.name).toMatch(/^[a-z][a-z0-9_]*$/);
  });
  it('writes are mutate-debug, and the note says why', () => {
    expect(config.writeClass).toBe('mutate-debug');
    expect(config.note).toMatch(/saved across reset/);
    expect(config.note).toMatch(/debug_write_full/);
    expect(config.note).toMatch(/--allow-mutate/);
  });
  it('apply mode follows the effects bits', () => {
    expect(applyMode(Effect.POLICY_CHANGE_IMMEDIATE | Effect.CONFIG_CHANGE_COLD_RESET)).toBe('immediate');
    expect(applyMode(Effect.LOG_CHANGE_IMMEDIATE)).toBe('immediate');
    expect(applyMode(Effect.CONFIG_CHANGE_CXL_RESET)).toBe('reset');
    expect(applyMode(Effect.CONFIG_CHANGE_CONV_RESET | Effect.CONFIG_CHANGE_COLD_RESET)).toBe('reset');
    expect(applyMode(Effect.CONFIG_CHANGE_COLD_RESET)).toBe('reboot');
  });
  it('a device without the vendor features offers only what it has', async () => {
    const dev = fakeDevice();
    dev.state.features = dev.state.features.filter((f) => !f.uuid.startsWith('5f3c9a10'));
    const defs = await config.params(dev.commandContext());
    expect(defs.map((d) => d.name)).toEqual(['patrol_scrub_en', 'patrol_scrub_cycle_hours']);
  });
});

describe('config: read, write, pending, reset', () => {
  it('reads default, current and next boot from the three Get Feature selections, inspect only', async () => {
    const dev = fakeDevice();
    const ctx = dev.commandContext();
    const all = byName(await config.read(ctx, []));
    expect(all.thermal_throttle_temp_c).toEqual({ name: 'thermal_throttle_temp_c', default: 95, current: 95, nextBoot: 95 });
    expect(all.media_refresh_rate).toMatchObject({ default: '1x', current: '1x', nextBoot: '1x' });
    expect(all.asset_tag).toMatchObject({ default: '', current: '' });
    expect(all.patrol_scrub_en).toMatchObject({ current: true });
    expect(all.patrol_scrub_cycle_hours).toMatchObject({ current: 12 });
    expect(ctx.sent.every((s) => s.scope === Scope.CONFIGURATION && !s.name.startsWith('SET_'))).toBe(true);
    const some = await config.read(ctx, ['boot_memory_test']);
    expect(some).toEqual([{ name: 'boot_memory_test', default: 'quick', current: 'quick', nextBoot: 'quick' }]);
    await expect(config.read(ctx, ['nope'])).rejects.toMatchObject({ code: 'ACCELCTL_E_USAGE' });
  });
  it('an immediate parameter changes now; a reset parameter waits (pending) until a power cycle applies it', async () => {
    const dev = fakeDevice();
    const ctx = dev.commandContext();
    await config.write(ctx, [
      { name: 'thermal_throttle_temp_c', value: 88 },
      { name: 'asset_tag', value: 'rack42-u07' },
      { name: 'media_refresh_rate', value: '2x' },
    ]);
    // One Set Feature per feature, each at the scope the kernel requires.
    expect(setsSent(ctx.sent)).toEqual([
      { name: 'SET_FEATURE_IMMEDIATE', scope: Scope.DEBUG_WRITE_FULL },
      { name: 'SET_FEATURE_IMMEDIATE', scope: Scope.DEBUG_WRITE_FULL },
      { name: 'SET_FEATURE_AFTER_RESET', scope: Scope.DEBUG_WRITE },
    ]);
    let s = byName(await config.read(dev.commandContext(), []));
    expect(s.thermal_throttle_temp_c).toMatchObject({ current: 88, nextBoot: 88, default: 95 });
    expect(s.asset_tag).toMatchObject({ current: 'rack42-u07', nextBoot: 'rack42-u07', default: '' });
    expect(s.media_refresh_rate).toMatchObject({ current: '1x', nextBoot: '2x' });

    // A second change to the same feature keeps the first pending one.
    await config.write(dev.commandContext(), [{ name: 'boot_memory_test', value: 'full' }]);
    s = byName(await config.read(dev.commandContext(), []));
    expect(s.media_refresh_rate).toMatchObject({ current: '1x', nextBoot: '2x' });
    expect(s.boot_memory_test).toMatchObject({ current: 'quick', nextBoot: 'full' });

    sim.powerCycle!(dev.state, dev.env.now);
    s = byName(await config.read(dev.commandContext(), []));
    expect(s.media_refresh_rate).toMatchObject({ current: '2x', nextBoot: '2x' });
    expect(s.boot_memory_test).toMatchObject({ current: 'full', nextBoot: 'full' });
    expect(s.thermal_throttle_temp_c).toMatchObject({ current: 88 });
    expect(s.asset_tag).toMatchObject({ current: 'rack42-u07' });
  });
  it('back to defaults (what config reset writes) makes next boot the default', async () => {
    const dev = fakeDevice();
    await config.write(dev.commandContext(), [{ name: 'cor_err_event_threshold', value: 500 }]);
    const before = byName(await config.read(dev.commandContext(), ['cor_err_event_threshold']));
    await config.write(dev.commandContext(), [{ name: 'cor_err_event_threshold', value: before.cor_err_event_threshold!.default }]);
    expect((await config.read(dev.commandContext(), ['cor_err_event_threshold']))[0]).toMatchObject({ nextBoot: 100, current: 100 });
  });
  it('refuses read-only and bad values before sending any Set Feature', async () => {
    const dev = fakeDevice();
    const attempts: [string, unknown, string][] = [
      ['patrol_scrub_en', false, 'ACCELCTL_E_UNCLASSIFIED'],
      ['media_refresh_rate', '4x', 'ACCELCTL_E_USAGE'],
      ['thermal_throttle_temp_c', 200, 'ACCELCTL_E_USAGE'],
      ['thermal_throttle_temp_c', 90.5, 'ACCELCTL_E_USAGE'],
      ['thermal_throttle_en', 1, 'ACCELCTL_E_USAGE'],
      ['asset_tag', 'x'.repeat(33), 'ACCELCTL_E_USAGE'],
      ['asset_tag', 'tag\u00e9', 'ACCELCTL_E_USAGE'],
      ['nope', 1, 'ACCELCTL_E_USAGE'],
    ];
    for (const [name, value, code] of attempts) {
      const ctx = dev.commandContext();
      // A valid change listed first must not be sent either.
      await expect(config.write(ctx, [{ name: 'thermal_hysteresis_c', value: 3 }, { name, value: value as never }])).rejects.toMatchObject({ code });
      expect(setsSent(ctx.sent)).toEqual([]);
    }
    expect(byName(await config.read(dev.commandContext(), ['thermal_hysteresis_c'])).thermal_hysteresis_c!.current).toBe(5);
  });
  it('codecs round-trip every valid value of every parameter', () => {
    for (const spec of PARAM_SPECS) {
      const t = spec.type;
      const arb: fc.Arbitrary<boolean | number | string> =
        t.kind === 'bool' ? fc.boolean() : t.kind === 'int' ? fc.integer({ min: t.min, max: t.max }) : t.kind === 'enum' ? fc.constantFrom(...t.values) : fc.stringMatching(/^[ -~]{0,32}$/);
      fc.assert(
        fc.property(arb, fc.uint8Array({ minLength: 32, maxLength: 32 }), (value, noise) => {
          const data = noise.slice();
          encodeParam(spec, data, value);
          expect(decodeParam(spec, data)).toEqual(value);
        }),
        { seed: 4242, numRuns: 100 },
      );
    }
  });
});

describe('config: the simulated kernel agrees with the classifier', () => {
  it('media-policy Set Feature passes at DEBUG_WRITE and is refused below; asset-tag needs DEBUG_WRITE_FULL', () => {
    const dev = fakeDevice();
    const policy = encodeSetFeature(uuidToBytes(UUID.MEDIA_POLICY), 8, 0, 1, new Uint8Array([1, 2, 50, 0]));
    expect(() => dev.send(Scope.CONFIGURATION, policy)).toThrow(DriverRefused);
    expect(decodeOut(dev.send(Scope.DEBUG_WRITE, policy)).retval).toBe(0);
    const tag = encodeSetFeature(uuidToBytes(UUID.ASSET_TAG), 8, 0, 1, new Uint8Array(32).fill(0x41));
    expect(() => dev.send(Scope.DEBUG_WRITE, tag)).toThrow(DriverRefused);
    expect(decodeOut(dev.send(Scope.DEBUG_WRITE_FULL, tag)).retval).toBe(0);
    // The device checks values itself: a control character in the tag is Invalid Input.
    const bad = encodeSetFeature(uuidToBytes(UUID.ASSET_TAG), 8, 0, 1, new Uint8Array(32).fill(0x07));
    expect(decodeOut(dev.send(Scope.DEBUG_WRITE_FULL, bad)).retval).toBe(0x02);
    const telemetry = encodeSetFeature(uuidToBytes(UUID.TELEMETRY), 8, 0, 1, new Uint8Array(4));
    expect(() => dev.send(Scope.DEBUG_WRITE_FULL, telemetry)).toThrow(DriverRefused);
  });
  it('every RPC a capability uses is listed in rpcKinds with the class it classifies to', () => {
    const kinds = new Map(plugin.protocol.rpcKinds.map((k) => [k.name, k]));
    for (const name of [...config.rpcs.read, ...config.rpcs.write, ...firmware.rpcs.show, ...health.rpcs, ...metrics.rpcs]) expect(kinds.has(name)).toBe(true);
    for (const name of [...config.rpcs.read, ...health.rpcs, ...metrics.rpcs, ...firmware.rpcs.show]) expect(kinds.get(name)!.rpcClass).toBe('inspect');
  });
});

describe('firmware', () => {
  it('show reports the fuse information and unknown versions, inspect only', async () => {
    const ctx = fakeDevice(2).commandContext();
    const v = await firmware.show(ctx);
    expect(v.fixed).toEqual({ sku: '0x2a01', dram_vendor: '206', speed_grade: '48' });
    expect(v.running.firmware).toMatch(/^unknown via fwctl/);
    expect(v.stored).toEqual({ firmware: 'unknown via fwctl' });
    expect(v.pendingActivation).toBe(false);
    expect(v.activeBank).toBeUndefined();
    expect(ctx.sent.every((s) => s.scope === Scope.CONFIGURATION)).toBe(true);
  });
  it('flash, activate, image checks: UNSUPPORTED with a hint at the kernel firmware upload, nothing sent', async () => {
    const ctx = fakeDevice().commandContext();
    const progress: unknown[] = [];
    for (const p of [
      firmware.flash(ctx, new Uint8Array(1024), { progress: (x) => progress.push(x) }),
      firmware.activate(ctx),
      firmware.checkTarget(ctx, { format: 'x', version: '1', target: 'y', components: [], size: 0 }),
    ]) {
      await expect(p).rejects.toMatchObject({ code: 'ACCELCTL_E_UNSUPPORTED', hint: expect.stringContaining('cxl update-firmware') });
    }
    expect(() => firmware.inspectImage(new Uint8Array(16))).toThrow(expect.objectContaining({ code: 'ACCELCTL_E_UNSUPPORTED' }));
    expect(ctx.sent).toEqual([]);
    expect(progress).toEqual([]);
    expect(firmware.rpcs.flash).toEqual([]);
    expect(sim.buildImage).toBeUndefined();
  });
  it('inspectImage on random bytes throws only AccelError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), (bytes) => {
        try {
          firmware.inspectImage(bytes);
          return false;
        } catch (e) {
          return isAccelError(e);
        }
      }),
      { seed: 7, numRuns: 200 },
    );
  });
});

describe('health', () => {
  it('healthy at first; health-error turns media to error with one recorded error and its time; clearing recovers', async () => {
    const dev = fakeDevice();
    expect(await health.reporters(dev.commandContext())).toEqual([
      { name: 'thermal', state: 'healthy', errorCount: 0 },
      { name: 'media', state: 'healthy', errorCount: 0 },
    ]);
    dev.env.faults = ['health-error'];
    const faulted = await health.reporters(dev.commandContext());
    expect(faulted[1]).toMatchObject({ name: 'media', state: 'error', errorCount: 1, lastError: { time: new Date(Math.floor(dev.env.now / 1000) * 1000).toISOString() } });
    expect(faulted[1]!.recommendedAction).toBeTruthy();
    // The same fault episode is one error, however often it is read.
    dev.env.now += 60_000;
    expect((await health.reporters(dev.commandContext()))[1]!.errorCount).toBe(1);
    dev.env.faults = [];
    const after = await health.reporters(dev.commandContext());
    expect(after[1]).toMatchObject({ state: 'healthy', errorCount: 1 });
    expect(after[1]!.recommendedAction).toBeUndefined();
  });
  it('thermal goes to error while the device throttles', async () => {
    const dev = fakeDevice();
    // A threshold below the running temperature (set in the model: the device refuses < 70 °C through Set Feature).
    dev.state.features.find((f) => f.uuid === UUID.THERMAL_THROTTLE)!.current = '01140300';
    const r = await health.reporters(dev.commandContext());
    expect(r[0]).toMatchObject({ name: 'thermal', state: 'error', errorCount: 1, lastError: { message: expect.stringContaining('threshold 20 °C') } });
  });
  it('a device without the telemetry feature has no health source through fwctl', async () => {
    const dev = fakeDevice();
    dev.state.features = dev.state.features.filter((f) => f.uuid !== UUID.TELEMETRY);
    await expect(health.reporters(dev.commandContext())).rejects.toMatchObject({ code: 'ACCELCTL_E_UNSUPPORTED', hint: expect.stringContaining('cxl list') });
  });
  it('errorReply is a delivered reply with the Internal Error return code', () => {
    const reply = sim.errorReply!(new Uint8Array(16), 64);
    expect(plugin.protocol.replyStatus(new Uint8Array(16), reply)).toMatchObject({ ok: false, status: 0x04, message: 'Internal Error' });
  });
});

describe('metrics', () => {
  it('snake_case names with unit suffixes; counters grow with time and restart at a power cycle', async () => {
    const dev = fakeDevice(1);
    const first = await metrics.collect(dev.commandContext());
    const names = first.map((m) => m.name);
    expect(names).toEqual(expect.arrayContaining(['temperature_celsius', 'power_watts', 'media_read_bytes_total', 'media_write_bytes_total', 'media_corrected_errors_total', 'media_uncorrected_errors_total', 'thermal_throttle_threshold_celsius', 'uptime_seconds']));
    for (const m of first) {
      expect(m.name).toMatch(/^[a-z][a-z0-9_]*$/);
      if (m.type === 'counter') expect(m.name).toMatch(/_total$/);
      expect(Number.isFinite(m.value)).toBe(true);
    }
    const value = (list: typeof first, name: string) => list.find((m) => m.name === name)!.value;
    dev.env.now += 3_600_000;
    const later = await metrics.collect(dev.commandContext());
    expect(value(later, 'media_read_bytes_total')).toBeGreaterThan(value(first, 'media_read_bytes_total'));
    expect(value(later, 'media_read_bytes_total') - value(first, 'media_read_bytes_total')).toBe(3_600_000 * 1_600_000);
    expect(value(later, 'uptime_seconds')).toBe(3600);
    expect(value(later, 'media_corrected_errors_total')).toBeGreaterThan(value(first, 'media_corrected_errors_total'));
    const t = value(later, 'temperature_celsius');
    expect(t).toBeGreaterThanOrEqual(35);
    expect(t).toBeLessThanOrEqual(55);
    sim.powerCycle!(dev.state, dev.env.now);
    expect(value(await metrics.collect(dev.commandContext()), 'uptime_seconds')).toBe(0);
  });
  it('uses inspect RPCs only', async () => {
    const ctx = fakeDevice().commandContext();
    await metrics.collect(ctx);
    await health.reporters(ctx);
    expect(ctx.sent.length).toBeGreaterThan(0);
    expect(ctx.sent.every((s) => ['GET_SUPPORTED_FEATURES', 'GET_FEATURE'].includes(s.name) && s.scope === Scope.CONFIGURATION)).toBe(true);
  });
});

describe('dump invocations', () => {
  it('get-feature lists runnable inspect invocations; set-feature is never dumped', async () => {
    expect(setFeature.dump).toBe(false);
    const list = getFeature.dump as { args: string[]; options?: Record<string, unknown> }[];
    expect(list.length).toBeGreaterThanOrEqual(6);
    const dev = fakeDevice();
    for (const inv of list) {
      const ctx = dev.commandContext();
      const options = { selection: 'current' as const, offset: 0, count: undefined, ...(inv.options ?? {}) };
      const r = await getFeature.run(ctx, { args: [...inv.args], options });
      expect(r.size).toBeGreaterThan(0);
      expect(ctx.sent.every((s) => s.scope === Scope.CONFIGURATION)).toBe(true);
    }
  });
});

describe('power cycle', () => {
  it('drops a transfer in progress, restarts the clock and applies a one-time pending value once', () => {
    const dev = fakeDevice();
    const policy = dev.state.features.find((f) => f.uuid === UUID.MEDIA_POLICY)!;
    dev.state.transfer = { uuid: UUID.MEDIA_POLICY, start: 0, data: '01' };
    policy.pending = '01026400';
    dev.state.health.boot_ms = 5;
    sim.powerCycle!(dev.state, 123_456);
    expect(dev.state.transfer).toBeNull();
    // The clock restarts: the device booted at the power cycle.
    expect(dev.state.health.boot_ms).toBe(123_456);
    expect(policy.current).toBe('01026400');
    sim.powerCycle!(dev.state, dev.env.now);
    expect(policy.current).toBe(policy.saved);
    expect(JSON.parse(JSON.stringify(dev.state))).toEqual(dev.state);
  });
});
