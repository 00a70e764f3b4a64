/**
 * The three commands run in-process against the simulator through a
 * CommandContext that classifies, applies the driver check and runs the
 * firmware (fake-device.ts): the e2e path minus the CLI.
 */
import { describe, expect, it } from 'vitest';
import { isAccelError, Scope } from 'accelctl/sdk';
import { call, shortHex } from '../../../plugins/pds/commands/call';
import { endpoints } from '../../../plugins/pds/commands/endpoints';
import { operations } from '../../../plugins/pds/commands/operations';
import sim from '../../../plugins/pds/sim';
import { fakeContext } from './fake-device';

const fresh = () => sim.create({ index: 0, serial: 'FLM0000000001' });
type CallOptions = { payload?: string; outLen?: number };
const runCall = (ctx: ReturnType<typeof fakeContext>, args: string[], options: CallOptions = {}) =>
  call.run(ctx, { args, options: { payload: options.payload, outLen: options.outLen } });

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (isAccelError(error)) return error.code;
    throw error;
  }
  return 'resolved';
}

describe('pds endpoints', () => {
  it('lists the catalogue endpoints and the device uctx_caps, sending no RPC', async () => {
    const ctx = fakeContext(fresh());
    const result = await endpoints.run(ctx, { args: [], options: {} });
    expect(result.endpoints.map((ep) => [ep.id, ep.name, ep.operations])).toEqual([[1, 'system', 8], [2, 'port', 5], [3, 'diag', 4], [4, 'config', 2]]);
    expect(result.uctx_caps).toBe(1);
    expect(ctx.sent).toEqual([]);
    expect(endpoints.render!(result)[1]).toMatchObject({ kind: 'table', columns: ['ID', 'Name', 'Operations', 'Summary'] });
  });
});

describe('pds operations', () => {
  it('lists attribute, class and scope per operation', async () => {
    const result = await operations.run(fakeContext(fresh()), { args: ['port'], options: {} });
    expect(result.operations.map((op) => [op.id, op.name, op.attribute, op.class, op.scope])).toEqual([
      ['0x00010101', 'get_stats', 'READ', 'inspect', 'configuration'],
      ['0x00000102', 'get_config', 'READ', 'inspect', 'configuration'],
      ['0x00000103', 'set_mtu', 'WRITE', 'configure', 'configuration'],
      ['0x00000104', 'read_serdes', 'DEBUG_READ', 'inspect', 'debug_read_only'],
      ['0x00000105', 'reset_serdes', 'DEBUG_WRITE', 'mutate-debug', 'debug_write'],
    ]);
    const diag = await operations.run(fakeContext(fresh()), { args: ['3'], options: {} });
    expect(diag.operations.find((op) => op.name === 'write_csr')).toMatchObject({ attribute: 'OTHER(0x20)', class: 'mutate-debug', scope: 'debug_write_full' });
  });

  it('rejects an unknown endpoint as a usage error', async () => {
    expect(await codeOf(operations.run(fakeContext(fresh()), { args: ['nope'], options: {} }))).toBe('ACCELCTL_E_USAGE');
    expect(await codeOf(operations.run(fakeContext(fresh()), { args: ['9'], options: {} }))).toBe('ACCELCTL_E_USAGE');
  });
});

