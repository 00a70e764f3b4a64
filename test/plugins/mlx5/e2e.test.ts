/**
 * End to end: bin/accelctl against a simulated fleet with one ConnectX-7.
 * Every mlx5 command in text and JSON, bad input (exit 2), device errors
 * (exit 1) and the policy gates (exit 4) of the configure / mutate-debug ones.
 * Needs the bundle (`npm run build`, done by `npm test`).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { BIN, freshSimDir, run, runJson } from '../../helpers/cli';

describe('mlx5 e2e (simulated ConnectX-7)', () => {
  let simDir: string;
  const cli = (...args: string[]) => run(args, { simDir });
  const json = <T = any>(...args: string[]) => runJson<T>(args, { simDir });

  beforeAll(async () => {
    simDir = freshSimDir();
    const init = await run(['sim', 'init', simDir, '--fleet', 'mlx5=1']);
    expect(init.code, init.stderr).toBe(0);
    expect(BIN).toMatch(/accelctl$/);
  });

  it('list identifies model and firmware', async () => {
    const { json: out, code } = await json('list');
    expect(code).toBe(0);
    expect(out.devices[0]).toMatchObject({ plugin: 'mlx5', model: 'ConnectX-7 (MT_0000000834)', firmware: '28.39.1002' });
  });

  it('info decodes fwctl_info_mlx5', async () => {
    const { json: out } = await json('info', 'fwctl0');
    expect(JSON.stringify(out)).toContain('TOOLS_RESOURCES');
  });

  it('caps: text and JSON, current and --max', async () => {
    const text = await cli('mlx5', 'caps', 'fwctl0');
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/log_max_qp\s+18/);
    expect(text.stdout).toMatch(/port_type\s+ethernet/);
    const { json: cur } = await json('mlx5', 'caps', 'fwctl0');
    expect(cur).toMatchObject({ schema_version: 1, device: 'fwctl0', mode: 'current', op_mod: 1, caps: { log_max_qp: 18, num_ports: 1, max_tc: 8 } });
    const { json: max } = await json('mlx5', 'caps', 'fwctl0', '--max');
    expect(max).toMatchObject({ mode: 'max', op_mod: 0, caps: { log_max_current_uc_list: 16 } });
  });

  it('adapter: text and JSON', async () => {
    const text = await cli('mlx5', 'adapter', 'fwctl0');
    expect(text.stdout).toMatch(/psid\s+MT_0000000834/);
    const { json: out } = await json('mlx5', 'adapter', 'fwctl0');
    expect(out).toMatchObject({ ieee_vendor_id: '0x0002c9', vsd_vendor_id: '0x15b3', psid: 'MT_0000000834' });
  });

  it('reg: decoded registers, raw hex, unknown names and device errors', async () => {
    const ptys = await json('mlx5', 'reg', 'fwctl0', 'PTYS', '--port', '1');
    expect(ptys.json).toMatchObject({ register: 'PTYS', fields: { oper_speed_mbps: 200000 } });
    const mgir = await cli('mlx5', 'reg', 'fwctl0', 'mgir');
    expect(mgir.stdout).toMatch(/fw_version\s+28\.39\.1002/);
    const raw = await cli('mlx5', 'reg', 'fwctl0', '0x9061', '--size', '48'); // MCQI: modelled, not decoded by `reg`
    expect(raw.code).toBe(0);
    expect(raw.stdout).toContain('not decoded');
    // MCQI info_size (bytes 12..15) = 20, the size of mcqi_cap
    expect(raw.stdout).toMatch(/0x0000\s+00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 14/);
    const unknown = await cli('mlx5', 'reg', 'fwctl0', 'NOPE');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('PTYS (0x5004)');
    const badSize = await cli('mlx5', 'reg', 'fwctl0', '0x900a', '--size', '3');
    expect(badSize.code).toBe(2);
    const deviceError = await cli('mlx5', 'reg', 'fwctl0', '0x9014', '-o', 'json'); // MCIA: not modelled
    expect(deviceError.code).toBe(1);
    expect(deviceError.stderr).toContain('ACCELCTL_E_DEVICE_STATUS');
  });

  it('port-state: refused without --yes (exit 4, nothing changes), applied with it', async () => {
    const refused = await cli('mlx5', 'port-state', 'fwctl0', '--port', '1', 'down');
    expect(refused.code).toBe(4);
    expect((await json('mlx5', 'reg', 'fwctl0', 'PAOS')).json.fields).toMatchObject({ admin_status: 'up', oper_status: 'up' });
    const done = await json('mlx5', 'port-state', 'fwctl0', '--port', '1', 'down', '--yes');
    expect(done.code).toBe(0);
    expect(done.json).toMatchObject({ port: 1, admin_status: 'down', oper_status: 'down' });
    expect((await json('mlx5', 'reg', 'fwctl0', 'PAOS')).json.fields).toMatchObject({ admin_status: 'down', oper_status: 'down' });
    const up = await cli('mlx5', 'port-state', 'fwctl0', 'up', '--yes');
    expect(up.stdout).toMatch(/oper_status\s+up/);
    expect((await cli('mlx5', 'port-state', 'fwctl0', 'sideways', '--yes')).code).toBe(2);
  });

  it('diagnostic counters: gate, enable, params, samples', async () => {
    const before = await cli('mlx5', 'diag-counters', 'fwctl0', '-o', 'json');
    expect(before.code).toBe(1); // sampling not enabled: BAD_SYS_STATE
    expect(JSON.parse(before.stderr).error.code).toBe('ACCELCTL_E_DEVICE_STATUS');
    const gated = await cli('mlx5', 'diag-enable', 'fwctl0', '--counter', '0x401', '0x2006');
    expect(gated.code).toBe(4);
    expect((await json('mlx5', 'diag-params', 'fwctl0')).json).toMatchObject({ enable: false });
    const enabled = await json('mlx5', 'diag-enable', 'fwctl0', '--counter', '0x401', '0x2006', '--allow-mutate');
    expect(enabled.code, enabled.stderr).toBe(0);
    expect(enabled.json).toMatchObject({ enable: true, counters: ['0x0401', '0x2006'] });
    const params = await cli('mlx5', 'diag-params', 'fwctl0');
    expect(params.stdout).toMatch(/enable\s+yes/);
    expect(params.stdout).toContain('TX Packets');
    const samples = await json('mlx5', 'diag-counters', 'fwctl0');
    expect(samples.json.samples).toHaveLength(2);
    expect(samples.json.samples[1]).toMatchObject({ counter_id: '0x2006', name: 'TX Packets' });
    const text = await cli('mlx5', 'diag-counters', 'fwctl0', '--samples', '4');
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('0x0401');
    expect((await cli('mlx5', 'diag-enable', 'fwctl0', '--allow-mutate')).code).toBe(2); // no counters
  });

  it('dry run shows class and minimum scope', async () => {
    // --dry-run lets reads through and stops at the first RPC that changes something.
    const dry = await cli('--dry-run', 'mlx5', 'port-state', 'fwctl0', 'down');
    expect(dry.stdout).toMatch(/scope\s+configuration/);
    expect(dry.stdout).toMatch(/class\s+configure/);
  });
});
