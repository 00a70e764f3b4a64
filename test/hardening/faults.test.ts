/**
 * Every command against every fault the simulator injects (`accelctl sim fault`):
 * a device that hangs, answers garbage, answers with a firmware error status, or
 * is gone. For each device of the default fleet (one per plugin) and each fault,
 * every built-in command that takes a device, and every inspect command of the
 * device's plugin that needs nothing else, runs as a user would run it, with
 * --timeout 300, and:
 *  - exits with the fault's code (hang 5, gone 3, garbage and fw-error 1), or with
 *    0 / 6 (health) when the command reports per device, and then says so;
 *  - is never silent about a fault it met: when the device received an RPC (its
 *    RPC log grew), the failure shows in the exit code, stdout or stderr;
 *  - prints no stack trace and no internal error;
 *  - leaves the device's state as it was (a write that failed changed nothing,
 *    a read changed nothing).
 * `list` runs once per fault with every device faulted, since it opens them all.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readDeviceState, readDeviceStats } from '../../src/sim/state-store';
import { run, runJson, tempDir, type RunResult } from '../helpers/cli';
import { assign, otherValue, writable, type Param } from '../helpers/config-params';

const FAULTS = ['hang', 'garbage', 'fw-error', 'gone'] as const;
type Fault = (typeof FAULTS)[number];
const TIMEOUT_MS = 300;
/** The exit code of a command that fails because of the fault. */
const FAILED: Record<Fault, number> = { hang: 5, gone: 3, garbage: 1, 'fw-error': 1 };

interface Device {
  name: string;
  plugin: string;
  path: string;
  /** A configuration change the device would accept when healthy. */
  assignment?: string;
  /** An image it would take when healthy. */
  image?: string;
}

let fleet: string;
let devices: Device[];
/** Each plugin's inspect commands that need nothing but a device (`accelctl commands`). */
let pluginCommands: { plugin: string; path: string[] }[];

beforeAll(async () => {
  fleet = join(tempDir(), 'fleet');
  expect((await run(['sim', 'init', fleet])).code).toBe(0);
  const listed = (await runJson<{ devices: { name: string; plugin: string; path: string }[] }>(['list'], { simDir: fleet })).json.devices;
  devices = await Promise.all(
    listed.map(async ({ name, plugin, path }) => {
      const device: Device = { name, plugin, path };
      const shown = await runJson<{ params: Param[] }>(['config', 'show', name], { simDir: fleet });
      const param = shown.code === 0 ? writable(shown.json.params)[0] : undefined;
      if (param) device.assignment = assign(param, otherValue(param));
      // A version each flashing plugin takes (mlx5: 3 parts, bnxt: 4); the others make no images.
      const image = join(tempDir(), `${plugin}.bin`);
      for (const version of ['28.40.1000', '231.0.1.0']) {
        if ((await run(['sim', 'fw-image', '--plugin', plugin, `--version=${version}`, '--out', image])).code === 0) {
          device.image = image;
          break;
        }
      }
      return device;
    }),
  );
  const catalogue = (await runJson<{ commands: { plugin?: string; group?: boolean; class?: string; path: string[]; arguments: { required: boolean }[] }[] }>(['commands'])).json.commands;
  pluginCommands = catalogue
    .filter((c) => c.plugin && !c.group && c.class === 'inspect' && c.arguments.filter((a) => a.required).length === 1)
    .map((c) => ({ plugin: c.plugin!, path: c.path }));
  expect(new Set(pluginCommands.map((c) => c.plugin)).size).toBe(4);
  // The matrix below needs writes and flashes to be worth anything.
  expect(devices.filter((d) => d.assignment).length).toBeGreaterThanOrEqual(2);
  expect(devices.filter((d) => d.image).length).toBeGreaterThanOrEqual(2);
}, 60_000);

function commandsFor(device: Device): { args: string[]; reportsPerDevice?: boolean }[] {
  const d = device.name;
  return [
    { args: ['info', d] },
    { args: ['fw', 'show', d] },
    { args: ['config', 'show', d] },
    { args: ['health', d], reportsPerDevice: true },
    { args: ['metrics', d], reportsPerDevice: true },
    { args: ['dump', d], reportsPerDevice: true },
    ...pluginCommands.filter((c) => c.plugin === device.plugin).map((c) => ({ args: [...c.path, d] })),
    ...(device.assignment ? [{ args: ['config', 'set', d, device.assignment, '--yes'] }] : []),
    ...(device.image ? [{ args: ['fw', 'flash', d, device.image, '--yes'] }] : []),
  ];
}

