// Bundle the CLI with esbuild: one entry, code-split so that commands, plugins and
// heavy modules load only when used (startup budget, DESIGN.md §6).
import { build } from 'esbuild';
import { readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
rmSync(`${root}/dist`, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: { accelctl: 'src/cli/main.ts', sdk: 'src/sdk/index.ts', manpages: 'src/cli/manpages.ts' },
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
  define: { __ACCELCTL_VERSION__: JSON.stringify(JSON.parse(readFileSync(`${root}/package.json`, 'utf8')).version) },
});
