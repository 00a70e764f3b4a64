/**
 * mlx5 capabilities (config, reset, firmware, health, metrics) through the
 * fake-context harness and the simulated ConnectX-7.
 */
import fc from 'fast-check';
import { Scope, isAccelError } from 'accelctl/sdk';
import { describe, expect, it } from 'vitest';
import plugin from '../../../plugins/mlx5/index';
import { buildImage, HEADER_SIZE, parseFwVersion } from '../../../plugins/mlx5/image';
import { crc32 } from 'accelctl/sdk';
import { encodeMnvda } from '../../../plugins/mlx5/mnvda';
import { GLOBAL_PCI_CONF, NV_PARAMS, VPI_LINK_P1 } from '../../../plugins/mlx5/nv-params';
import { ACCESS_MODE } from '../../../plugins/mlx5/prm-mgmt';
import { protocol } from '../../../plugins/mlx5/protocol';
import sim from '../../../plugins/mlx5/sim';
import { mlx5DriverCheck } from '../../../plugins/mlx5/sim-driver';
import { makeHarness, toHexStr } from './harness';

const config = plugin.config!;
const reset = plugin.reset!;
const firmware = plugin.firmware!;
const health = plugin.health!;
const metrics = plugin.metrics!;

const byName = <T extends { name: string }>(list: T[], name: string): T => {
  const found = list.find((x) => x.name === name);
  if (!found) throw new Error(`no ${name}`);
  return found;
};

const image = (version: string, extra: { size?: number; corrupt?: boolean; target?: string } = {}) =>
  sim.buildImage!({ version, size: extra.size ?? 40_000, corrupt: extra.corrupt, target: extra.target }, undefined);

