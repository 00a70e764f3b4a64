/**
 * accelctl plugin SDK: the only module a plugin imports (`accelctl/sdk`).
 */
export { z } from 'zod';
export { AccelError, isAccelError, malformedReply, usageError, type ErrorCode } from '../core/errors';
export {
  Scope,
  SCOPE_NAMES,
  RPC_CLASSES,
  scopeName,
  scopeFromName,
  classAllowsScope,
  type Classification,
  type RpcClass,
  type ScopeName,
} from '../core/scope';
export * from './layout';
export * from './hex';
export * from './view';
export * from './plugin';
export * from './capabilities';
export { simErrno } from './sim-errno';
export { crc32 } from './checksum';
