/**
 * src/core/scope.ts: enum fwctl_rpc_scope (include/uapi/fwctl/fwctl.h) and the
 * class → scope table of DESIGN.md §2.
 */
import { describe, expect, it } from 'vitest';
import { classAllowsScope, isScope, RPC_CLASSES, Scope, SCOPE_NAMES, scopeFromName, scopeName, scopeTaints, type RpcClass } from '../../src/core/scope';

describe('Scope values', () => {
  it('match enum fwctl_rpc_scope', () => {
    expect(Scope).toEqual({ CONFIGURATION: 0, DEBUG_READ_ONLY: 1, DEBUG_WRITE: 2, DEBUG_WRITE_FULL: 3 });
  });
});

describe('classAllowsScope: all 3 classes × 4 scopes', () => {
  const table: [RpcClass, [boolean, boolean, boolean, boolean]][] = [
    ['inspect', [true, true, false, false]],
    ['configure', [true, false, false, false]],
    ['mutate-debug', [false, false, true, true]],
  ];
  it('covers every class', () => {
    expect(table.map(([c]) => c).sort()).toEqual([...RPC_CLASSES].sort());
  });
  for (const [rpcClass, allowed] of table) {
    for (const scope of [0, 1, 2, 3] as const) {
      it(`${rpcClass} × ${scopeName(scope)} → ${allowed[scope]}`, () => {
        expect(classAllowsScope(rpcClass, scope)).toBe(allowed[scope]);
      });
    }
  }
  it('no class that is allowed a tainting scope is inspect or configure', () => {
    for (const rpcClass of RPC_CLASSES) {
      for (const scope of [0, 1, 2, 3] as const) {
        if (classAllowsScope(rpcClass, scope) && scopeTaints(scope)) expect(rpcClass).toBe('mutate-debug');
      }
    }
  });
});

describe('scope names', () => {
  it('scopeName ↔ scopeFromName round-trips for every scope', () => {
    for (const scope of [0, 1, 2, 3] as const) expect(scopeFromName(scopeName(scope))).toBe(scope);
    for (const name of SCOPE_NAMES) expect(scopeName(scopeFromName(name))).toBe(name);
  });
  it('uses the kernel names in lower case', () => {
    expect(SCOPE_NAMES).toEqual(['configuration', 'debug_read_only', 'debug_write', 'debug_write_full']);
    for (const [key, value] of Object.entries(Scope)) expect(scopeName(value)).toBe(key.toLowerCase());
  });
});

describe('isScope / scopeTaints', () => {
  it.each([
    [0, true],
    [3, true],
    [4, false],
    [-1, false],
    [1.5, false],
    [Number.NaN, false],
  ])('isScope(%s) = %s', (value, ok) => {
    expect(isScope(value)).toBe(ok);
  });
  it('DEBUG_WRITE and above taint', () => {
    expect([0, 1, 2, 3].map((s) => scopeTaints(s as Scope))).toEqual([false, false, true, true]);
  });
});