describe('config: MNVDA next-boot / current / default', () => {
  it('offers at least six typed parameters', async () => {
    const h = makeHarness();
    const defs = await config.params(h.ctx);
    expect(defs.length).toBeGreaterThanOrEqual(6);
    const kinds = new Set(defs.map((d) => d.type.kind));
    expect([...kinds].sort()).toEqual(['bool', 'enum', 'int']);
    expect(byName([...defs], 'num_of_vfs').type).toEqual({ kind: 'int', min: 0, max: 127 });
    expect(byName([...defs], 'cqe_compression').type).toEqual({ kind: 'enum', values: ['balanced', 'aggressive'] });
    for (const d of defs) expect(d.apply).toBe('reset');
    expect(h.sent).toHaveLength(0); // params() needs no RPC: --dry-run and validation stay offline
  });

  it('reads every parameter with inspect RPCs; the values have the declared types', async () => {
    const h = makeHarness();
    const states = await config.read(h.ctx, []);
    expect(states.map((s) => s.name)).toEqual(NV_PARAMS.map((p) => p.def.name));
    for (const s of states) {
      const def = byName(NV_PARAMS.map((p) => p.def), s.name);
      for (const v of [s.default, s.current, s.nextBoot]) {
        if (def.type.kind === 'bool') expect(typeof v).toBe('boolean');
        if (def.type.kind === 'int') expect(Number.isInteger(v) && (v as number) >= def.type.min && (v as number) <= def.type.max).toBe(true);
        if (def.type.kind === 'enum') expect(def.type.values).toContain(v);
      }
      expect(s.current).toEqual(s.default);
      expect(s.nextBoot).toEqual(s.current);
    }
    expect(byName(states, 'num_of_vfs')).toMatchObject({ default: 8, current: 8 });
    expect(byName(states, 'link_type_p1').current).toBe('eth');
    expect(h.sent.every((r) => r.name === 'ACCESS_REG_READ' && r.rpcClass === 'inspect' && r.scope === Scope.DEBUG_READ_ONLY)).toBe(true);
  });

  it('write sets next boot only; a reset makes it current; defaults stay', async () => {
    const h = makeHarness();
    await config.write(h.ctx, [
      { name: 'num_of_vfs', value: 32 },
      { name: 'sriov_en', value: true },
      { name: 'cqe_compression', value: 'aggressive' },
      { name: 'link_type_p1', value: 'ib' },
    ]);
    const writes = h.sent.filter((r) => r.name === 'ACCESS_REG_WRITE');
    expect(writes).toHaveLength(3); // three TLVs: GLOBAL_PCI_CONF (2 params), SW_OFFLOAD, VPI port 1
    expect(writes.every((r) => r.rpcClass === 'configure' && r.scope === Scope.CONFIGURATION)).toBe(true);
    let s = await config.read(h.ctx, ['num_of_vfs', 'cqe_compression', 'link_type_p1', 'ip_over_vxlan_port']);
    expect(byName(s, 'num_of_vfs')).toEqual({ name: 'num_of_vfs', default: 8, current: 8, nextBoot: 32 });
    expect(byName(s, 'cqe_compression')).toMatchObject({ current: 'balanced', nextBoot: 'aggressive' });
    expect(byName(s, 'link_type_p1')).toMatchObject({ current: 'eth', nextBoot: 'ib' });
    // the untouched field of the same TLV kept its value (read-modify-write)
    expect(byName(s, 'ip_over_vxlan_port')).toMatchObject({ current: 4789, nextBoot: 4789 });

    await reset.reset(h.ctx, 'fw');
    s = await config.read(h.ctx, ['num_of_vfs', 'cqe_compression', 'link_type_p1']);
    expect(byName(s, 'num_of_vfs')).toEqual({ name: 'num_of_vfs', default: 8, current: 32, nextBoot: 32 });
    expect(byName(s, 'cqe_compression')).toMatchObject({ current: 'aggressive', default: 'balanced' });
    expect(byName(s, 'link_type_p1')).toMatchObject({ current: 'ib' });
    // the sim state is plain JSON and survives a round trip
    expect(JSON.parse(JSON.stringify(h.state))).toEqual(h.state);
  });

  it('the firmware refuses out-of-range values and unknown parameters are usage errors', async () => {
    const h = makeHarness();
    await expect(config.write(h.ctx, [{ name: 'num_of_vfs', value: 500 }])).rejects.toMatchObject({ code: 'ACCELCTL_E_DEVICE_STATUS' });
    await expect(config.read(h.ctx, ['nope'])).rejects.toMatchObject({ code: 'ACCELCTL_E_USAGE' });
    expect(byName(await config.read(h.ctx, ['num_of_vfs']), 'num_of_vfs').nextBoot).toBe(8);
  });

  it('MNVDA golden bytes: nv_param.c header layout (type class 0, index 0x80, length 12, access_mode current)', () => {
    const reg = encodeMnvda(GLOBAL_PCI_CONF, ACCESS_MODE.CURRENT);
    expect(reg.length).toBe(268); // MLX5_ST_SZ_BYTES(mnvda_reg) = 12 + 64 dwords
    // dword0: access_mode=1 at bits 8-9 → 0x00400000; length 12 in bits 23..31 → 0x0c
    // dword1: type_class 0, parameter_index 0x80
    expect(toHexStr(reg.subarray(0, 12))).toBe('0040000c' + '00000080' + '00000000');
    const port = encodeMnvda(VPI_LINK_P1, ACCESS_MODE.DEFAULT);
    // access_mode=2 → 0x00800000, length 4; class 1, port 1, index 0x12
    expect(toHexStr(port.subarray(0, 8))).toBe('00800004' + '01010012');
  });
});

describe('reset: MFRL', () => {
  it('levels, classes and unknown levels', async () => {
    const h = makeHarness();
    expect(reset.levels.map((l) => l.name)).toEqual(['fw', 'fw-net-port-alive']);
    expect(reset.rpcClass).toBe('configure');
    await expect(reset.reset(h.ctx, 'warm')).rejects.toMatchObject({ code: 'ACCELCTL_E_USAGE' });
    expect(h.sent).toHaveLength(0);
    h.clock.now += 50_000;
    await reset.reset(h.ctx, 'fw-net-port-alive');
    const write = h.sent.find((r) => r.name === 'ACCESS_REG_WRITE')!;
    // access_register_in: register_id 0x9028; mfrl dword1 = start(1)<<29 | rst_type_sel(1)<<24 | level3
    expect(toHexStr(write.request.subarray(8, 12))).toBe('00009028');
    expect(toHexStr(write.request.subarray(16, 24))).toBe('00000000' + '21000008');
    expect(h.state.boot_ms).toBe(h.clock.now); // uptime restarted
  });
});

