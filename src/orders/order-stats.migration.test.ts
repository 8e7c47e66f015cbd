import { Migrator, sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';
import { migrations } from '../db/migrations/index.js';
import { readyColumn } from '../db/migrations/0016_order_stats.js';
import { SecretBox, generateKeyText, parseKey } from '../platform/secret-box.js';
import { createTestDatabase, type TestDatabase } from '../test-support/test-db.js';
import { readyBucket } from './order-stats.repository.js';

/** Migration 0016 builds the rollup from the orders already stored (and their READY_FOR_PICKUP rows). */
describe('migration 0016_order_stats', () => {
  let tdb: TestDatabase;
  afterAll(async () => tdb?.drop());

  it('builds order_stats from existing orders and drops the day counters and the dashboard indexes', async () => {
    tdb = await createTestDatabase();
    const handle = openDatabase(tdb.config);
    const box = new SecretBox(parseKey(generateKeyText())!);
    const migrator = new Migrator({ db: handle.db, provider: { getMigrations: async () => migrations(handle.dialect, box) } });
    expect((await migrator.migrateTo('0015_promotion_caps')).error).toBeUndefined();
    const pg = handle.dialect === 'postgres';
    const at = '2026-02-01T00:00:00.000Z';
    await handle.db.insertInto('chains').values({ id: 'c1', name: 'Legacy', country_code: 'AR', currency: 'ARS', created_at: at } as never).execute();
    for (const v of ['v1', 'v2'])
      await handle.db
        .insertInto('vendors')
        .values({ id: v, chain_id: 'c1', code: `code-${v}`, external_id: null, name: v, integration_type: 'DIRECT_POS', is_test: pg ? false : 0, time_zone: 'UTC', currency: 'ARS', country_code: 'AR', locale: 'es_AR', created_at: at, updated_at: at } as never)
        .execute();
    const line = (status: string) => JSON.stringify([{ id: 'l1', sku: 'X', status }]);
    // [vendor, created_at, status, order_total, not found, seconds to READY_FOR_PICKUP]
    const orders: Array<[string, string, string, number, boolean, number | null]> = [
      ['v1', '2026-03-01T10:05:00.000Z', 'DELIVERED', 1000, false, 300],
      ['v1', '2026-03-01T10:59:59.999Z', 'CANCELLED', 2000, true, null],
      ['v1', '2026-03-01T11:00:00.000Z', 'READY_FOR_PICKUP', 3000, true, 29],
      ['v2', '2026-03-01T10:30:00.000Z', 'RECEIVED', 4000, false, null],
      ['v2', '2026-03-01T10:31:00.000Z', 'CANCELLED', 500, false, 50_000],
    ];
    let i = 0;
    for (const [vendor, created, status, total, nf, ready] of orders) {
      const id = `o${++i}`;
      await handle.db
        .insertInto('orders')
        .values({
          id, chain_id: 'c1', vendor_id: vendor, external_order_id: `E${i}`, order_code: 'C', status, transport_type: 'LOGISTICS_DELIVERY', order_type: 'DELIVERY', is_preorder: pg ? false : 0, is_test: pg ? false : 0,
          comment: '', promised_for: created, accepted_for: null, currency: 'ARS', payment_type: 'PAID', customer: '{}', lines: line(nf ? 'NOT_FOUND' : 'IN_CART'), fees: '[]', cancellation: null,
          sub_total: total, order_total: total, created_at: created, updated_at: created, created_by: 't', updated_by: 't', version: 1, event_sequence: 0, last_event_id: null, webhook_status: 'SENT', snapshot: '{}',
        } as never)
        .execute();
      if (ready !== null)
        await handle.db
          .insertInto('order_events')
          .values({ id: `e${i}`, order_id: id, version: 2, type: 'READY_FOR_PICKUP', status: 'READY_FOR_PICKUP', actor: 't', webhook: pg ? true : 1, details: '{}', created_at: new Date(Date.parse(created) + ready * 1000 + 250).toISOString() } as never)
          .execute();
    }

    expect(await migrateToLatest(handle, box)).toContain('0016_order_stats');
    const rows = (await sql<Record<string, unknown>>`select * from order_stats order by vendor_id, ${sql.ref('hour')}`.execute(handle.db)).rows.map((r) =>
      Object.fromEntries(Object.entries(r).filter(([, v]) => v !== 0 && v !== '0').map(([k, v]) => [k, k === 'vendor_id' || k === 'chain_id' ? v : Number(v)])),
    );
    const h10 = Date.parse('2026-03-01T10:00:00.000Z') / 3_600_000;
    expect(rows).toEqual([
      { vendor_id: 'v1', hour: h10, chain_id: 'c1', n: 2, n_delivered: 1, n_cancelled: 1, sales_minor: 1000, not_found: 1, [readyColumn(readyBucket(300))]: 1 },
      { vendor_id: 'v1', hour: h10 + 1, chain_id: 'c1', n: 1, n_ready_for_pickup: 1, sales_minor: 3000, not_found: 1, [readyColumn(0)]: 1 },
      { vendor_id: 'v2', hour: h10, chain_id: 'c1', n: 2, n_received: 1, n_cancelled: 1, sales_minor: 4000, [readyColumn(43)]: 1 },
    ]);
    // Gone: the day counters and the indexes nothing reads; the chain list's narrow index is back.
    const names = pg
      ? (await sql<{ name: string }>`select indexname as name from pg_indexes where schemaname = current_schema() union all select tablename from pg_tables where schemaname = current_schema()`.execute(handle.db)).rows.map((r) => r.name)
      : (await sql<{ name: string }>`select name from sqlite_master`.execute(handle.db)).rows.map((r) => r.name);
    for (const gone of ['order_day_counts', 'orders_dash_chain_idx', 'orders_dash_vendor_idx', 'orders_dash_chain_nf_idx', 'orders_dash_vendor_nf_idx', 'order_events_ready_idx']) expect(names).not.toContain(gone);
    expect(names).toContain('orders_chain_created_idx');
    await handle.close();
  });
});
