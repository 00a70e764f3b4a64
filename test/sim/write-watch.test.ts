/**
 * watchWrites: the simulated kernel's way to tell a reading RPC from a writing one.
 * Every kind of write at any depth is noticed and lands in the original objects;
 * reading, however deep, is not a write.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { watchWrites } from '../../src/sim/write-watch';

const sample = () => ({ a: 1, nested: { list: [1, 2, { deep: 'x' }], map: { k: true } } as Record<string, any> });

describe('watchWrites', () => {
  it('reads, however deep, are not writes', () => {
    const state = sample();
    const { view, changed } = watchWrites(state);
    expect(view.nested.list[2].deep).toBe('x');
    expect(JSON.stringify(view)).toBe(JSON.stringify(state));
    expect(Object.keys(view.nested.map)).toEqual(['k']);
    expect(view.nested.list.map((v: unknown) => typeof v)).toEqual(['number', 'number', 'object']);
    expect(view.nested).toBe(view.nested); // one view per object
    expect(changed()).toBe(false);
  });

  it.each([
    ['set a field', (v: any) => (v.a = 2)],
    ['set a deep field', (v: any) => (v.nested.list[2].deep = 'y')],
    ['add a field', (v: any) => (v.nested.map.extra = 1)],
    ['delete a field', (v: any) => delete v.nested.map.k],
    ['push to an array', (v: any) => v.nested.list.push(3)],
    ['splice an array', (v: any) => v.nested.list.splice(0, 1)],
    ['Object.assign', (v: any) => Object.assign(v.nested.map, { k: false })],
    ['defineProperty', (v: any) => Object.defineProperty(v, 'b', { value: 1, enumerable: true, configurable: true, writable: true })],
  ])('notices: %s, and the write lands in the original', (_name, write) => {
    const state = sample();
    const expected = sample();
    write(expected);
    const { view, changed } = watchWrites(state);
    write(view);
    expect(changed()).toBe(true);
    expect(JSON.stringify(state)).toBe(JSON.stringify(expected));
  });

  it('a watch counts the writes made after it began, not an earlier watch\'s', () => {
    const state = sample();
    const first = watchWrites(state);
    first.view.a = 5;
    const second = watchWrites(state);
    expect(first.changed()).toBe(true);
    expect(second.changed()).toBe(false);
    expect(second.view.nested.list[0]).toBe(1);
    expect(second.changed()).toBe(false);
    second.view.nested.map.k = false;
    expect(second.changed()).toBe(true);
  });

  it('changed() is true exactly when the JSON of the state changed or something was assigned', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom('a', 'b', 'c'), fc.integer({ min: 0, max: 3 }), fc.boolean())), (ops) => {
        const state: Record<string, number[]> = { a: [0, 1, 2, 3], b: [0, 1, 2, 3], c: [0, 1, 2, 3] };
        const { view, changed } = watchWrites(state);
        let wrote = false;
        for (const [key, index, write] of ops) {
          if (write) {
            view[key]![index] = view[key]![index]! + 1;
            wrote = true;
          } else void view[key]![index];
        }
        expect(changed()).toBe(wrote);
      }),
      { seed: 11, numRuns: 200 },
    );
  });
});