describe('firmware: MCQS/MCQI/MCC/MCDA into the inactive bank', () => {
  it('show: fixed ids and running = stored before any flash', async () => {
    const h = makeHarness();
    const v = await firmware.show(h.ctx);
    expect(v.fixed).toMatchObject({ psid: 'MT_0000000834', 'board.id': 'MT_0000000834' });
    expect(v.running).toEqual({ 'fw.version': '28.39.1002' });
    expect(v.stored).toEqual(v.running);
    expect(v.pendingActivation).toBe(false);
    expect(h.sent.every((r) => r.rpcClass === 'inspect')).toBe(true);
  });

  it('flash → stored ≠ running → activate → running, with progress per 4 KiB chunk', async () => {
    const h = makeHarness();
    const img = image('28.40.1000');
    const info = firmware.inspectImage(img);
    expect(info).toMatchObject({ format: 'accelctl-mlx5-fw', version: '28.40.1000', target: 'MT_0000000834', components: ['boot_img'] });
    await firmware.checkTarget(h.ctx, info);
    const events: { phase: string; done: number; total: number }[] = [];
    const result = await firmware.flash(h.ctx, img, { progress: (p) => events.push(p) });
    expect(result.verified).toBe(true);
    expect(result.activation).toContain('accelctl fw activate');
    const writes = events.filter((e) => e.phase === 'write');
    expect(writes.length).toBe(Math.ceil((img.length - HEADER_SIZE - 16) / 4096));
    expect(writes.at(-1)!.done).toBe(writes.at(-1)!.total);
    expect(events[0]!.phase).toBe('prepare');
    expect(events.at(-1)!.phase).toBe('done');
    // every MCDA is a configure ACCESS_REG write
    const mcda = h.sent.filter((r) => r.request[10] === 0x90 && r.request[11] === 0x63);
    expect(mcda).toHaveLength(writes.length);
    expect(mcda.every((r) => r.rpcClass === 'configure' && r.scope === Scope.CONFIGURATION)).toBe(true);

    let v = await firmware.show(h.ctx);
    expect(v.running['fw.version']).toBe('28.39.1002');
    expect(v.stored['fw.version']).toBe('28.40.1000');
    expect(v.pendingActivation).toBe(true);
    const bankBefore = h.state.flash!.active;

    await firmware.activate(h.ctx);
    v = await firmware.show(h.ctx);
    expect(v.running['fw.version']).toBe('28.40.1000');
    expect(v.stored['fw.version']).toBe('28.40.1000');
    expect(v.pendingActivation).toBe(false);
    expect(h.state.flash!.active).toBe(1 - bankBefore);
    await expect(firmware.activate(h.ctx)).rejects.toMatchObject({ code: 'ACCELCTL_E_USAGE' });
  });

  it('power loss mid-flash: old image runs, stored bank incomplete, the next flash succeeds', async () => {
    const h = makeHarness();
    h.power.lossAfter = 3 * 4096 + 100; // dies during the 4th chunk
    const img = image('28.41.2000');
    await expect(firmware.flash(h.ctx, img, { progress: () => undefined })).rejects.toMatchObject({ code: 'ACCELCTL_E_IO' });
    const flash = h.state.flash!;
    expect(flash.banks[1 - flash.active]).toMatchObject({ complete: false });
    expect(flash.pending).toBe(false);
    expect(h.state.fsm!.state).toBe(0); // the power cycle left the update FSM idle
    let v = await firmware.show(h.ctx);
    expect(v.running['fw.version']).toBe('28.39.1002');
    expect(v.pendingActivation).toBe(false);
    // a reset now boots the old image again: the incomplete bank never runs
    await reset.reset(h.ctx, 'fw');
    expect((await firmware.show(h.ctx)).running['fw.version']).toBe('28.39.1002');

    const again = await firmware.flash(h.ctx, img, { progress: () => undefined });
    expect(again.verified).toBe(true);
    v = await firmware.show(h.ctx);
    expect(v.stored['fw.version']).toBe('28.41.2000');
  });

  it('a flash killed mid-way (handle left locked) is taken over once the handle is stale', async () => {
    const h = makeHarness();
    const img = image('28.42.0001');
    // Simulate the dead process: stop it after two MCDA writes by throwing from progress.
    let chunks = 0;
    await expect(
      firmware.flash(h.ctx, img, {
        progress: (p) => {
          if (p.phase === 'write' && ++chunks === 2) throw new Error('killed');
        },
      }),
    ).rejects.toThrow('killed');
    // (the plugin's own cleanup cancels and releases; emulate a hard kill by re-locking the FSM)
    const fsm = h.state.fsm!;
    Object.assign(fsm, { state: 3, handle: 0x777, component_size: 1024, last_cmd_ms: h.clock.now });
    h.clock.now += 5_000;
    const result = await firmware.flash(h.ctx, img, { progress: () => undefined });
    expect(result.verified).toBe(true);
  });

  it('refuses wrong-target, corrupt and truncated images before any RPC', async () => {
    const h = makeHarness();
    const other = image('28.40.1000', { target: 'MT_0000000999' });
    const info = firmware.inspectImage(other);
    await expect(firmware.checkTarget(h.ctx, info)).rejects.toMatchObject({ code: 'ACCELCTL_E_BAD_IMAGE' });
    expect(h.sent.every((r) => r.rpcClass === 'inspect')).toBe(true);
    const sentBefore = h.sent.length;
    const good = image('28.40.1000');
    for (const bad of [image('28.40.1000', { corrupt: true }), good.subarray(0, good.length - 4), good.subarray(0, 10), new Uint8Array(100)]) {
      expect(() => firmware.inspectImage(bad)).toThrow(expect.objectContaining({ code: 'ACCELCTL_E_BAD_IMAGE' }));
      await expect(firmware.flash(h.ctx, bad, { progress: () => undefined })).rejects.toMatchObject({ code: 'ACCELCTL_E_BAD_IMAGE' });
    }
    expect(h.sent.length).toBe(sentBefore);
  });

  it('the firmware itself rejects a wrong-PSID image at VERIFY (mlxfw "component not applicable")', async () => {
    const h = makeHarness();
    const other = image('28.40.1000', { target: 'MT_0000000999' });
    await expect(firmware.flash(h.ctx, other, { progress: () => undefined })).rejects.toMatchObject({
      code: 'ACCELCTL_E_DEVICE_STATUS',
      message: expect.stringContaining('component not applicable'),
    });
    const reporters = await health.reporters(h.ctx);
    expect(byName(reporters, 'fw_update').state).toBe('error');
    expect((await firmware.show(h.ctx)).running['fw.version']).toBe('28.39.1002');
  });

  it('image format: golden header fields and CRC-32 check value', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    const img = image('28.40.1000', { size: 1024 });
    expect(Buffer.from(img.subarray(0, 16)).toString('latin1')).toBe('ACCELCTL-MLX5-FW');
    expect(toHexStr(img.subarray(16, 24))).toBe('0001' + '0001' + '00000400');
    expect(toHexStr(img.subarray(40, 44))).toBe((parseFwVersion('28.40.1000')! >>> 0).toString(16).padStart(8, '0'));
    expect(toHexStr(img.subarray(40, 44))).toBe('1c2803e8');
    expect(() => buildImage({ version: 'x.y', target: 'MT_1' })).toThrow(expect.objectContaining({ code: 'ACCELCTL_E_USAGE' }));
  });

  it('fast-check: inspectImage on random, truncated and bit-flipped bytes throws only AccelError', () => {
    const good = image('28.40.1000', { size: 512 });
    const onlyAccel = (bytes: Uint8Array) => {
      try {
        firmware.inspectImage(bytes);
        return true;
      } catch (e) {
        return isAccelError(e);
      }
    };
    fc.assert(fc.property(fc.uint8Array({ maxLength: 600 }), onlyAccel), { seed: 4242, numRuns: 300 });
    fc.assert(fc.property(fc.nat(good.length), (n) => onlyAccel(good.subarray(0, n))), { seed: 4243, numRuns: 300 });
    fc.assert(
      fc.property(fc.nat(good.length - 1), fc.integer({ min: 1, max: 255 }), (at, x) => {
        const copy = good.slice();
        copy[at] = (copy[at] ?? 0) ^ x;
        // any single-byte change is caught: only AccelError, never accepted
        try {
          firmware.inspectImage(copy);
          return false;
        } catch (e) {
          return isAccelError(e);
        }
      }),
      { seed: 4244, numRuns: 300 },
    );
  });
});

