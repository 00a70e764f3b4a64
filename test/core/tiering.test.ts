/**
 * src/core/tiering.ts: the raised optimisation budget is applied only on the V8
 * it was measured on, and ACCELCTL_V8_DEFAULT_TIERING=1 keeps V8's own. (Setting
 * the flag in this test process is harmless: it only delays optimisation.)
 */
import { describe, expect, it } from 'vitest';
import { tuneTieringForShortRuns } from '../../src/core/tiering';

describe('tuneTieringForShortRuns', () => {
  it("applies the budget on Node 20's V8 (11.x)", () => {
    expect(tuneTieringForShortRuns('11.3.244.8-node.30', {})).toBe(true);
  });

  it('leaves other V8 versions alone: they tier differently and may not know the flag', () => {
    for (const version of ['12.4.254.21-node.33', '13.6.233.10-node.1', '10.2.154.26-node.26']) {
      expect(tuneTieringForShortRuns(version, {})).toBe(false);
    }
  });

  it('ACCELCTL_V8_DEFAULT_TIERING=1 keeps V8 defaults', () => {
    expect(tuneTieringForShortRuns('11.3.244.8-node.30', { ACCELCTL_V8_DEFAULT_TIERING: '1' })).toBe(false);
    expect(tuneTieringForShortRuns('11.3.244.8-node.30', { ACCELCTL_V8_DEFAULT_TIERING: '0' })).toBe(true);
  });
});
