/**
 * The pipeline is where safety lives: classification before sending, the
 * minimum scope, the gates of each class, dry-run, and the typed errors.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { DeviceEntry } from '../../src/core/discovery';
import { AccelError } from '../../src/core/errors';
import { DevicePipeline, DryRunStop, type PolicyOptions } from '../../src/core/pipeline';
import { Scope } from '../../src/core/scope';
import { readDeviceStats, updateDeviceState } from '../../src/sim/state-store';
import { FwctlErrno, type FwctlHandle } from '../../src/transport/types';
import demoPlugin, { DemoReply, req } from '../fixtures/demo-plugin';
import { demoFleet } from '../fixtures/demo-fleet';

const entry = (path: string): DeviceEntry => ({
  name: 'fwctl0',
  path,
  sysfsPath: '',
  pci: '0000:3b:00.0',
  memdev: undefined,
  vendorId: 0x1234,
  deviceId: 0x5678,
  driver: 'demo',
  serial: 'DEMO1',
  boardName: undefined,
});

const basePolicy: PolicyOptions = { yes: false, allowMutate: false, dryRun: false, inspectOnly: false, timeoutMs: 2_000 };

async function pipeline(policy: Partial<PolicyOptions> = {}) {
  const fleet = demoFleet();
  const handle = await fleet.transport.open(fleet.device);
  return { ...fleet, pipe: new DevicePipeline(entry(fleet.device), handle, demoPlugin, { ...basePolicy, ...policy }) };
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AccelError) return error.code;
    if (error instanceof DryRunStop) return 'DRY_RUN';
    throw error;
  }
  return 'ok';
}

const sentScopes = (device: string) => readDeviceStats(device).requested;

/** A device whose RPCs do what `rpc` does (hang, fail, answer short). */
const fakeHandle = (rpc: FwctlHandle['rpc']): FwctlHandle => ({
  info: async () => ({ deviceType: 99, deviceData: new Uint8Array() }),
  rpc,
  close: async () => undefined,
});

afterEach(() => {
  delete process.env.ACCELCTL_DROP_RAWIO;
});

