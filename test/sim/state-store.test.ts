/**
 * The simulated device state file: a broken or hand-edited file is refused with a
 * message naming the file and the field, never a stack trace; an older file gets
 * the defaults of fields it lacks.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AccelError } from '../../src/core/errors';
import { readDeviceState } from '../../src/sim/state-store';
import { demoFleet } from '../fixtures/demo-fleet';

function edited(change: (state: Record<string, unknown>) => void): string {
  const { device } = demoFleet();
  const state = JSON.parse(readFileSync(device, 'utf8')) as Record<string, unknown>;
  change(state);
  writeFileSync(device, JSON.stringify(state));
  return device;
}

function refusal(device: string): AccelError {
  try {
    readDeviceState(device);
  } catch (error) {
    if (error instanceof AccelError) return error;
    throw error;
  }
  throw new Error('the state was accepted');
}

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
