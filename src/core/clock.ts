/**
 * Milliseconds on a monotonic clock, for durations. Not performance.now(): the
 * first use of the `performance` global loads perf_hooks and ten internal modules
 * of Node, a cost every command paid at start-up.
 */
export function monotonicMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}
