import { fileURLToPath } from 'node:url';
import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  // The examples import the SDK by its package name; the tests run it from source (no build needed).
  resolve: { alias: { '@comanda/partner-sdk': fileURLToPath(new URL('./packages/partner-sdk/src/index.ts', import.meta.url)) } },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'web/src/**/*.test.ts', 'packages/*/test/**/*.test.ts', 'examples/*/test/**/*.test.ts'],
    // Fault tests stop and restart a database server: they run alone, after the suite (vitest.faults.config.ts).
    exclude: [...configDefaults.exclude, 'test/faults/**'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ['default'],
  },
});
