import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext } from '../src/bootstrap.js';
import { createLogger } from '../src/platform/logger.js';
import { seedChain, type ChainFixture } from '../src/test-support/fixtures.js';
import { seedCatalog } from '../src/test-support/order-fixtures.js';
import { runCli } from '../src/test-support/processes.js';
import { createTestDatabase, type TestDatabase } from '../src/test-support/test-db.js';

/** `comanda simulate` as a real child process against the test database. */
describe('comanda simulate (CLI)', () => {
  let tdb: TestDatabase;
  let a: ChainFixture;
  let env: Record<string, string | undefined>;

  beforeAll(async () => {
    tdb = await createTestDatabase();
    const ctx = await createContext(tdb.config, { log: createLogger({ logLevel: 'silent' }) });
    a = await seedChain(ctx, 'Simulate CLI');
    await seedCatalog(ctx, [a.direct]);
    await ctx.handle.close();
    env = { COMANDA_DATA_DIR: tdb.dataDir, DATABASE_URL: tdb.config.databaseUrl ?? '', LOG_LEVEL: 'warn' };
  });
  afterAll(async () => {
    await tdb.drop();
  });

  it('places orders at the given rate for the given duration and prints a JSON summary', async () => {
    const res = await runCli(['simulate', '--vendor', a.direct.code, '--rate', '20/s', '--duration', '1500ms', '--cancel-percent', '30'], env);
    expect(res.code, res.stderr).toBe(0);
    const summary = JSON.parse(res.stdout);
    expect(summary.vendor).toBe(a.direct.code);
    expect(summary.created).toBeGreaterThanOrEqual(20);
    expect(summary.created).toBeLessThanOrEqual(31);
    expect(summary.refused).toEqual({});
    const ctx = await createContext(tdb.config, { log: createLogger({ logLevel: 'silent' }), migrate: false });
    try {
      const rows = await ctx.db.selectFrom('orders').select(['status', 'lines']).where('vendor_id', '=', a.direct.id).execute();
      expect(rows).toHaveLength(summary.created);
      expect(rows.filter((r) => r.status === 'CANCELLED')).toHaveLength(summary.cancelled);
    } finally {
      await ctx.handle.close();
    }
  });

  it('refuses a bad rate with a clear message', async () => {
    const res = await runCli(['simulate', '--vendor', a.direct.code, '--rate', 'fast'], env);
    expect(res.code).not.toBe(0);
    expect(res.stderr).toContain('rate must look like');
  });
});
