/**
 * src/core/errors.ts: stable codes and their exit codes (DESIGN.md §5).
 */
import { describe, expect, it } from 'vitest';
import { AccelError, ERROR_CODES, EXIT, isAccelError, malformedReply, usageError, withoutDevicePrefix, type ErrorCode } from '../../src/core/errors';

const codes = Object.keys(ERROR_CODES) as ErrorCode[];

describe('ERROR_CODES', () => {
  it('has codes', () => {
    expect(codes.length).toBeGreaterThanOrEqual(10);
  });
  it.each(codes)('%s is well formed and maps to an exit code in 1..5', (code) => {
    expect(code).toMatch(/^ACCELCTL_E_[A-Z_]+$/);
    const exit = ERROR_CODES[code];
    expect(Number.isInteger(exit)).toBe(true);
    expect(exit).toBeGreaterThanOrEqual(0);
    expect(exit).toBeLessThanOrEqual(5);
    expect(exit).not.toBe(EXIT.ok); // an error never exits 0
    expect(new AccelError(code, 'x').exitCode).toBe(exit);
  });
  it('maps the codes the CLI contract names', () => {
    expect(ERROR_CODES.ACCELCTL_E_USAGE).toBe(2);
    expect(ERROR_CODES.ACCELCTL_E_BAD_INPUT).toBe(2);
    expect(ERROR_CODES.ACCELCTL_E_DEVICE_NOT_FOUND).toBe(3);
    expect(ERROR_CODES.ACCELCTL_E_NEEDS_YES).toBe(4);
    expect(ERROR_CODES.ACCELCTL_E_NEEDS_ALLOW_MUTATE).toBe(4);
    expect(ERROR_CODES.ACCELCTL_E_PRIVILEGE).toBe(4);
    expect(ERROR_CODES.ACCELCTL_E_TIMEOUT).toBe(5);
    expect(ERROR_CODES.ACCELCTL_E_MALFORMED_REPLY).toBe(1);
  });
  it('EXIT is 0..5 as DESIGN.md §5 says, plus 6 for accelctl health (a reporter in error)', () => {
    expect(EXIT).toEqual({ ok: 0, failed: 1, usage: 2, notFound: 3, refused: 4, timeout: 5, unhealthy: 6 });
  });
});

describe('AccelError', () => {
  it('carries code, message, hint, details and cause', () => {
    const cause = new Error('EIO');
    const error = new AccelError('ACCELCTL_E_IO', 'cannot read', { hint: 'check permissions', details: { path: '/x' }, cause });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('AccelError');
    expect(error.code).toBe('ACCELCTL_E_IO');
    expect(error.message).toBe('cannot read');
    expect(error.hint).toBe('check permissions');
    expect(error.details).toEqual({ path: '/x' });
    expect(error.cause).toBe(cause);
    expect(error.exitCode).toBe(1);
  });
  it('has no hint, details or cause unless given', () => {
    const error = new AccelError('ACCELCTL_E_TIMEOUT', 't');
    expect(error.hint).toBeUndefined();
    expect(error.details).toBeUndefined();
    expect('cause' in error).toBe(false);
    expect(error.exitCode).toBe(5);
  });
  it('isAccelError tells AccelError from other values', () => {
    expect(isAccelError(new AccelError('ACCELCTL_E_USAGE', 'x'))).toBe(true);
    expect(isAccelError(new Error('x'))).toBe(false);
    expect(isAccelError({ code: 'ACCELCTL_E_USAGE' })).toBe(false);
    expect(isAccelError(undefined)).toBe(false);
  });
  it('malformedReply and usageError build the right codes', () => {
    const m = malformedReply('short', { have: 3 });
    expect(m.code).toBe('ACCELCTL_E_MALFORMED_REPLY');
    expect(m.hint).toMatch(/-v/);
    expect(m.details).toEqual({ have: 3 });
    const u = usageError('bad', 'try --help');
    expect([u.code, u.exitCode, u.hint]).toEqual(['ACCELCTL_E_USAGE', 2, 'try --help']);
    expect(usageError('bad').hint).toBeUndefined();
  });
  it('withoutDevicePrefix drops the device name only when it leads the message', () => {
    expect(withoutDevicePrefix('fwctl1: QUERY_ADAPTER timed out', 'fwctl1')).toBe('QUERY_ADAPTER timed out');
    expect(withoutDevicePrefix('fwctl10: gone', 'fwctl1')).toBe('fwctl10: gone');
    expect(withoutDevicePrefix('need 8 bytes, have 4', 'fwctl1')).toBe('need 8 bytes, have 4');
  });
});
