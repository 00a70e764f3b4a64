/**
 * Bounded parallelism: run `fn` over items with at most `limit` in flight, and
 * hand each result to `onResult` in input order as soon as it and every result
 * before it are done — so callers can stream output while memory stays bounded
 * by the window, not by the number of items.
 */
export async function forEachOrdered<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
  onResult: (result: R, index: number) => void | Promise<void>,
): Promise<void> {
  const done = new Map<number, R>();
  let next = 0;
  let emitted = 0;
  let emitting = Promise.resolve();
  let waiters: (() => void)[] = [];

  const emitReady = async (): Promise<void> => {
    while (done.has(emitted)) {
      const result = done.get(emitted)!;
      done.delete(emitted);
      await onResult(result, emitted);
      emitted++;
    }
    const wake = waiters;
    waiters = [];
    for (const resolve of wake) resolve();
  };

  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      done.set(index, await fn(items[index]!, index));
      emitting = emitting.then(emitReady);
      await emitting;
      // Keep the window bounded: while too many results wait on an earlier, slower
      // item, start nothing new until that one is emitted.
      while (done.size >= limit) await new Promise<void>((resolve) => waiters.push(resolve));
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  await emitting;
}

/** Results in input order, at most `limit` at a time. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  await forEachOrdered(items, limit, fn, (result, index) => {
    results[index] = result;
  });
  return results;
}
