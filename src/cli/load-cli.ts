/**
 * Loads the CLI bundle (dist/cli.cjs) with V8's code cache.
 *
 * Start-up is the budget of every command (DESIGN.md §6) and most of it used to go
 * to parsing and compiling the bundle. Node 22 caches compiled code itself
 * (module.enableCompileCache); Node 20 has only the primitive, vm.Script's
 * `cachedData`, for scripts. So the CLI is bundled as one CommonJS script and
 * `npm run build` runs it once on a simulated fleet and stores the compiled code
 * next to it (dist/cli.cjs.cache, scripts/code-cache.mjs). Nothing is written at
 * run time: an install directory is not ours to write, and a cache somewhere
 * writable by others would be code we execute.
 *
 * V8 refuses a cache made by another V8 version or with other flags (the script
 * then compiles as usual, only slower). V8 itself checks only the source's
 * length, so the header also ties the cache to this exact build: the build writes
 * a hash of the bundle into its first line (not its mtime: npm resets those).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { Script } from 'node:vm';
import { HOST_IMPORT } from '../core/external-import';

export interface CliModule {
  main(args: readonly string[]): Promise<number>;
}

export interface LoadedCli {
  cli: CliModule;
  script: Script;
  /** Whether compiled code came from the cache (false: none, another build's, or refused by V8). */
  cached: boolean;
}

/** The first line of dist/cli.cjs: `/* accelctl-build <sha256> *\/`. */
const BUILD_LINE = /^\/\* accelctl-build ([0-9a-f]{64}) \*\//;

const UNNAMED_BUILD = 'unknown';

/** The cache file's header for this bundle: `accelctl-code-cache v1 <build>\n`, then V8's bytes. */
export function cacheHeader(source: string): string {
  return `accelctl-code-cache v1 ${BUILD_LINE.exec(source)?.[1] ?? UNNAMED_BUILD}\n`;
}

function readCache(source: string, cachePath: string): Buffer | undefined {
  const header = cacheHeader(source);
  // A bundle that names no build has no cache of its own.
  if (header.endsWith(` ${UNNAMED_BUILD}\n`)) return undefined;
  let bytes: Buffer;
  try {
    bytes = readFileSync(cachePath);
  } catch {
    return undefined;
  }
  return bytes.subarray(0, header.length).toString('latin1') === header ? bytes.subarray(header.length) : undefined;
}

/** Compile and run the CommonJS bundle at `sourcePath` the way Node's loader would, with the cache when it fits. */
export function loadCli(sourcePath: string, hostImport: (specifier: string) => Promise<unknown>, cachePath = `${sourcePath}.cache`): LoadedCli {
  (globalThis as Record<symbol, unknown>)[HOST_IMPORT] = hostImport;
  // ASCII (checked by the build): latin1 is the cheapest way to read it.
  const source = readFileSync(sourcePath, 'latin1');
  const cachedData = readCache(source, cachePath);
  // The file is already the module wrapper function (scripts/build.mjs).
  const script = new Script(source, {
    filename: sourcePath,
    cachedData,
    // No importModuleDynamically: Node 20 drops it for a script from the cache, so the
    // bundle imports outside modules through the host's import() (core/external-import.ts).
  });
  const module = { exports: {} as Record<string, unknown> };
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
  wrapper.call(module.exports, module.exports, createRequire(sourcePath), module, sourcePath, dirname(sourcePath));
  return { cli: module.exports as unknown as CliModule, script, cached: cachedData !== undefined && !script.cachedDataRejected };
}
