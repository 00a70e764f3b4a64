/**
 * The simulated device state file: a broken or hand-edited file is refused with a
 * message naming the file and the field, never a stack trace; an older file gets
 * the defaults of fields it lacks.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, renameSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AccelError } from '../../src/core/errors';
import { loadDeviceState, readDeviceState, STATE_RECHECK_MS, writeDeviceState } from '../../src/sim/state-store';
import { demoFleet } from '../fixtures/demo-fleet';
import { thrown } from '../helpers/errors';

function edited(change: (state: Record<string, unknown>) => void): string {
  const { device } = demoFleet();
  const state = JSON.parse(readFileSync(device, 'utf8')) as Record<string, unknown>;
  change(state);
  writeFileSync(device, JSON.stringify(state));
  return device;
}

/** Why readDeviceState refuses the state file. */
const refusal = (device: string) => thrown(() => readDeviceState(device));

describe('simulated device state files', () => {
  it('names the field and the rule a bad value breaks', () => {
    const device = edited((s) => (s.latency_ms = -5));
    const error = refusal(device);
    expect(error.code).toBe('ACCELCTL_E_SIM');
    expect(error.message).toBe(`simulated device state ${device} is invalid: latency_ms: Too small: expected number to be >=0`);
    expect(error.hint).toMatch(/sim init DIR --force/);
    expect(refusal(edited((s) => (s.faults = ['boom']))).message).toMatch(/is invalid: faults\.0: Invalid option: expected one of "hang"/);
    expect(refusal(edited((s) => (s.schema_version = 2))).message).toMatch(/is invalid: schema_version: /);
  });

  it('refuses a file that is not JSON', () => {
    const { device } = demoFleet();
    writeFileSync(device, '{"schema_version": 1,');
    expect(refusal(device).message).toBe(`simulated device state ${device} is not valid JSON`);
  });

  it('refuses what is not a state file without reading it: a directory, a FIFO, a device node, a huge file', () => {
    const swapped = (make: (path: string) => void): AccelError => {
      const { device } = demoFleet();
      rmSync(device);
      make(device);
      return refusal(device);
    };
    let error = swapped((path) => mkdirSync(path));
    expect(error.code).toBe('ACCELCTL_E_SIM');
    expect(error.message).toMatch(/is not a regular file$/);
    // A FIFO with no writer would block open(2), and /dev/zero would be read forever.
    error = swapped((path) => execFileSync('mkfifo', [path]));
    expect(error.message).toMatch(/is not a regular file$/);
    error = swapped((path) => symlinkSync('/dev/zero', path));
    expect([error.code, error.message.endsWith('is not a regular file')]).toEqual(['ACCELCTL_E_SIM', true]);
    error = swapped((path) => {
      writeFileSync(path, '');
      truncateSync(path, 64 * 1024 * 1024);
    });
    expect(error.message).toMatch(/is 67108864 bytes, not a device state/);
    expect(error.hint).toMatch(/sim init DIR --force/);
  });

  it('fills in what an older file lacks', () => {
    const device = edited((s) => {
      delete s.stats;
      delete s.faults;
      delete s.latency_ms;
    });
    expect(readDeviceState(device)).toMatchObject({
      latency_ms: 0,
      faults: [],
      stats: { requested: { configuration: 0, debug_read_only: 0, debug_write: 0, debug_write_full: 0 }, refused: 0 },
    });
  });
});

describe("the simulated kernel's copy of a device state (loadDeviceState)", () => {
  /** What another process does: write a temporary file and rename it over the state. */
  function replaceFromOutside(device: string, latencyMs: number): void {
    const state = JSON.parse(readFileSync(device, 'utf8')) as Record<string, unknown>;
    writeFileSync(`${device}.other`, JSON.stringify({ ...state, latency_ms: latencyMs }));
    renameSync(`${device}.other`, device);
  }

  it("sees another writer's change at once, unless the caller allows an older state (inspect-only)", () => {
    const { device } = demoFleet();
    const first = loadDeviceState(device);
    expect(loadDeviceState(device)).toBe(first); // not read and parsed again
    replaceFromOutside(device, 5);
    // What config set's read under the device lock does: it must see the write just made.
    expect(loadDeviceState(device).latency_ms).toBe(5);
  });

  it("sees this process's writes at once, another writer's within maxAgeMs, and a reread every time", async () => {
    const { device } = demoFleet();
    const first = loadDeviceState(device, { maxAgeMs: STATE_RECHECK_MS });
    expect(loadDeviceState(device, { maxAgeMs: STATE_RECHECK_MS })).toBe(first);

    writeDeviceState(device, { ...first, latency_ms: 7 });
    expect(loadDeviceState(device, { maxAgeMs: STATE_RECHECK_MS }).latency_ms).toBe(7);

    replaceFromOutside(device, 9);
    await new Promise((resolve) => setTimeout(resolve, STATE_RECHECK_MS + 10));
    expect(loadDeviceState(device, { maxAgeMs: STATE_RECHECK_MS }).latency_ms).toBe(9);

    // The locked read-modify-write rereads: no window hides a change from it.
    replaceFromOutside(device, 11);
    expect(loadDeviceState(device, { reread: true, maxAgeMs: STATE_RECHECK_MS }).latency_ms).toBe(11);
  });
});
