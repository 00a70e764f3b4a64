/**
 * How soon V8 optimises (TurboFan) a hot function, for a dump: V8's default
 * budget (132 KB of bytecode run per function) is made for pages and servers that
 * live long enough to earn back the compile. A dump of 64 devices hit it in ~70
 * functions, and those compiles — on background threads, each with its own malloc
 * arena — were over a quarter of all the instructions the process ran and ~9 MB of
 * its peak RSS, for code that stopped running a few hundred milliseconds later; the
 * dump's wall time was ~10 % longer with them than without. With the budget
 * raised, only code that stays hot for much longer (a dump of hundreds of
 * devices) gets optimised. A one-device dump reaches neither budget. Other
 * commands keep V8's default: list and the like reach neither, and a flash
 * measured the same either way. Figures (npm run bench, callgrind) are in
 * README.md.
 *
 * Set after the CLI's code cache is loaded (V8 accepts a cache only under the
 * flags it was made with, and scripts/code-cache.mjs makes it under the
 * defaults). Only on the V8 this was measured on (Node 20's 11.x): other V8
 * versions tier differently, and one that no longer knows the flag would print
 * an error. node:v8 is loaded here, when asked: loading it costs every command
 * that does not need it ~2 ms.
 */
import { createRequire } from 'node:module';

/** Bytecode bytes a function runs before V8 considers optimising it (V8's default: 132 KB). */
const INTERRUPT_BUDGET = 500_000;

const setV8Flags = (flags: string) => (createRequire(import.meta.url)('node:v8') as typeof import('node:v8')).setFlagsFromString(flags);

/** Apply the dump's tiering budget; returns whether it did. ACCELCTL_V8_DEFAULT_TIERING=1 keeps V8's. */
export function tuneTieringForShortRuns({ v8Version = process.versions.v8, env = process.env, setFlags = setV8Flags } = {}): boolean {
  if (env.ACCELCTL_V8_DEFAULT_TIERING === '1' || !/^11\./.test(v8Version)) return false;
  setFlags(`--interrupt-budget=${INTERRUPT_BUDGET}`);
  return true;
}
