import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { forEachOrdered, mapLimit } from '../../src/core/concurrency';

const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('bounded, ordered concurrency', () => {
  it('emits every result in input order whatever the completion order', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 25 }), fc.integer({ min: 1, max: 6 }), async (delays, limit) => {
        const seen: number[] = [];
        await forEachOrdered(delays, limit, async (ms, i) => (await delay(ms), i), (r) => void seen.push(r));
        expect(seen).toEqual(delays.map((_, i) => i));
      }),
      { seed: 42, numRuns: 60 },
    );
  });

  it('never has more than `limit` items in flight', async () => {
    let inFlight = 0;
    let peak = 0;
    await mapLimit(Array.from({ length: 30 }, (_, i) => i), 4, async (i) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await delay(i % 3);
      inFlight--;
      return i;
    });
    expect(peak).toBeLessThanOrEqual(4);
    expect(peak).toBeGreaterThan(1);
  });

  it('holds back a bounded window (not every item) behind a slow first item', async () => {
    let maxHeld = 0;
    let started = 0;
    let emitted = 0;
    await forEachOrdered(
      Array.from({ length: 40 }, (_, i) => i),
      3,
      async (i) => {
        started++;
        maxHeld = Math.max(maxHeld, started - emitted);
        await delay(i === 0 ? 30 : 0);
        return i;
      },
      () => void emitted++,
    );
    expect(emitted).toBe(40);
    // in flight (≤ limit) plus finished-but-held (≤ limit): bounded, not 40
    expect(maxHeld).toBeLessThanOrEqual(6);
  });
});
