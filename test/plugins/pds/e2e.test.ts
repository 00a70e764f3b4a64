/**
 * End to end: bin/accelctl against a fleet with one simulated DSC.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { freshSimDir, run, runJson } from '../../helpers/cli';

let fleet = '';

beforeAll(async () => {
  fleet = freshSimDir();
  const init = await run(['sim', 'init', fleet, '--fleet', 'pds=1']);
  expect(init.code, init.stderr).toBe(0);
});

describe('accelctl pds (e2e)', () => {
  it('endpoints: text and JSON', async () => {
    const text = await run(['pds', 'endpoints', 'fwctl0'], { simDir: fleet });
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/system/);
    const { json, code } = await runJson(['pds', 'endpoints', 'fwctl0'], { simDir: fleet });
    expect(code).toBe(0);
    expect(json.schema_version).toBe(1);
    expect(json.endpoints.map((e: { name: string }) => e.name)).toEqual(['system', 'port', 'diag', 'config']);
    expect(json.uctx_caps).toBe(1);
  });

  it('operations: attribute, class and scope', async () => {
    const { json, code } = await runJson(['pds', 'operations', 'fwctl0', 'diag'], { simDir: fleet });
    expect(code).toBe(0);
    expect(json.operations.find((o: { name: string }) => o.name === 'write_csr')).toMatchObject({ class: 'mutate-debug', scope: 'debug_write_full' });
    const text = await run(['pds', 'operations', 'fwctl0', 'port'], { simDir: fleet });
    expect(text.stdout).toMatch(/DEBUG_WRITE/);
  });

  it('call: inspect runs ungated and decodes', async () => {
    const { json, code } = await runJson(['pds', 'call', 'fwctl0', 'port', 'get_stats', '--payload', '00000000'], { simDir: fleet });
    expect(code).toBe(0);
    expect(json).toMatchObject({ class: 'inspect', status: 'PDS_RC_SUCCESS', out_len: 48 });
    expect(json.decoded.rx_errors).toBeDefined();
    const text = await run(['pds', 'call', 'fwctl0', 'system', 'get_ident'], { simDir: fleet });
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/1\.68\.0-E-56/);
  });

  it('call: configure needs --yes (exit 4), then changes the device', async () => {
    const refused = await run(['pds', 'call', 'fwctl0', 'port', 'set_mtu', '--payload', '00000000dc050000', '-o', 'json'], { simDir: fleet });
    expect(refused.code).toBe(4);
    const done = await run(['pds', 'call', 'fwctl0', 'port', 'set_mtu', '--payload', '00000000dc050000', '--yes'], { simDir: fleet });
    expect(done.code).toBe(0);
    const { json } = await runJson(['pds', 'call', 'fwctl0', 'port', 'get_config', '--payload', '00000000'], { simDir: fleet });
    expect(json.decoded.mtu).toBe(1500);
  });

  it('call: mutate-debug needs --allow-mutate (exit 4)', async () => {
    const refused = await run(['pds', 'call', 'fwctl0', 'port', 'reset_serdes', '--payload', '0000000000000000', '--yes'], { simDir: fleet });
    expect(refused.code).toBe(4);
  });

  it('call: firmware error exits 1 with the status name; bad input exits 2; unknown op is refused (4)', async () => {
    const fwError = await run(['pds', 'call', 'fwctl0', 'port', 'get_config', '--payload', '09000000'], { simDir: fleet });
    expect(fwError.code).toBe(1);
    expect(fwError.stderr).toMatch(/PDS_RC_ENOENT/);
    expect((await run(['pds', 'call', 'fwctl0', 'port', 'set_mtu', '--payload', 'xyz', '--yes'], { simDir: fleet })).code).toBe(2);
    expect((await run(['pds', 'call', 'fwctl0', 'port', 'nope'], { simDir: fleet })).code).toBe(2);
    expect((await run(['pds', 'call', 'fwctl0', 'port', '0x0199'], { simDir: fleet })).code).toBe(4);
  });
});