describe('RPC pipeline', () => {
  it('sends inspect RPCs at the minimum scope the driver accepts', async () => {
    const { pipe, device } = await pipeline();
    await pipe.send(req(1), [], {});
    await pipe.send(req(2), [], {});
    expect(sentScopes(device)).toEqual({ configuration: 1, debug_read_only: 1, debug_write: 0, debug_write_full: 0 });
  });

  it('with a snapshot (dump), sends each distinct inspect request once and answers repeats with a copy of the reply', async () => {
    const { pipe, device } = await pipeline({ inspectOnly: true, snapshot: true });
    const first = await pipe.send(req(1), [], {});
    first.reply.fill(0xff); // a caller scribbling on its reply does not change the next one
    const again = await pipe.send(req(1), [], {});
    await pipe.send(req(1, 9), [], {}); // another request: sent
    expect(DemoReply.get(again.reply, 'value')).toBe(7);
    expect(sentScopes(device).configuration).toBe(2);

    const plain = await pipeline({ inspectOnly: true });
    await plain.pipe.send(req(1), [], {});
    await plain.pipe.send(req(1), [], {});
    expect(sentScopes(plain.device).configuration).toBe(2);
  });

  it('refuses what the plugin cannot classify, and sends nothing', async () => {
    const { pipe, device } = await pipeline({ yes: true, allowMutate: true });
    expect(await codeOf(pipe.send(req(0x42), [], {}))).toBe('ACCELCTL_E_UNCLASSIFIED');
    expect(Object.values(sentScopes(device)).reduce((a, b) => a + b)).toBe(0);
  });

  it('refuses configure without --yes (exit 4) and sends it at CONFIGURATION with it', async () => {
    const refused = await pipeline();
    const error = await refused.pipe.send(req(3, 5), [], {}).catch((e: AccelError) => e);
    expect(error).toBeInstanceOf(AccelError);
    expect((error as AccelError).code).toBe('ACCELCTL_E_NEEDS_YES');
    expect((error as AccelError).exitCode).toBe(4);
    expect((error as AccelError).hint).toContain('--yes');
    expect(sentScopes(refused.device).configuration).toBe(0);

    const allowed = await pipeline({ yes: true });
    await allowed.pipe.send(req(3, 5), [], {});
    expect(sentScopes(allowed.device).configuration).toBe(1);
  });

  it('asks once at the prompt when one is available', async () => {
    const questions: string[] = [];
    const { pipe, device } = await pipeline({ confirm: async (q) => (questions.push(q), true) });
    await pipe.send(req(3, 1), [], {});
    await pipe.send(req(3, 2), [], {});
    expect(questions).toHaveLength(1);
    expect(sentScopes(device).configuration).toBe(2);
    const declined = await pipeline({ confirm: async () => false });
    expect(await codeOf(declined.pipe.send(req(3, 1), [], {}))).toBe('ACCELCTL_E_NEEDS_YES');
  });

  it('refuses mutate-debug without --allow-mutate and never taints for it', async () => {
    const { pipe, device } = await pipeline({ yes: true });
    const error = (await pipe.send(req(4), [], {}).catch((e) => e)) as AccelError;
    expect(error.code).toBe('ACCELCTL_E_NEEDS_ALLOW_MUTATE');
    expect(error.message).toContain('taints the kernel');
    expect(sentScopes(device).debug_write).toBe(0);
  });

  it('sends mutate-debug at exactly its scope when allowed', async () => {
    const { pipe, device } = await pipeline({ allowMutate: true });
    await pipe.send(req(4), [], {});
    await pipe.send(req(5), [], {});
    expect(sentScopes(device)).toMatchObject({ debug_write: 1, debug_write_full: 1 });
  });

  it('refuses debug_write_full without CAP_SYS_RAWIO before sending', async () => {
    process.env.ACCELCTL_DROP_RAWIO = '1';
    const { pipe, device } = await pipeline({ allowMutate: true });
    expect(await codeOf(pipe.send(req(5), [], {}))).toBe('ACCELCTL_E_PRIVILEGE');
    expect(sentScopes(device).debug_write_full).toBe(0);
  });

  it('in inspect-only mode refuses configure and mutate-debug even when allowed', async () => {
    const { pipe, device } = await pipeline({ yes: true, allowMutate: true, inspectOnly: true });
    expect(await codeOf(pipe.send(req(3), [], {}))).toBe('ACCELCTL_E_NOT_INSPECT');
    expect(await codeOf(pipe.send(req(4), [], {}))).toBe('ACCELCTL_E_NOT_INSPECT');
    expect(await codeOf(pipe.send(req(1), [], {}))).toBe('ok');
    expect(sentScopes(device)).toEqual({ configuration: 1, debug_read_only: 0, debug_write: 0, debug_write_full: 0 });
  });

  it('dry-run lets reads through and stops at the first RPC that could change anything', async () => {
    const { pipe, device } = await pipeline({ dryRun: true });
    await pipe.send(req(2), [], {});
    expect(await codeOf(pipe.send(req(3, 1), [], {}))).toBe('DRY_RUN');
    expect(sentScopes(device)).toMatchObject({ configuration: 0, debug_read_only: 1 });
  });

  it('dry-run stops before sending and describes the RPC', async () => {
    const { pipe, device } = await pipeline({ dryRun: true });
    const stop = (await pipe.send(req(4, 9), [], {}).catch((e) => e)) as DryRunStop;
    expect(stop).toBeInstanceOf(DryRunStop);
    expect(stop.planned).toMatchObject({ name: 'POKE', rpc_class: 'mutate-debug', scope: 'debug_write', gate: 'allow-mutate', out_len: 8 });
    expect(Object.values(sentScopes(device)).reduce((a, b) => a + b)).toBe(0);
  });

  it('rejects a plugin that classifies outside its class scopes', async () => {
    const { pipe } = await pipeline({ allowMutate: true });
    expect(await codeOf(pipe.send(req(7), [], {}))).toBe('ACCELCTL_E_PLUGIN');
  });

  it('turns a device-level status into ACCELCTL_E_DEVICE_STATUS (exit 1) unless asked for the raw reply', async () => {
    const { pipe } = await pipeline({ yes: true });
    const error = (await pipe.send(req(3, 5000), [], {}).catch((e) => e)) as AccelError;
    expect(error.code).toBe('ACCELCTL_E_DEVICE_STATUS');
    expect(error.exitCode).toBe(1);
    expect(error.message).toContain('BAD_PARAM');
    const raw = await pipe.send(req(3, 5000), [], { allowDeviceError: true });
    expect(DemoReply.get(raw.reply, 'status')).toBe(2);
  });

  it('asks again with a larger buffer when an inspect reply was truncated', async () => {
    const { pipe, device } = await pipeline();
    const { reply } = await pipe.send(req(6), [], { outLen: 8 });
    expect(reply.length).toBe(64);
    expect(sentScopes(device).configuration).toBe(2);
  });

  it('maps errno failures to typed errors (ENODEV → device gone, exit 3)', async () => {
    const { pipe, device } = await pipeline();
    await updateDeviceState(device, (s) => {
      s.faults = ['gone'];
    });
    const error = (await pipe.send(req(1), [], {}).catch((e) => e)) as AccelError;
    expect(error.code).toBe('ACCELCTL_E_DEVICE_GONE');
    expect(error.exitCode).toBe(3);
  });

  it('times out a device that does not answer (exit 5)', async () => {
    const hanging = fakeHandle(() => new Promise(() => undefined));
    const pipe = new DevicePipeline(entry('/nonexistent'), hanging, demoPlugin, { ...basePolicy, timeoutMs: 50 });
    const error = (await pipe.send(req(1), [], {}).catch((e) => e)) as AccelError;
    expect(error.code).toBe('ACCELCTL_E_TIMEOUT');
    expect(error.exitCode).toBe(5);
  });

  it('an inspect-only invocation sends a device that stopped answering nothing more; others still try', async () => {
    let sent = 0;
    const hanging = fakeHandle(() => (sent++, new Promise(() => undefined)));
    const inspecting = new DevicePipeline(entry('/nonexistent'), hanging, demoPlugin, { ...basePolicy, inspectOnly: true, timeoutMs: 50 });
    const first = (await inspecting.send(req(1), [], {}).catch((e) => e)) as AccelError;
    expect(first.message).toBe('fwctl0: no answer within 50 ms');
    const second = (await inspecting.send(req(2), [], {}).catch((e) => e)) as AccelError;
    expect(second.code).toBe('ACCELCTL_E_TIMEOUT');
    expect(second.message).toBe('fwctl0: DEBUG_READ not sent: the device stopped answering earlier (no answer within 50 ms)');
    expect(sent).toBe(1);
    expect(inspecting.firstFailure).toBe(first);
    // A command that may change the device keeps its own say over retries.
    sent = 0;
    const changing = new DevicePipeline(entry('/nonexistent'), hanging, demoPlugin, { ...basePolicy, timeoutMs: 50 });
    for (const request of [req(1), req(2)]) expect(((await changing.send(request, [], {}).catch((e) => e)) as AccelError).code).toBe('ACCELCTL_E_TIMEOUT');
    expect(sent).toBe(2);
  });

  it('a reply whose status the plugin cannot read names the device and the RPC', async () => {
    const short = fakeHandle(async () => ({ out: new Uint8Array(3), outLen: 3, buffers: [] }));
    const pipe = new DevicePipeline(entry('/x'), short, demoPlugin, basePolicy);
    const error = (await pipe.send(req(2), [], {}).catch((e) => e)) as AccelError;
    expect(error.code).toBe('ACCELCTL_E_MALFORMED_REPLY');
    expect(error.message).toMatch(/^fwctl0: DEBUG_READ reply: /);
  });

  it('remembers the first failed RPC even when the caller took the error', async () => {
    const failing = fakeHandle(async () => {
        throw new FwctlErrno('EBADMSG');
      });
    const pipe = new DevicePipeline(entry('/x'), failing, demoPlugin, { ...basePolicy, inspectOnly: true });
    expect(pipe.firstFailure).toBeUndefined();
    await pipe.send(req(2), [], {}).catch(() => undefined);
    await pipe.send(req(1), [], {}).catch(() => undefined);
    expect(pipe.firstFailure?.code).toBe('ACCELCTL_E_KERNEL_REFUSED');
    expect(pipe.firstFailure?.message).toContain('debug_read_only');
  });

  it('reports every sent RPC to the observer with class, scope and bytes', async () => {
    const events: unknown[] = [];
    const { pipe } = await pipeline({ onRpc: (e) => events.push(e) });
    await pipe.send(req(2), [], {});
    expect(events).toEqual([expect.objectContaining({ name: 'DEBUG_READ', rpcClass: 'inspect', scope: 'debug_read_only', request: req(2) })]);
  });

  it('passes kernel refusals through as ACCELCTL_E_KERNEL_REFUSED', async () => {
    const refusing = fakeHandle(async () => {
        throw new FwctlErrno('EBADMSG');
      });
    const pipe = new DevicePipeline(entry('/x'), refusing, demoPlugin, basePolicy);
    const error = (await pipe.send(req(2), [], {}).catch((e) => e)) as AccelError;
    expect(error.code).toBe('ACCELCTL_E_KERNEL_REFUSED');
    expect(error.message).toContain('debug_read_only');
    expect(Scope.DEBUG_READ_ONLY).toBe(1);
  });
});
