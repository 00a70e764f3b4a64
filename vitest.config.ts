import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };

export default defineConfig({
  define: { __ACCELCTL_VERSION__: JSON.stringify(pkg.version) },
  resolve: {
    alias: { 'accelctl/sdk': fileURLToPath(new URL('./src/sdk/index.ts', import.meta.url)) },
  },
  test: {
    include: ['test/**/*.test.ts'],
    // One scratch root per run, removed at the end (see the file).
    globalSetup: ['test/helpers/scratch-root.ts'],
    // e2e tests spawn bin/accelctl; the build runs once before them (npm test builds first).
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
