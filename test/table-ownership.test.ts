import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './architecture/import-graph.js';
import { foreignTableUses, migratedTables, tableOwners, tableUses, type TableUse } from './architecture/table-owners.js';

/**
 * One use of another domain's table that stays, and why. Each must be a read; a write to another
 * domain's table goes through that domain's face, always.
 */
const DELIBERATE: Record<string, string> = {
  'orders/order-writes.repository.ts: reads webhook_sequences, which webhooks/ owns':
    "the PUT hot path locks the order's webhook sequence row in the same round trip as the order itself (one statement, no second lock order to get wrong); webhooks/ writes the row",
};

/**
 * The rule of docs/architecture.md for data: a domain reads and writes only its own tables; the chain
 * and vendor rows (reference data) may be joined by anyone for reading; other domains' data comes
 * through their index.ts.
 */
describe('who touches which table', () => {
  const owners = tableOwners();
  const uses = tableUses(owners);

  it('knows the owner of every table the migrations create', () => {
    expect(migratedTables().filter((t) => !owners.has(t))).toEqual([]);
    expect([...owners.keys()].filter((t) => !migratedTables().includes(t))).toEqual([]);
  });

  it('finds the uses (Kysely calls and raw SQL)', () => {
    expect(uses.some((u) => u.file.startsWith('orders/') && u.table === 'orders' && u.write)).toBe(true);
    expect(uses.some((u) => u.file === 'webhooks/webhook-stats.repository.ts' && u.table === 'webhook_stats')).toBe(true);
  });

  it('has every domain keep to its own tables', () => {
    expect(foreignTableUses(owners, uses).filter((b) => !(b in DELIBERATE))).toEqual([]);
  });

  it('lists only deliberate exceptions that still exist', () => {
    const found = new Set(foreignTableUses(owners, uses));
    expect(Object.keys(DELIBERATE).filter((k) => !found.has(k))).toEqual([]);
  });

  it('catches a foreign write and a foreign read, and lets reference data be read', () => {
    const use = (file: string, table: string, write: boolean): TableUse => ({ file, table, write });
    expect(foreignTableUses(owners, [use('portal/x.ts', 'orders', false), use('demo/y.ts', 'api_tokens', true), use('orders/z.ts', 'vendors', false)])).toEqual([
      'demo/y.ts: writes api_tokens, which tokens/ owns',
      'portal/x.ts: reads orders, which orders/ owns',
    ]);
    expect(foreignTableUses(owners, [use('orders/z.ts', 'vendors', true)])).toEqual(['orders/z.ts: writes vendors, which vendors/ owns']);
  });

  it('reads the tables files it names', () => {
    expect(fs.existsSync(path.join(ROOT, 'src/db/tables/orders.ts'))).toBe(true);
    expect(owners.get('order_events')).toBe('orders');
    expect(owners.get('secret_keyring')).toBe('ops');
  });
});