const rpcsReceived = (device: Device): number => {
  const stats = readDeviceStats(device.path);
  return Object.values(stats.requested).reduce((a, b) => a + b, 0) + stats.refused;
};
const firmwareOf = (device: Device): unknown => readDeviceState(device.path).firmware;
const mentionsFailure = (r: RunResult) => /error|warning|gone|no answer|failed/i.test(r.stdout + r.stderr);

function expectClean(r: RunResult, what: string): void {
  expect(r.code, `${what}: killed by the harness (a timeout not at --timeout?)`).not.toBeNull();
  expect(r.stderr, what).not.toMatch(/\n\s+at \S/);
  expect(r.stderr + r.stdout, what).not.toMatch(/internal error|ACCELCTL_E_INTERNAL/);
  if (r.stderr) expect(r.stderr, what).toMatch(/^(accelctl: |warning: )/);
}

describe('faults: every command meets every fault', () => {
  for (const fault of FAULTS) {
    it(`${fault}: a clear message, the right exit code, nothing changed`, async () => {
      // Settled, not Promise.all: a failing device must not leave the others running into the next test.
      const outcomes = await Promise.allSettled(
        devices.map(async (device) => {
          expect((await run(['sim', 'fault', device.name, '--clear', fault], { simDir: fleet })).code).toBe(0);
          for (const { args, reportsPerDevice } of commandsFor(device)) {
            const what = `${fault} ${device.plugin}: accelctl ${args.join(' ')}`;
            const before = { rpcs: rpcsReceived(device), firmware: firmwareOf(device) };
            const r = await run(['--timeout', String(TIMEOUT_MS), ...args], { simDir: fleet });
            expectClean(r, what);
            const allowed = reportsPerDevice ? [FAILED[fault], 0, 6] : [FAILED[fault]];
            const metFault = fault === 'gone' || rpcsReceived(device) > before.rpcs;
            if (metFault) {
              expect(allowed, `${what}: exit ${r.code}\n${r.stderr}`).toContain(r.code);
              if (r.code === 0 || r.code === 6) expect(mentionsFailure(r), `${what}: exit ${r.code} says nothing of the fault`).toBe(true);
            } else {
              // Sent nothing (info reads FWCTL_INFO, which the kernel answers): the command's own success.
              expect(r.code, `${what}\n${r.stderr}`).toBe(0);
            }
            // The --timeout given fired, not the 10 s default.
            if (r.code === 5) expect(r.stderr + r.stdout).toContain(`within ${TIMEOUT_MS} ms`);
            expect(firmwareOf(device), `${what}: the device's state changed`).toEqual(before.firmware);
          }
          expect((await run(['sim', 'fault', device.name, '--clear'], { simDir: fleet })).code).toBe(0);
        }),
      );
      await Promise.all(devices.map((device) => run(['sim', 'fault', device.name, '--clear'], { simDir: fleet })));
      for (const outcome of outcomes) if (outcome.status === 'rejected') throw outcome.reason;
    }, 120_000);
  }

  it('list, with every device faulted, exits 0 and flags each device it asked', async () => {
    for (const fault of FAULTS) {
      for (const device of devices) expect((await run(['sim', 'fault', device.name, '--clear', fault], { simDir: fleet })).code).toBe(0);
      const before = devices.map(rpcsReceived);
      const { json, code, stderr } = await runJson<{ devices: { name: string; error?: { code: string } }[] }>(['list', '--timeout', String(TIMEOUT_MS)], { simDir: fleet });
      expect(code, stderr).toBe(0);
      devices.forEach((device, i) => {
        const row = json.devices.find((d) => d.name === device.name)!;
        // A device list asked nothing (cxl: its identity is all in sysfs) has nothing to flag.
        if (fault === 'gone' || rpcsReceived(device) > before[i]!) expect(row.error, `${fault} ${device.plugin}`).toBeDefined();
      });
    }
    for (const device of devices) expect((await run(['sim', 'fault', device.name, '--clear'], { simDir: fleet })).code).toBe(0);
  }, 120_000);
});
