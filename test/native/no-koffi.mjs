// NODE_OPTIONS="--import ./no-koffi.mjs": a Node where the FFI package cannot be
// resolved, as on a system where its prebuilt binary is missing.
import { register } from 'node:module';

const hooks = `export async function resolve(specifier, context, next) {
  if (specifier === 'koffi' || specifier.startsWith('koffi/')) {
    throw Object.assign(new Error("Cannot find package 'koffi' (hidden by no-koffi.mjs)"), { code: 'ERR_MODULE_NOT_FOUND' });
  }
  return next(specifier, context);
}`;
register(`data:text/javascript,${encodeURIComponent(hooks)}`);
