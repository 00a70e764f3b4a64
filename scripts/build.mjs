// Bundle the CLI with esbuild: one entry, code-split so that commands, plugins and
// heavy modules load only when used (startup budget, DESIGN.md §6).
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { build } from 'esbuild';
import { readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

// dist/accelctl.js is a tiny front door: a bare `--version`/`-V` is answered before
// commander and the command modules load (startup.version budget); anything else
// imports the CLI (src/cli/main.ts, bundled as dist/cli.js).
const frontDoor = {
  name: 'accelctl-front-door',
  setup(b) {
    b.onResolve({ filter: /^accelctl:front-door$/ }, () => ({ path: 'front-door', namespace: 'accelctl' }));
    b.onLoad({ filter: /.*/, namespace: 'accelctl' }, () => ({
      resolveDir: `${root}/src/cli`,
      loader: 'js',
      contents: `const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) process.stdout.write(__ACCELCTL_VERSION__ + '\\n');
else await import('./main.ts');`,
    }));
  },
};
rmSync(`${root}/dist`, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: { accelctl: 'accelctl:front-door', cli: 'src/cli/main.ts', sdk: 'src/sdk/index.ts', manpages: 'src/cli/manpages.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  alias: { 'accelctl/sdk': './src/sdk/index.ts' },
  sourcemap: 'linked',
  chunkNames: 'chunks/[name]-[hash]',
  logLevel: 'warning',
  plugins: [frontDoor],
  define: { __ACCELCTL_VERSION__: JSON.stringify(JSON.parse(readFileSync(`${root}/package.json`, 'utf8')).version) },
});

// Type declarations of accelctl/sdk, for plugin authors writing TypeScript.
execFileSync(process.execPath, [createRequire(import.meta.url).resolve('typescript/bin/tsc'), '-p', 'tsconfig.sdk.json'], { cwd: root, stdio: 'inherit' });
