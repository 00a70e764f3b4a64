// Bundle the CLI with esbuild: one entry, code-split so that commands, plugins and
// heavy modules load only when used (startup budget, DESIGN.md §6).
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { build } from 'esbuild';
import { readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname } from 'node:path';

const root = fileURLToPath(new URL('..', import.meta.url));

// zod's classic API re-exports every one of its ~45 message locales (more than half
// of zod's code, compiled at every start-up); accelctl and its plugins use the
// default English messages only, so the bundle carries `en` alone.
const zodEnglishOnly = {
  name: 'accelctl-zod-english-only',
  setup(b) {
    b.onLoad({ filter: /[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/ }, (args) => ({
      resolveDir: dirname(args.path),
      loader: 'js',
      contents: "export { default as en } from './en.js';",
    }));
  },
};
rmSync(`${root}/dist`, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: { accelctl: 'src/cli/entry.ts', cli: 'src/cli/main.ts', sdk: 'src/sdk/index.ts', manpages: 'src/cli/manpages.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Dependencies are bundled too (except koffi, a native module): resolving and
  // compiling ~120 separate files of node_modules (zod alone is ~95) cost more
  // start-up time than all of accelctl's own code (startup.list budget).
  external: ['koffi'],
  // CommonJS dependencies (commander, cli-table3, …) call require() for Node built-ins.
  banner: { js: "import { createRequire as __accelctlCreateRequire } from 'node:module'; const require = __accelctlCreateRequire(import.meta.url);" },
  // Less text to parse at every start; names stay readable in stack traces.
  minifyWhitespace: true,
  minifySyntax: true,
  alias: { 'accelctl/sdk': './src/sdk/index.ts' },
  sourcemap: 'linked',
  chunkNames: 'chunks/[name]-[hash]',
  logLevel: 'warning',
  plugins: [zodEnglishOnly],
  define: { __ACCELCTL_VERSION__: JSON.stringify(JSON.parse(readFileSync(`${root}/package.json`, 'utf8')).version) },
});

// Type declarations of accelctl/sdk, for plugin authors writing TypeScript.
execFileSync(process.execPath, [createRequire(import.meta.url).resolve('typescript/bin/tsc'), '-p', 'tsconfig.sdk.json'], { cwd: root, stdio: 'inherit' });
