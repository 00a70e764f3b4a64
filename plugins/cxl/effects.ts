/**
 * Set Feature effects (include/uapi/cxl/features.h, CXL r3.2 Table 8-87) and the
 * scope a Set Feature needs, as drivers/cxl/core/features.c
 * cxlctl_validate_set_features() decides it.
 */
import { Scope } from 'accelctl/sdk';

export const Effect = {
  CONFIG_CHANGE_COLD_RESET: 1 << 0,
  CONFIG_CHANGE_IMMEDIATE: 1 << 1,
  DATA_CHANGE_IMMEDIATE: 1 << 2,
  POLICY_CHANGE_IMMEDIATE: 1 << 3,
  LOG_CHANGE_IMMEDIATE: 1 << 4,
  SECURITY_STATE_CHANGE: 1 << 5,
  BACKGROUND: 1 << 6,
  BGCMD_ABORT_SUPPORTED: 1 << 7,
  EFFECTS_VALID: 1 << 9,
  CONFIG_CHANGE_CONV_RESET: 1 << 10,
  CONFIG_CHANGE_CXL_RESET: 1 << 11,
} as const;

/** GENMASK(15, 12): bits the driver does not comprehend. */
export const EFFECTS_RESERVED = 0xf000;

const NAMES: readonly [number, string][] = [
  [Effect.CONFIG_CHANGE_COLD_RESET, 'config-change-after-cold-reset'],
  [Effect.CONFIG_CHANGE_IMMEDIATE, 'config-change-immediate'],
  [Effect.DATA_CHANGE_IMMEDIATE, 'data-change-immediate'],
  [Effect.POLICY_CHANGE_IMMEDIATE, 'policy-change-immediate'],
  [Effect.LOG_CHANGE_IMMEDIATE, 'log-change-immediate'],
  [Effect.SECURITY_STATE_CHANGE, 'security-state-change'],
  [Effect.BACKGROUND, 'background-operation'],
  [Effect.BGCMD_ABORT_SUPPORTED, 'background-abort-supported'],
  [Effect.EFFECTS_VALID, 'effects-valid'],
  [Effect.CONFIG_CHANGE_CONV_RESET, 'config-change-after-conventional-reset'],
  [Effect.CONFIG_CHANGE_CXL_RESET, 'config-change-after-cxl-reset'],
];

/** Names of the set bits; unnamed bits (8, 12..15) appear as `reserved-bit-N`. */
export function decodeEffects(effects: number): string[] {
  const out: string[] = [];
  let known = 0;
  for (const [bit, name] of NAMES) {
    known |= bit;
    if (effects & bit) out.push(name);
  }
  for (let bit = 0; bit < 16; bit++) {
    if (effects & (1 << bit) && !(known & (1 << bit))) out.push(`reserved-bit-${bit}`);
  }
  return out;
}

const IMMEDIATE_MASK = Effect.CONFIG_CHANGE_IMMEDIATE | Effect.DATA_CHANGE_IMMEDIATE | Effect.POLICY_CHANGE_IMMEDIATE | Effect.LOG_CHANGE_IMMEDIATE;
const RESET_MASK = Effect.CONFIG_CHANGE_COLD_RESET | Effect.CONFIG_CHANGE_CONV_RESET | Effect.CONFIG_CHANGE_CXL_RESET;

export type EffectsVerdict =
  | { ok: true; scope: typeof Scope.DEBUG_WRITE | typeof Scope.DEBUG_WRITE_FULL }
  | { ok: false; reason: 'reserved-effects' | 'background' | 'no-effects' };

/**
 * The minimum scope for a Set Feature with these effects. The driver refuses
 * reserved bits (12..15), background operations, and a feature that claims no
 * immediate and no reset effect ("the hardware has a bug"). Bit 8 is not in
 * the reserved mask and the driver ignores it, as do we.
 */
export function setFeatureScope(effects: number): EffectsVerdict {
  if (effects & EFFECTS_RESERVED) return { ok: false, reason: 'reserved-effects' };
  if (effects & Effect.BACKGROUND) return { ok: false, reason: 'background' };
  if (effects & IMMEDIATE_MASK) return { ok: true, scope: Scope.DEBUG_WRITE_FULL };
  if (effects & RESET_MASK) return { ok: true, scope: Scope.DEBUG_WRITE };
  return { ok: false, reason: 'no-effects' };
}