describe('health and metrics', () => {
  it('healthy by default; health-error overheats the ASIC → thermal in error; fw-error → fw in error', async () => {
    const h = makeHarness();
    let r = await health.reporters(h.ctx);
    expect(r.map((x) => x.name)).toEqual(['fw', 'fw_update', 'thermal', 'link']);
    expect(r.every((x) => x.state === 'healthy' && x.errorCount === 0)).toBe(true);
    h.faults.push('health-error');
    r = await health.reporters(h.ctx);
    expect(byName(r, 'thermal')).toMatchObject({ state: 'error', errorCount: 1, lastError: { message: expect.stringContaining('108 °C') } });
    expect(byName(r, 'thermal').recommendedAction).toBeTruthy();
    h.faults.splice(0, h.faults.length, 'fw-error');
    r = await health.reporters(h.ctx);
    expect(byName(r, 'fw')).toMatchObject({ state: 'error', lastError: { message: expect.stringContaining('INT') } });
    expect(h.sent.every((x) => x.rpcClass === 'inspect')).toBe(true);
  });

  it('metrics move with the clock and use snake_case names with units', async () => {
    const h = makeHarness();
    const first = await metrics.collect(h.ctx);
    h.clock.now += 10_000;
    const second = await metrics.collect(h.ctx);
    const value = (list: typeof first, name: string) => byName(list, name).value;
    for (const m of first) expect(m.name).toMatch(/^[a-z][a-z0-9_]*(_celsius|_total|_seconds|_second|_up)$/);
    expect(value(second, 'rx_bytes_total') - value(first, 'rx_bytes_total')).toBe(2_400_000 * 1200 * 10);
    expect(value(second, 'uptime_seconds') - value(first, 'uptime_seconds')).toBe(10);
    expect(value(second, 'link_up')).toBe(1);
    expect(value(second, 'link_speed_bytes_per_second')).toBe(200e9 / 8);
    expect(value(first, 'temperature_celsius')).toBeGreaterThan(50);
    expect(byName(first, 'rx_bytes_total').type).toBe('counter');
    expect(h.sent.every((x) => x.rpcClass === 'inspect')).toBe(true);
  });
});

