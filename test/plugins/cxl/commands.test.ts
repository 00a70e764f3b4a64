/**
 * The commands, run against the in-process device.
 */
import { describe, expect, it } from 'vitest';
import { Scope } from 'accelctl/sdk';
import { features } from '../../../plugins/cxl/commands/features';
import { getFeature } from '../../../plugins/cxl/commands/get-feature';
import { setFeature } from '../../../plugins/cxl/commands/set-feature';
import { fakeDevice } from './fake-device';

const noSet: { data: string | undefined; fields: string | undefined; offset: number; saved: boolean } = { data: undefined, fields: undefined, offset: 0, saved: false };

describe('features', () => {
  it('lists every feature with flags, effects and the Set Feature requirement', async () => {
    const dev = fakeDevice();
    const result = await features.run(dev.commandContext(), { args: [], options: {} });
    expect(result.supported_features).toBe(11);
    expect(result.features.map((f) => [f.name, f.set_feature])).toEqual([
      ['patrol-scrub', 'refused: kernel-owned'],
      ['thermal-throttle', 'debug_write_full'],
      ['link-power', 'debug_write'],
      ['media-refresh', 'refused: effects (background operation)'],
      ['debug-trace', 'refused: effects (reserved bits)'],
      ['legacy-knob', 'refused: effects (none declared)'],
      ['event-filter', 'debug_write_full'],
      ['fuse-info', 'refused: not changeable'],
      ['media-policy', 'debug_write'],
      ['asset-tag', 'debug_write_full'],
      ['telemetry', 'refused: not changeable'],
    ]);
    const [patrol, thermal] = result.features;
    expect(patrol).toMatchObject({ changeable: false, set_size: 0, kernel_owned: true, origin: 'spec', default_selection: true, saved_selection: true, reset_persistence: 'cold-reset' });
    expect(thermal).toMatchObject({ origin: 'vendor', persistent_across_fw_update: true, effects: '0x0208', effects_decoded: ['policy-change-immediate', 'effects-valid'] });
    expect(result.features[4]!.effects_decoded).toContain('reserved-bit-12');
    const views = features.render!(result);
    expect(views[0]).toMatchObject({ kind: 'table' });
  });
});

describe('get-feature', () => {
  it('by name, with decoded fields', async () => {
    const r = await getFeature.run(fakeDevice().commandContext(), { args: ['thermal-throttle'], options: { selection: 'current', offset: 0, count: undefined } });
    expect(r).toMatchObject({ size: 4, data: '015f0500', fields: { enable: 1, throttle_temp_c: 95, hysteresis_c: 5 } });
  });
  it('by index and by UUID, saved selection, offset and count', async () => {
    const dev = fakeDevice();
    const byIndex = await getFeature.run(dev.commandContext(), { args: ['0'], options: { selection: 'saved', offset: 1, count: 2 } });
    expect(byIndex).toMatchObject({ data: '0c01', fields: null, selection: 'saved' });
    const byUuid = await getFeature.run(dev.commandContext(), { args: ['96DAD7D6-FDE8-482B-A733-75774E06DB8A'], options: { selection: 'current', offset: 0, count: undefined } });
    expect(byUuid.fields).toEqual({ scrub_cycle_cap: 1, scrub_cycle_hrs: 12, min_scrub_cycle_hrs: 1, scrub_flags: 1 });
  });
  it('bad feature names and ranges are usage errors; device errors carry the return code', async () => {
    const ctx = fakeDevice().commandContext();
    await expect(getFeature.run(ctx, { args: ['nope'], options: { selection: 'current', offset: 0, count: undefined } })).rejects.toMatchObject({ code: 'ACCELCTL_E_USAGE' });
    await expect(getFeature.run(ctx, { args: ['99'], options: { selection: 'current', offset: 0, count: undefined } })).rejects.toMatchObject({ code: 'ACCELCTL_E_USAGE' });
    await expect(getFeature.run(ctx, { args: ['thermal-throttle'], options: { selection: 'current', offset: 2, count: 4 } })).rejects.toMatchObject({ code: 'ACCELCTL_E_USAGE' });
    await expect(getFeature.run(ctx, { args: ['link-power'], options: { selection: 'default', offset: 0, count: undefined } })).rejects.toMatchObject({
      code: 'ACCELCTL_E_DEVICE_STATUS',
      details: { status: 0x1a },
    });
  });
});

