/**
 * import() of a module outside accelctl's own bundle: out-of-tree plugins, koffi,
 * Node built-ins loaded late.
 *
 * The CLI bundle runs as a vm.Script with V8's code cache (src/cli/load-cli.ts),
 * and Node 20 loses a cached script's dynamic-import hook ("A dynamic import
 * callback was not specified"). So the front door, an ordinary module, lends its
 * own import() under HOST_IMPORT, and every import() of a module that is not
 * bundled goes through here (scripts/build.mjs refuses a bundle with another).
 * Without a front door (tests importing the sources) the module's own import() serves.
 */
export const HOST_IMPORT = Symbol.for('accelctl.import/v1');

type Importer = (specifier: string) => Promise<unknown>;

export function importExternal<T = unknown>(specifier: string): Promise<T> {
  const host = (globalThis as Record<symbol, unknown>)[HOST_IMPORT] as Importer | undefined;
  return (host ? host(specifier) : import(/* @vite-ignore */ specifier)) as Promise<T>;
}
