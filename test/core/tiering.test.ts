/**
 * src/core/tiering.ts: the raised optimisation budget is asked of V8 only on the
 * V8 it was measured on, and ACCELCTL_V8_DEFAULT_TIERING=1 keeps V8's own. The
 * flag setter is a recorder here: V8 flags are process-wide.
 */
import { describe, expect, it } from 'vitest';
import { tuneTieringForShortRuns } from '../../src/core/tiering';

function tune(v8Version: string, env: NodeJS.ProcessEnv = {}) {
  const set: string[] = [];
  const applied = tuneTieringForShortRuns({ v8Version, env, setFlags: (flags) => void set.push(flags) });
  return { applied, set };
}

describe('tuneTieringForShortRuns', () => {
  it("raises V8's interrupt budget on Node 20's V8 (11.x)", () => {
    const { applied, set } = tune('11.3.244.8-node.30');
    expect(applied).toBe(true);
    expect(set).toHaveLength(1);
    const budget = Number(/^--interrupt-budget=(\d+)$/.exec(set[0]!)?.[1]);
    expect(budget).toBeGreaterThan(132 * 1024);
  });

  it('leaves other V8 versions alone: they tier differently and may not know the flag', () => {
    for (const version of ['12.4.254.21-node.33', '13.6.233.10-node.1', '10.2.154.26-node.26']) {
      expect(tune(version)).toEqual({ applied: false, set: [] });
    }
  });

  it('ACCELCTL_V8_DEFAULT_TIERING=1 keeps V8 defaults', () => {
    expect(tune('11.3.244.8-node.30', { ACCELCTL_V8_DEFAULT_TIERING: '1' })).toEqual({ applied: false, set: [] });
    expect(tune('11.3.244.8-node.30', { ACCELCTL_V8_DEFAULT_TIERING: '0' }).applied).toBe(true);
  });
});
