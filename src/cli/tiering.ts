/**
 * How soon V8 optimises (TurboFan) a hot function, for a process that lives well
 * under a second: V8's default budget (132 KB of bytecode run per function) is
 * made for pages and servers that live long enough to earn back the compile. An
 * accelctl dump of 64 devices hit it in ~70 functions, and those compiles —
 * on background threads, each with its own malloc arena — were a fifth of all
 * the instructions the process ran and ~12 MB of its peak RSS, for code that
 * stopped running a few hundred milliseconds later. With the budget raised,
 * only code that stays hot in a long command (a large dump, a flash, a metrics
 * loop) gets optimised. Figures (npm run bench, callgrind) are in README.md.
 *
 * Set after the CLI's code cache is loaded: V8 checks that a cache was made
 * under the same flags, and scripts/code-cache.mjs makes it under the defaults.
 * Only on the V8 this was measured on (Node 20's 11.x): other V8 versions tier
 * differently, and one that no longer knows the flag would print an error.
 */
import { setFlagsFromString } from 'node:v8';

/** Bytecode bytes a function runs before V8 considers optimising it (V8's default: 132 KB). */
export const INTERRUPT_BUDGET = 500_000;

/** Apply the CLI's tiering budget; returns whether it did. ACCELCTL_V8_DEFAULT_TIERING=1 keeps V8's. */
export function tuneTieringForShortRuns(v8Version = process.versions.v8, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.ACCELCTL_V8_DEFAULT_TIERING === '1' || !/^11\./.test(v8Version)) return false;
  setFlagsFromString(`--interrupt-budget=${INTERRUPT_BUDGET}`);
  return true;
}
