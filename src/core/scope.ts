/**
 * fwctl RPC scopes (include/uapi/fwctl/fwctl.h `enum fwctl_rpc_scope`) and the
 * three accelctl classes built on them (DESIGN.md §2).
 */

export const Scope = {
  CONFIGURATION: 0,
  DEBUG_READ_ONLY: 1,
  DEBUG_WRITE: 2,
  DEBUG_WRITE_FULL: 3,
} as const;

export type Scope = (typeof Scope)[keyof typeof Scope];

export const SCOPE_NAMES = ['configuration', 'debug_read_only', 'debug_write', 'debug_write_full'] as const;
export type ScopeName = (typeof SCOPE_NAMES)[number];

export function scopeName(scope: Scope): ScopeName {
  return SCOPE_NAMES[scope] as ScopeName;
}

export function scopeFromName(name: ScopeName): Scope {
  return SCOPE_NAMES.indexOf(name) as Scope;
}

export function isScope(value: number): value is Scope {
  return Number.isInteger(value) && value >= 0 && value <= 3;
}

/** Scopes at or above DEBUG_WRITE taint the kernel (TAINT_FWCTL) when requested. */
export function scopeTaints(scope: Scope): boolean {
  return scope >= Scope.DEBUG_WRITE;
}

export const RPC_CLASSES = ['inspect', 'configure', 'mutate-debug'] as const;
export type RpcClass = (typeof RPC_CLASSES)[number];

/**
 * What a plugin's classifier says about one request: the class, the minimum scope
 * the kernel driver accepts for it, and a name for humans ("QUERY_HCA_CAP").
 */
export interface Classification {
  rpcClass: RpcClass;
  scope: Scope;
  name: string;
}

/**
 * The scopes each class may use. A classification outside this table is a plugin
 * bug: an "inspect" that needs DEBUG_WRITE would taint the kernel.
 */
const CLASS_SCOPES: Record<RpcClass, readonly Scope[]> = {
  inspect: [Scope.CONFIGURATION, Scope.DEBUG_READ_ONLY],
  configure: [Scope.CONFIGURATION],
  'mutate-debug': [Scope.DEBUG_WRITE, Scope.DEBUG_WRITE_FULL],
};

export function classAllowsScope(rpcClass: RpcClass, scope: Scope): boolean {
  return CLASS_SCOPES[rpcClass].includes(scope);
}
