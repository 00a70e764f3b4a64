import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    alias: { 'accelctl/sdk': fileURLToPath(new URL('./src/sdk/index.ts', import.meta.url)) },
  },
  test: {
    include: ['test/**/*.test.ts'],
    // e2e tests spawn bin/accelctl; the build runs once before them (npm test builds first).
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