describe('set-feature', () => {
  it('--fields does read-modify-write at DEBUG_WRITE_FULL for an immediate feature', async () => {
    const dev = fakeDevice();
    const ctx = dev.commandContext();
    const r = await setFeature.run(ctx, { args: ['thermal-throttle'], options: { ...noSet, fields: 'throttle_temp_c=90,hysteresis_c=0x3' } });
    expect(r).toMatchObject({ scope: 'debug_write_full', data: '015a0300', current: '015a0300', saved_across_reset: true, fields: { throttle_temp_c: 90 } });
    expect(ctx.sent.filter((s) => s.name.startsWith('SET_'))).toEqual([{ name: 'SET_FEATURE_IMMEDIATE', scope: Scope.DEBUG_WRITE_FULL }]);
    expect(dev.state.features[1]!.saved).toBe('015a0300');
  });
  it('--data at DEBUG_WRITE for a reset-only feature', async () => {
    const dev = fakeDevice();
    const ctx = dev.commandContext();
    const r = await setFeature.run(ctx, { args: ['link-power'], options: { ...noSet, data: '01 01', saved: true } });
    // Reset-only effects: the device keeps running the old value; the saved one changes.
    expect(r).toMatchObject({ scope: 'debug_write', current: '03022000', saved: '01012000', takes_effect: 'reset', flags: '0x00000008' });
    expect(ctx.sent.some((s) => s.name === 'SET_FEATURE_AFTER_RESET' && s.scope === Scope.DEBUG_WRITE)).toBe(true);
  });
  it('refuses kernel-owned, read-only and effects-refused features before sending', async () => {
    for (const name of ['patrol-scrub', 'fuse-info', 'media-refresh', 'debug-trace', 'legacy-knob']) {
      const ctx = fakeDevice().commandContext();
      await expect(setFeature.run(ctx, { args: [name], options: { ...noSet, data: '00' } })).rejects.toMatchObject({ code: 'ACCELCTL_E_UNCLASSIFIED' });
      expect(ctx.sent.every((s) => s.name === 'GET_SUPPORTED_FEATURES')).toBe(true);
    }
  });
  it('usage errors: both or neither input, bad fields, too long', async () => {
    const ctx = fakeDevice().commandContext();
    const run = (options: Partial<typeof noSet>) => setFeature.run(ctx, { args: ['thermal-throttle'], options: { ...noSet, ...options } });
    await expect(run({})).rejects.toMatchObject({ code: 'ACCELCTL_E_USAGE' });
    await expect(run({ data: '00', fields: 'enable=1' })).rejects.toMatchObject({ code: 'ACCELCTL_E_USAGE' });
    await expect(run({ fields: 'nosuch=1' })).rejects.toMatchObject({ code: 'ACCELCTL_E_USAGE' });
    await expect(run({ fields: 'enable=256' })).rejects.toMatchObject({ code: 'ACCELCTL_E_USAGE' });
    await expect(run({ data: '0102030405' })).rejects.toMatchObject({ code: 'ACCELCTL_E_USAGE' });
    await expect(run({ data: 'zz' })).rejects.toMatchObject({ code: 'ACCELCTL_E_BAD_INPUT' });
  });
  it('a value the device rejects is a device status error (Invalid Input)', async () => {
    const ctx = fakeDevice().commandContext();
    await expect(setFeature.run(ctx, { args: ['thermal-throttle'], options: { ...noSet, fields: 'throttle_temp_c=20' } })).rejects.toMatchObject({
      code: 'ACCELCTL_E_DEVICE_STATUS',
      details: { status: 0x02 },
    });
  });
  it('writes a 384-byte feature by --data', async () => {
    const dev = fakeDevice();
    const r = await setFeature.run(dev.commandContext(), { args: ['event-filter'], options: { ...noSet, data: 'cd'.repeat(384) } });
    expect(r.current).toBe('cd'.repeat(384));
  });
});
