/**
 * The faults a simulated device can be told to have (`accelctl sim fault`), in a
 * module of their own: the command line lists them without loading the state
 * schema (state-store.ts), which validates them.
 */
export const FAULT_KINDS = ['hang', 'garbage', 'gone', 'fw-error', 'health-error', 'power-loss'] as const;

export type Fault = (typeof FAULT_KINDS)[number];