describe('pds call', () => {
  it('system get_ident: inspect at CONFIGURATION, decoded payload', async () => {
    const ctx = fakeContext(fresh());
    const result = await runCall(ctx, ['system', 'get_ident']);
    expect(result).toMatchObject({ endpoint: 1, operation: '0x00000001', class: 'inspect', scope: 'configuration', retval: 0, status: 'PDS_RC_SUCCESS', out_len: 64 });
    expect(result.decoded).toMatchObject({ fw_version: '1.68.0-E-56', serial: 'FLM0000000001' });
    expect(ctx.sent).toEqual([{ scope: Scope.CONFIGURATION, name: 'system.get_ident', rpcClass: 'inspect' }]);
  });

  it('port get_stats by number with version 0 decodes the v0 layout', async () => {
    const result = await runCall(fakeContext(fresh()), ['2', '0x0101'], { payload: '00000000' });
    expect(result.version).toBe(0);
    expect(result.out_len).toBe(32);
    expect(Object.keys(result.decoded!)).toEqual(['rx_packets', 'tx_packets', 'rx_bytes', 'tx_bytes']);
  });

  it('set_mtu is configure and changes the device', async () => {
    const state = fresh();
    const result = await runCall(fakeContext(state), ['port', 'set_mtu'], { payload: '01000000 dc050000' });
    expect(result).toMatchObject({ class: 'configure', scope: 'configuration', out_len: 0, payload_hex: '' });
    expect(state.ports[1]!.mtu).toBe(1500);
  });

  it('write_csr is mutate-debug at DEBUG_WRITE_FULL', async () => {
    const ctx = fakeContext(fresh());
    await runCall(ctx, ['diag', 'write_csr'], { payload: '1000000000000000 efbeadde 00000000' });
    expect(ctx.sent[0]).toMatchObject({ scope: Scope.DEBUG_WRITE_FULL, rpcClass: 'mutate-debug' });
  });

  it('reports a firmware error as ACCELCTL_E_DEVICE_STATUS with the status name', async () => {
    try {
      await runCall(fakeContext(fresh()), ['port', 'get_config'], { payload: '05000000' });
      expect.unreachable();
    } catch (error) {
      expect(isAccelError(error) && error.code).toBe('ACCELCTL_E_DEVICE_STATUS');
      expect((error as Error).message).toContain('PDS_RC_ENOENT');
    }
  });

  it('a buffer too small for a fixed answer is the firmware PDS_RC_ENOSPC', async () => {
    const ctx = fakeContext(fresh());
    const failed = runCall(ctx, ['system', 'get_ident'], { outLen: 8 });
    await expect(failed).rejects.toThrow(/PDS_RC_ENOSPC/);
  });

  it('short --out-len on a variable answer decodes what came back', async () => {
    const result = await runCall(fakeContext(fresh()), ['diag', 'read_log'], { payload: '00000000', outLen: 10 });
    expect(result.decoded).toEqual({ bytes: 10, lines: ['boot: firm'] });
  });

  it('refuses what the driver would refuse: unknown op number, newer version, oversize lengths', async () => {
    const ctx = fakeContext(fresh());
    expect(await codeOf(runCall(ctx, ['port', '0x0106']))).toBe('ACCELCTL_E_UNCLASSIFIED');
    expect(await codeOf(runCall(ctx, ['port', '0x00020101'], { payload: '00000000' }))).toBe('ACCELCTL_E_UNCLASSIFIED');
    expect(await codeOf(runCall(ctx, ['7', '1']))).toBe('ACCELCTL_E_UNCLASSIFIED');
    expect(await codeOf(runCall(ctx, ['system', 'get_ident'], { outLen: 4097 }))).toBe('ACCELCTL_E_UNCLASSIFIED');
    expect(ctx.sent).toEqual([]);
  });

  it('rejects bad names and bad hex as usage errors', async () => {
    const ctx = fakeContext(fresh());
    expect(await codeOf(runCall(ctx, ['port', 'nope']))).toBe('ACCELCTL_E_USAGE');
    expect(await codeOf(runCall(ctx, ['0x1ffffffff', '1']))).toBe('ACCELCTL_E_USAGE');
    expect(await codeOf(runCall(ctx, ['port', 'set_mtu'], { payload: 'zz' }))).toBe('ACCELCTL_E_BAD_INPUT');
  });

  it('renders decoded fields', async () => {
    const result = await runCall(fakeContext(fresh()), ['system', 'get_temps']);
    const views = call.render!(result);
    expect(views[1]).toMatchObject({ kind: 'fields', title: 'Decoded' });
  });
});

describe('shortHex (text rendering of out payloads)', () => {
  it('elides a long zero tail and keeps short ones', () => {
    expect(shortHex('')).toBe('(none)');
    expect(shortHex('0a0b' + '00'.repeat(40))).toBe('0a0b (+40 zero bytes)');
    expect(shortHex('00'.repeat(64))).toBe('00 (+64 zero bytes)');
    expect(shortHex('0a' + '00'.repeat(4))).toBe('0a00000000');
  });
});
