/** bnxt capability blocks (config, reset, firmware, health, metrics) against the simulator. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Scope, isAccelError } from 'accelctl/sdk';
import plugin from '../../../plugins/bnxt/index';
import sim from '../../../plugins/bnxt/sim';
import { encodeNvmVariable, encodeNvmWrite } from '../../../plugins/bnxt/encode-nvm';
import { HWRM } from '../../../plugins/bnxt/hsi';
import { buildImageBytes, parseImage } from '../../../plugins/bnxt/image';
import { crc32 } from 'accelctl/sdk';
import { harness, nextInvocation } from './cap-harness';
import { freshState, hex } from './helpers';
import { resolveCommands } from '../../../src/core/plugins';

const commands = await resolveCommands(plugin);

const config = plugin.config!;
const reset = plugin.reset!;
const fw = plugin.firmware!;
const kinds = new Map(plugin.protocol.rpcKinds.map((k) => [k.name, k]));

const byName = <T extends { name: string }>(list: T[]): Record<string, T> => Object.fromEntries(list.map((x) => [x.name, x]));

describe('bnxt config (NVM_GET/SET_VARIABLE)', () => {
  it('offers at least six typed parameters with valid types and descriptions', async () => {
    const params = await config.params(harness(freshState()).ctx);
    expect(params.length).toBeGreaterThanOrEqual(6);
    const p = byName([...params]);
    expect(p.sriov_en!.type).toEqual({ kind: 'bool' });
    expect(p.num_of_vfs!.type).toEqual({ kind: 'int', min: 0, max: 128 });
    expect(p.msix_vec_per_pf_max!.type).toEqual({ kind: 'int', min: 1, max: 512 });
    expect(p.link_speed_d0!.type).toMatchObject({ kind: 'enum', values: ['auto', '1g', '10g', '25g', '40g', '50g', '100g'] });
    expect(p.nvm_cfg_ver!.readOnly).toBe(true);
    for (const param of params) {
      expect(param.name).toMatch(/^[a-z][a-z0-9_]*$/);
      expect(param.description.length).toBeGreaterThan(5);
      expect(['immediate', 'reset', 'reboot']).toContain(param.apply);
    }
  });

  it('reads defaults, current and next boot (nothing pending on a fresh device)', async () => {
    const h = harness(freshState());
    const states = byName(await config.read(h.ctx, []));
    expect(states.sriov_en).toEqual({ name: 'sriov_en', default: true, current: true, nextBoot: true });
    expect(states.num_of_vfs).toEqual({ name: 'num_of_vfs', default: 8, current: 8, nextBoot: 8 });
    expect(states.msix_vec_per_pf_max).toMatchObject({ default: 74, current: 74, nextBoot: 74 });
    expect(states.link_speed_d0).toMatchObject({ default: 'auto', current: 'auto', nextBoot: 'auto' });
    expect(states.wol_magic_pkt_en).toMatchObject({ default: false, current: false });
    // Only inspect RPCs, NVM_GET_VARIABLE at the configuration scope.
    expect(new Set(h.sent.map((s) => s.rpcClass))).toEqual(new Set(['inspect']));
    expect(h.sent.filter((s) => s.name === 'HWRM_NVM_GET_VARIABLE').every((s) => s.scope === Scope.CONFIGURATION)).toBe(true);
  });

  it('write sets next boot only; a chip reset makes it current', async () => {
    const h = harness(freshState());
    await config.write(h.ctx, [
      { name: 'num_of_vfs', value: 32 },
      { name: 'wol_magic_pkt_en', value: true },
      { name: 'link_speed_d0', value: '25g' },
      { name: 'lldp_agent_en', value: false },
    ]);
    expect(h.sent.filter((s) => s.name === 'HWRM_NVM_SET_VARIABLE')).toHaveLength(4);
    expect(h.sent.filter((s) => s.name === 'HWRM_NVM_SET_VARIABLE').every((s) => s.rpcClass === 'configure' && s.scope === Scope.CONFIGURATION)).toBe(true);
    nextInvocation(h);
    let s = byName(await config.read(h.ctx, ['num_of_vfs', 'wol_magic_pkt_en', 'link_speed_d0', 'lldp_agent_en']));
    expect(s.num_of_vfs).toMatchObject({ current: 8, nextBoot: 32, default: 8 });
    expect(s.wol_magic_pkt_en).toMatchObject({ current: false, nextBoot: true });
    expect(s.lldp_agent_en).toMatchObject({ current: true, nextBoot: false });
    expect(s.link_speed_d0).toMatchObject({ nextBoot: '25g' });
    // A function reset does not re-read NVM options.
    await reset.reset(h.ctx, 'function');
    nextInvocation(h);
    expect(byName(await config.read(h.ctx, ['num_of_vfs'])).num_of_vfs).toMatchObject({ current: 8, nextBoot: 32 });
    // The chip reset does.
    const sentBefore = h.sent.length;
    await reset.reset(h.ctx, 'chip');
    expect(h.sent.slice(sentBefore)).toEqual([{ name: 'HWRM_FW_RESET', scope: Scope.CONFIGURATION, rpcClass: 'configure' }]);
    nextInvocation(h);
    s = byName(await config.read(h.ctx, ['num_of_vfs', 'wol_magic_pkt_en', 'lldp_agent_en']));
    expect(s.num_of_vfs).toMatchObject({ current: 32, nextBoot: 32 });
    expect(s.wol_magic_pkt_en).toMatchObject({ current: true, nextBoot: true });
    expect(s.lldp_agent_en).toMatchObject({ current: false, nextBoot: false });
  });

  it('disabling SR-IOV shows in FUNC_QCAPS max_vfs after the reset', async () => {
    const h = harness(freshState());
    await config.write(h.ctx, [{ name: 'sriov_en', value: false }]);
    nextInvocation(h);
    expect(byName(await config.read(h.ctx, ['sriov_en'])).sriov_en).toMatchObject({ current: true, nextBoot: false });
    await reset.reset(h.ctx, 'chip');
    nextInvocation(h);
    expect(byName(await config.read(h.ctx, ['sriov_en', 'num_of_vfs']))).toMatchObject({ sriov_en: { current: false }, num_of_vfs: { current: 0, nextBoot: 8 } });
  });

  it('the state persists as JSON: a reloaded device keeps next-boot values', async () => {
    const h = harness(freshState());
    await config.write(h.ctx, [{ name: 'msix_vec_per_pf_max', value: 128 }]);
    const reloaded = harness(JSON.parse(JSON.stringify(h.state)));
    expect(byName(await config.read(reloaded.ctx, ['msix_vec_per_pf_max'])).msix_vec_per_pf_max).toMatchObject({ current: 74, nextBoot: 128 });
  });

  it('refuses read-only and unknown parameters, and firmware range errors', async () => {
    const h = harness(freshState());
    await expect(config.write(h.ctx, [{ name: 'nvm_cfg_ver', value: 3 }])).rejects.toMatchObject({ code: 'ACCELCTL_E_BAD_INPUT' });
    await expect(config.read(h.ctx, ['no_such'])).rejects.toMatchObject({ code: 'ACCELCTL_E_BAD_INPUT' });
    // 200 VFs fits the 8-bit option but the firmware limit is 128.
    await expect(config.write(h.ctx, [{ name: 'num_of_vfs', value: 200 }])).rejects.toMatchObject({ code: 'ACCELCTL_E_DEVICE_STATUS' });
    expect(h.state.config?.nvm).toEqual({});
  });

  it('encodes NVM_GET_VARIABLE as bnxt_hwrm_nvm_req() does (golden bytes, hsi.h hwrm_nvm_get_variable_input)', () => {
    // req_type 0xfff1, cmpl_ring 0xffff, seq 0, target 0xffff, resp_addr 0, dest_data_addr 0 (patched by the transport),
    // data_len 1 (bits), option_num 401 = 0x191, dimensions 0, index_0..3 0, flags 0x1 (FACTORY_DFLT), unused 0.
    expect(hex(encodeNvmVariable(HWRM.NVM_GET_VARIABLE, 401, 1, 0, 1))).toBe(
      'f1ffffff0000ffff' + '0000000000000000' + '0000000000000000' + '0100' + '9101' + '0000' + '0000' + '0000' + '0000' + '0000' + '01' + '00',
    );
    // Per-port option with index 1: dimensions 1.
    const req = encodeNvmVariable(HWRM.NVM_SET_VARIABLE, 152, 1, 1);
    expect(hex(req.subarray(24, 32))).toBe('0100' + '9800' + '0100' + '0100');
  });
});

describe('bnxt firmware (NVM_WRITE / NVM_MODIFY / NVM_VERIFY_UPDATE / FW_RESET)', () => {
  const image = (version = '230.0.170.0', extra: { corrupt?: boolean; target?: string; size?: number } = {}) =>
    sim.buildImage!({ version, ...extra }, freshState());

  it('show: running and stored from VER_GET / NVM_GET_DEV_INFO, nothing pending', async () => {
    const h = harness(freshState());
    const v = await fw.show(h.ctx);
    expect(v.running).toMatchObject({ fw: '230.0.160.0', 'fw.mgmt': '230.0.160.0', 'fw.mgmt.api': '1.10.3.133' });
    expect(v.stored).toMatchObject({ fw: '230.0.160.0', 'fw.mgmt': '230.0.160.0', 'fw.netctrl': '230.0.160.0', 'fw.psid': '1.0.21' });
    expect(v.fixed).toEqual({ 'asic.id': 'BCM57508 (0x1750)', 'asic.rev': 'B0' });
    expect(v).toMatchObject({ activeBank: 'primary', pendingActivation: false });
    expect(h.sent.every((s) => s.rpcClass === 'inspect')).toBe(true);
  });

  it('flash → stored ≠ running → activate → running, in 64 KiB chunks with progress', async () => {
    const h = harness(freshState());
    const img = image();
    expect(fw.inspectImage(img)).toMatchObject({ version: '230.0.170.0', target: 'BCM57508', components: ['fw'], size: 300_000 });
    await fw.checkTarget(h.ctx, fw.inspectImage(img));
    h.sent.length = 0;
    const progress: { phase: string; done: number }[] = [];
    const result = await fw.flash(h.ctx, img, { progress: (p) => progress.push({ phase: p.phase, done: p.done }) });
    expect(result.verified).toBe(true);
    expect(result.activation).toMatch(/accelctl fw activate/);
    expect(h.sent.map((s) => s.name)).toEqual(['HWRM_NVM_WRITE', 'HWRM_NVM_MODIFY', 'HWRM_NVM_MODIFY', 'HWRM_NVM_MODIFY', 'HWRM_NVM_MODIFY', 'HWRM_NVM_VERIFY_UPDATE']);
    expect(h.sent.slice(0, 5).every((s) => s.rpcClass === 'mutate-debug' && s.scope === Scope.DEBUG_WRITE)).toBe(true);
    expect(h.sent[5]).toMatchObject({ rpcClass: 'configure', scope: Scope.CONFIGURATION });
    expect(progress.filter((p) => p.phase === 'write').map((p) => p.done)).toEqual([65536, 131072, 196608, 262144, 300000]);
    expect(progress.at(-1)).toEqual({ phase: 'done', done: 300000 });
    let v = await fw.show(h.ctx);
    expect(v.running.fw).toBe('230.0.160.0');
    expect(v.stored.fw).toBe('230.0.170.0');
    expect(v.pendingActivation).toBe(true);
    await fw.activate(h.ctx);
    v = await fw.show(h.ctx);
    expect(v).toMatchObject({ running: { fw: '230.0.170.0', 'fw.mgmt': '230.0.170.0' }, stored: { fw: '230.0.170.0' }, activeBank: 'secondary', pendingActivation: false });
  });

  it('power loss mid-flash leaves the old image running, the other bank incomplete, and a second flash works', async () => {
    const h = harness(freshState());
    h.powerBudget = 100_000; // dies during the second chunk
    await expect(fw.flash(h.ctx, image(), { progress: () => undefined })).rejects.toMatchObject({ code: 'ACCELCTL_E_KERNEL_REFUSED' });
    expect(h.powerLosses).toBe(1);
    expect(h.state.banks).toMatchObject({ active: 0, pending: null, staging: null });
    expect(h.state.banks!.images[1]).toEqual({ state: 'incomplete', version: null });
    let v = await fw.show(h.ctx);
    expect(v).toMatchObject({ running: { fw: '230.0.160.0' }, stored: { fw: '230.0.160.0' }, pendingActivation: false, activeBank: 'primary' });
    // An activation now changes nothing: the incomplete bank never boots.
    await fw.activate(h.ctx);
    expect((await fw.show(h.ctx)).running.fw).toBe('230.0.160.0');
    await fw.flash(h.ctx, image(), { progress: () => undefined });
    await fw.activate(h.ctx);
    v = await fw.show(h.ctx);
    expect(v.running.fw).toBe('230.0.170.0');
  });

  it('a process killed mid-flash (no BATCH_LAST) fails verification later and leaves the running image', async () => {
    const h = harness(freshState());
    const img = image();
    // Drive the first two chunks by hand, as a killed accelctl would leave them.
    let calls = 0;
    const ctx = { ...h.ctx, rpcIndirect: async (...args: Parameters<typeof h.ctx.rpcIndirect>) => {
      if (++calls > 2) throw new Error('killed');
      return h.ctx.rpcIndirect(...args);
    } };
    await expect(fw.flash(ctx, img, { progress: () => undefined })).rejects.toThrow('killed');
    expect(h.state.banks!.staging).toMatchObject({ written: 131072 });
    expect((await fw.show(h.ctx)).running.fw).toBe('230.0.160.0');
    await fw.flash(h.ctx, img, { progress: () => undefined });
    expect((await fw.show(h.ctx)).stored.fw).toBe('230.0.170.0');
  });

  it('refuses corrupt, truncated, foreign and wrong-target images before any RPC', async () => {
    const h = harness(freshState());
    const good = image();
    expect(() => fw.inspectImage(image('230.0.170.0', { corrupt: true }))).toThrow(/CRC-32 mismatch/);
    expect(() => fw.inspectImage(good.subarray(0, 200_000))).toThrow(/truncated|describes/);
    expect(() => fw.inspectImage(good.subarray(0, 10))).toThrow(/shorter/);
    const foreign = good.slice();
    foreign[0] = 0x7f;
    expect(() => fw.inspectImage(foreign)).toThrow(/signature/);
    for (const bad of [image('230.0.170.0', { corrupt: true }), good.subarray(0, 1000), foreign]) {
      try {
        fw.inspectImage(bad);
      } catch (error) {
        expect(error).toMatchObject({ code: 'ACCELCTL_E_BAD_IMAGE' });
      }
    }
    expect(h.sent).toHaveLength(0);
    const other = image('230.0.170.0', { target: 'BCM57414' });
    const info = fw.inspectImage(other);
    expect(info.target).toBe('BCM57414');
    await expect(fw.checkTarget(h.ctx, info)).rejects.toMatchObject({ code: 'ACCELCTL_E_BAD_IMAGE' });
    expect(h.sent.map((s) => s.name)).toEqual(['HWRM_VER_GET']);
  });

  it('the device itself rejects a wrong-chip image at NVM_VERIFY_UPDATE, keeping the running one', async () => {
    const h = harness(freshState());
    await expect(fw.flash(h.ctx, image('230.0.170.0', { target: '0x16d7' }), { progress: () => undefined })).rejects.toMatchObject({ code: 'ACCELCTL_E_DEVICE_STATUS' });
    expect(h.state.banks!.images[1]!.state).toBe('invalid');
    expect((await fw.show(h.ctx)).pendingActivation).toBe(false);
  });

  it('image format: CRC-32 check value and header fields', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    const img = buildImageBytes({ version: '1.2.3.4', chipNum: 0x1750, payloadSize: 16 });
    expect(hex(img.subarray(0, 8))).toBe('42434d1a' + '00' + '03' + '0000');
    expect(parseImage(img)).toMatchObject({ version: '1.2.3.4', chipNum: 0x1750, payloadLength: 16, size: 60 });
  });

  it('the image builder refuses a version the image parser would refuse (sim fw-image made unflashable images)', () => {
    for (const version of ['99.1.1', '1.2.3.4.5', '256.0.0.1', 'v1.2.3.4', '']) {
      let code: string | undefined;
      try {
        buildImageBytes({ version, chipNum: 0x1750, payloadSize: 16 });
      } catch (error) {
        code = isAccelError(error) ? error.code : String(error);
      }
      expect(code, version).toBe('ACCELCTL_E_BAD_INPUT');
    }
    const img = buildImageBytes({ version: '255.0.9.1', chipNum: 0x1750, payloadSize: 16 });
    expect(parseImage(img).version).toBe('255.0.9.1');
    expect([...img.subarray(24, 28)]).toEqual([9, 1, 0, 255]);
  });

  it('fuzz: inspectImage throws only ACCELCTL_E_BAD_IMAGE on random bytes and mutated images', () => {
    const good = buildImageBytes({ version: '230.0.170.0', chipNum: 0x1750, payloadSize: 200 });
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 400 }),
          fc.tuple(fc.nat({ max: good.length - 1 }), fc.integer({ min: 0, max: 255 })).map(([at, value]) => {
            const copy = good.slice();
            copy[at] = value;
            return copy;
          }),
          fc.nat({ max: good.length }).map((n) => good.slice(0, n)),
        ),
        (bytes) => {
          try {
            fw.inspectImage(bytes);
          } catch (error) {
            expect(isAccelError(error)).toBe(true);
            expect((error as { code: string }).code).toBe('ACCELCTL_E_BAD_IMAGE');
          }
        },
      ),
      { seed: 4242, numRuns: 300 },
    );
  });
});

describe('bnxt health and metrics', () => {
  it('reporters are healthy, pending configuration is not an error, health-error turns fw to error', async () => {
    const h = harness(freshState());
    expect(await plugin.health!.reporters(h.ctx)).toEqual([
      { name: 'fw', state: 'healthy', errorCount: 0 },
      { name: 'thermal', state: 'healthy', errorCount: 0 },
    ]);
    await config.write(h.ctx, [{ name: 'num_of_vfs', value: 16 }]);
    expect((await plugin.health!.reporters(h.ctx))[0]!.state).toBe('healthy');
    h.faults.push('health-error');
    const [fwReporter] = await plugin.health!.reporters(h.ctx);
    expect(fwReporter).toMatchObject({ name: 'fw', state: 'error', errorCount: 1, lastError: { message: expect.stringContaining('crt_mismatch') } });
    expect(fwReporter!.recommendedAction).toMatch(/re-flash/);
  });

  it('metrics: temperatures, link and counters that move with time, inspect only', async () => {
    const h = harness(freshState());
    const first = await plugin.metrics!.collect(h.ctx);
    h.now += 60_000;
    const later = await plugin.metrics!.collect(h.ctx);
    const value = (list: typeof first, name: string, label?: string) => list.find((m) => m.name === name && (label === undefined || m.labels?.sensor === label))?.value;
    expect(value(first, 'temperature_celsius', 'chip')).toBeGreaterThan(40);
    expect(value(first, 'link_up')).toBe(1);
    expect(value(first, 'link_speed_bytes_per_second')).toBe(100e9 / 8);
    for (const name of ['rx_bytes_total', 'tx_bytes_total', 'rx_packets_total', 'tx_packets_total']) {
      expect(value(later, name)! - value(first, name)!).toBeGreaterThan(0);
    }
    for (const m of first) {
      expect(m.name).toMatch(/^[a-z][a-z0-9_]*_(celsius|total|bytes_per_second|up)$/);
      expect(m.type === 'counter').toBe(m.name.endsWith('_total'));
    }
    expect(new Set(h.sent.map((s) => s.rpcClass))).toEqual(new Set(['inspect']));
    expect(new Set(h.sent.map((s) => s.name))).toEqual(new Set(plugin.metrics!.rpcs));
  });

  it('fw-error fault: errorReply carries HWRM_ERR_CODE_HWRM_ERROR', async () => {
    const h = harness(freshState());
    h.faults.push('fw-error');
    await expect(fw.show(h.ctx)).rejects.toMatchObject({ code: 'ACCELCTL_E_DEVICE_STATUS', message: 'HWRM_ERR_CODE_HWRM_ERROR' });
  });
});

describe('bnxt capability RPCs and dump', () => {
  it('every RPC a capability names is a known kind with the class the block declares', () => {
    const names = [
      ...config.rpcs.read, ...config.rpcs.write, ...reset.rpcs, ...fw.rpcs.show, ...fw.rpcs.flash, ...fw.rpcs.activate,
      ...plugin.health!.rpcs, ...plugin.metrics!.rpcs,
    ];
    for (const name of names) expect(kinds.has(name), name).toBe(true);
    expect(config.rpcs.read.map((n) => kinds.get(n)!.rpcClass).every((c) => c === 'inspect')).toBe(true);
    expect(kinds.get('HWRM_NVM_SET_VARIABLE')).toMatchObject({ rpcClass: config.writeClass, scope: Scope.CONFIGURATION });
    expect(reset.rpcs.map((n) => kinds.get(n)!.rpcClass)).toEqual(['configure', 'configure']);
    expect(kinds.get('HWRM_NVM_WRITE')).toMatchObject({ rpcClass: fw.flashClass, scope: Scope.DEBUG_WRITE });
    for (const n of [...plugin.health!.rpcs, ...plugin.metrics!.rpcs, ...fw.rpcs.show]) expect(kinds.get(n)!.rpcClass).toBe('inspect');
  });

  it('the kernel-side check agrees: capability requests pass at their scope and fail one below', async () => {
    const h = harness(freshState());
    await config.read(h.ctx, ['wol_magic_pkt_en']);
    await config.write(h.ctx, [{ name: 'wol_magic_pkt_en', value: true }]);
    await fw.flash(h.ctx, sim.buildImage!({ version: '230.0.170.0', size: 70_000 }), { progress: () => undefined });
    await plugin.metrics!.collect(h.ctx);
    expect(new Set(h.sent.map((s) => s.name))).toEqual(
      new Set(['HWRM_FUNC_QCFG', 'HWRM_FUNC_QCAPS', 'HWRM_NVM_GET_VARIABLE', 'HWRM_NVM_SET_VARIABLE', 'HWRM_NVM_WRITE', 'HWRM_NVM_MODIFY', 'HWRM_NVM_VERIFY_UPDATE', 'HWRM_TEMP_MONITOR_QUERY', 'HWRM_PORT_PHY_QCFG', 'HWRM_FUNC_QSTATS']),
    );
    // CONFIGURATION is the lowest fwctl scope: NVM_SET_VARIABLE passes at all of them.
    const set = encodeNvmVariable(HWRM.NVM_SET_VARIABLE, 152, 1, 0);
    expect(sim.driverCheck(Scope.CONFIGURATION, set, 16, freshState())).toBeUndefined();
    // NVM_WRITE (flash) needs DEBUG_WRITE: EPERM below it.
    const write = encodeNvmWrite(3, 4096, 8192, 0);
    expect(sim.driverCheck(Scope.CONFIGURATION, write, 16, freshState())).toBe('EPERM');
    expect(sim.driverCheck(Scope.DEBUG_READ_ONLY, write, 16, freshState())).toBe('EPERM');
    expect(sim.driverCheck(Scope.DEBUG_WRITE, write, 16, freshState())).toBeUndefined();
    // A chunk beyond FWCTL_BNXT_MAX_DMABUF is refused by the driver (EINVAL) and by the classifier.
    const huge = encodeNvmWrite(3, 0x10001, 0x20000, 0);
    expect(sim.driverCheck(Scope.DEBUG_WRITE, huge, 16, freshState())).toBe('EINVAL');
    expect(plugin.protocol.classify(huge, { inspect: async () => new Uint8Array(), inspectIndirect: async () => ({ reply: new Uint8Array(), buffers: [] }), cache: new Map() })).toBeUndefined();
  });

  it('dump runs inspect commands only, caps with this function', () => {
    const byCmd = Object.fromEntries(commands.map((c) => [c.name, c]));
    expect(byCmd['func-reset']!.dump).toBe(false);
    expect(byCmd['factory-defaults']!.dump).toBe(false);
    expect(byCmd.caps!.dump).toEqual([{ options: { fid: 0xffff } }]);
  });
});
