/**
 * How hard the hardening properties push: bounded runs with a fixed seed in the
 * normal `npm test`, many more with `npm run fuzz` (ACCELCTL_FUZZ_RUNS, and
 * ACCELCTL_FUZZ_SEED to replay a failure fast-check reported).
 */
export const FUZZING = process.env.ACCELCTL_FUZZ_RUNS !== undefined;
export const SEED = Number(process.env.ACCELCTL_FUZZ_SEED ?? 0x5eed11);

/** numRuns for a property: `normal` in npm test, scaled up under npm run fuzz. */
export function runs(normal: number): number {
  const fuzz = Number(process.env.ACCELCTL_FUZZ_RUNS);
  return FUZZING && Number.isFinite(fuzz) && fuzz > 0 ? Math.max(normal, Math.round((normal * fuzz) / 100)) : normal;
}

export const params = (normal: number) => ({ seed: SEED, numRuns: runs(normal), endOnFailure: true });