describe('every RPC the capabilities send classifies as the kernel decides', () => {
  it('class/scope per RPC agree with the simulated driver', async () => {
    const h = makeHarness();
    await config.read(h.ctx, []);
    await config.write(h.ctx, [{ name: 'keep_link_up_p1', value: true }]);
    await firmware.flash(h.ctx, image('28.40.1000'), { progress: () => undefined });
    await firmware.show(h.ctx);
    await reset.reset(h.ctx, 'fw');
    await health.reporters(h.ctx);
    await metrics.collect(h.ctx);
    const names = new Set(protocol.rpcKinds.map((k) => k.name));
    for (const sent of h.sent) {
      expect(names.has(sent.name)).toBe(true);
      const expected = sent.name === 'ACCESS_REG_WRITE' ? ['configure', Scope.CONFIGURATION] : sent.name === 'ACCESS_REG_READ' ? ['inspect', Scope.DEBUG_READ_ONLY] : ['inspect', Scope.CONFIGURATION];
      expect([sent.rpcClass, sent.scope]).toEqual(expected);
      expect(mlx5DriverCheck(sent.scope, sent.request, 4096)).toBeUndefined();
      if (sent.scope > Scope.CONFIGURATION) expect(mlx5DriverCheck(sent.scope - 1, sent.request, 4096)).toBe('EBADMSG');
    }
    for (const list of [config.rpcs.read, config.rpcs.write, reset.rpcs, firmware.rpcs.flash, firmware.rpcs.show, health.rpcs, metrics.rpcs]) {
      for (const n of list) expect(names.has(n)).toBe(true);
    }
  });
});
