/**
 * Build the native test helpers with the system C compiler ($CC, else cc/gcc/clang)
 * into a temp dir, once per test process: the LD_PRELOAD shim and the struct
 * layout probe. Without a compiler the native tests skip, saying why.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));

export interface NativeBuild {
  /** Path of fwctl-shim.so, or undefined when it could not be built. */
  shim: string | undefined;
  /** Path of the fwctl-layout executable. */
  layout: string | undefined;
  /** Why the native tests are skipped. */
  skip: string | undefined;
  ms: number;
}

function findCompiler(): string | undefined {
  for (const cc of [process.env.CC, 'cc', 'gcc', 'clang']) {
    if (!cc) continue;
    try {
      execFileSync(cc, ['--version'], { stdio: 'ignore' });
      return cc;
    } catch {
      // try the next one
    }
  }
  return undefined;
}

let cached: NativeBuild | undefined;

export function buildNative(): NativeBuild {
  if (cached) return cached;
  const started = performance.now();
  if (process.platform !== 'linux') {
    cached = { shim: undefined, layout: undefined, skip: `LD_PRELOAD shim needs Linux (this is ${process.platform})`, ms: 0 };
    return cached;
  }
  const cc = findCompiler();
  if (!cc) {
    cached = { shim: undefined, layout: undefined, skip: 'no C compiler (set CC, or install gcc/clang) — native transport tests skipped', ms: 0 };
    return cached;
  }
  const out = mkdtempSync(join(tmpdir(), 'accelctl-native-'));
  const shim = join(out, 'fwctl-shim.so');
  const layout = join(out, 'fwctl-layout');
  execFileSync(cc, ['-shared', '-fPIC', '-O2', '-Wall', '-o', shim, join(here, 'fwctl-shim.c'), '-ldl', '-lpthread'], { stdio: 'pipe' });
  execFileSync(cc, ['-O0', '-Wall', '-o', layout, join(here, 'fwctl-layout.c')], { stdio: 'pipe' });
  cached = { shim, layout, skip: undefined, ms: performance.now() - started };
  return cached;
}
