/**
 * src/core/privilege.ts: CapEff from /proc/self/status (CAP_SYS_RAWIO is bit 17,
 * include/uapi/linux/capability.h) and TAINT_FWCTL (bit 19) from
 * /proc/sys/kernel/tainted.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { capEffFromStatus, hasCapSysRawio, parseTaint, readTaint } from '../../src/core/privilege';

function status(capEff: string): string {
  return [
    'Name:\taccelctl',
    'Umask:\t0022',
    'State:\tR (running)',
    'Tgid:\t4242',
    'Pid:\t4242',
    'Uid:\t0\t0\t0\t0',
    'Groups:\t0 ',
    'VmRSS:\t   51200 kB',
    'SigCgt:\t0000000180000000',
    'CapInh:\t0000000000000000',
    'CapPrm:\t000001ffffffffff',
    `CapEff:\t${capEff}`,
    'CapBnd:\t000001ffffffffff',
    'CapAmb:\t0000000000000000',
    'NoNewPrivs:\t0',
    'Seccomp:\t0',
    '',
  ].join('\n');
}

describe('capEffFromStatus', () => {
  it('reads the CapEff line, not CapPrm/CapBnd/CapInh', () => {
    expect(capEffFromStatus(status('000001ffffffffff'))).toBe(0x1ffffffffffn);
    expect(capEffFromStatus(status('0000000000020000'))).toBe(1n << 17n);
    expect(capEffFromStatus(status('0000000000000000'))).toBe(0n);
  });
  it('accepts upper-case hex and trailing blanks', () => {
    expect(capEffFromStatus('CapEff:\t00000000000200FF  \n')).toBe(0x200ffn);
  });
  it('returns undefined without a CapEff line', () => {
    expect(capEffFromStatus('Name:\tx\nCapPrm:\t0000000000020000\n')).toBeUndefined();
    expect(capEffFromStatus('')).toBeUndefined();
  });
});

describe('hasCapSysRawio', () => {
  let dir: string;
  const saved = process.env.ACCELCTL_DROP_RAWIO;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'accelctl-priv-'));
    mkdirSync(join(dir, 'self'));
    delete process.env.ACCELCTL_DROP_RAWIO;
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
    if (saved === undefined) delete process.env.ACCELCTL_DROP_RAWIO;
    else process.env.ACCELCTL_DROP_RAWIO = saved;
  });

  it('is true when bit 17 of CapEff is set', () => {
    writeFileSync(join(dir, 'self/status'), status('0000000000020000'));
    expect(hasCapSysRawio(dir)).toBe(true);
  });
  it('is false when only neighbouring bits are set', () => {
    writeFileSync(join(dir, 'self/status'), status('000001fffffdffff'));
    expect(hasCapSysRawio(dir)).toBe(false);
  });
  it('is false when the status file is missing', () => {
    expect(hasCapSysRawio(join(dir, 'nope'))).toBe(false);
  });
  it('ACCELCTL_DROP_RAWIO=1 makes it false even with the capability', () => {
    writeFileSync(join(dir, 'self/status'), status('000001ffffffffff'));
    expect(hasCapSysRawio(dir)).toBe(true);
    process.env.ACCELCTL_DROP_RAWIO = '1';
    expect(hasCapSysRawio(dir)).toBe(false);
    process.env.ACCELCTL_DROP_RAWIO = '0';
    expect(hasCapSysRawio(dir)).toBe(true);
  });
});

describe('parseTaint (TAINT_FWCTL = bit 19)', () => {
  it.each([
    ['524288', 524288, true],
    ['524288\n', 524288, true],
    ['524287', 524287, false],
    ['0', 0, false],
    [String(2 ** 19 + 2 ** 18 + 1), 2 ** 19 + 2 ** 18 + 1, true],
    [String(2 ** 20), 2 ** 20, false],
    [String(2 ** 40 + 2 ** 19), 2 ** 40 + 2 ** 19, true], // beyond 32 bits
    ['garbage', 0, false],
    ['', 0, false],
    ['-1', 0, false],
  ])('%j → value %d, fwctl %s', (text, value, fwctl) => {
    expect(parseTaint(text)).toEqual({ value, fwctl });
  });
});

describe('readTaint', () => {
  it('reads ROOT/proc/sys/kernel/tainted, undefined when absent', () => {
    const dir = mkdtempSync(join(tmpdir(), 'accelctl-taint-'));
    try {
      expect(readTaint(dir)).toBeUndefined();
      mkdirSync(join(dir, 'proc/sys/kernel'), { recursive: true });
      writeFileSync(join(dir, 'proc/sys/kernel/tainted'), '524800\n');
      expect(readTaint(dir)).toEqual({ value: 524800, fwctl: true });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
