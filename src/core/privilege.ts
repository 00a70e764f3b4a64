/**
 * Capabilities and taint, read the way the kernel exposes them.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TAINT_FWCTL_BIT } from '../transport/uapi';

const CAP_SYS_RAWIO = 17;

/** Parse the CapEff line of /proc/<pid>/status. */
export function capEffFromStatus(statusText: string): bigint | undefined {
  const match = /^CapEff:\s*([0-9a-fA-F]+)\s*$/m.exec(statusText);
  return match ? BigInt(`0x${match[1]}`) : undefined;
}

/**
 * Whether this process holds CAP_SYS_RAWIO (needed for FWCTL_RPC_DEBUG_WRITE_FULL).
 * ACCELCTL_DROP_RAWIO=1 makes accelctl behave as if it did not, so the refusal
 * path can be tried (and tested) without changing users.
 */
export function hasCapSysRawio(procRoot = '/proc'): boolean {
  if (process.env.ACCELCTL_DROP_RAWIO === '1') return false;
  try {
    const capEff = capEffFromStatus(readFileSync(join(procRoot, 'self/status'), 'utf8'));
    return capEff !== undefined && (capEff & (1n << BigInt(CAP_SYS_RAWIO))) !== 0n;
  } catch {
    return false;
  }
}

export interface TaintState {
  value: number;
  /** TAINT_FWCTL ('J'). */
  fwctl: boolean;
}

export function parseTaint(text: string): TaintState {
  const value = Number.parseInt(text.trim(), 10);
  const safe = Number.isFinite(value) && value >= 0 ? value : 0;
  return { value: safe, fwctl: (Math.floor(safe / 2 ** TAINT_FWCTL_BIT) & 1) === 1 };
}

/** Kernel taint from ROOT/proc/sys/kernel/tainted; undefined where it cannot be read. */
export function readTaint(root: string): TaintState | undefined {
  try {
    return parseTaint(readFileSync(join(root, 'proc/sys/kernel/tainted'), 'utf8'));
  } catch {
    return undefined;
  }
}
