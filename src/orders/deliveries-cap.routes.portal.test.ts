import { beforeAll, describe, expect, it } from 'vitest';
import { COUNT_CAP } from '../db/bounded-count.js';
import { seedDeliveries } from '../test-support/bulk-deliveries.js';
import { useTestApp } from '../test-support/test-app.js';
import { createEndpoint } from '../webhooks/endpoints.service.js';

interface Page {
  deliveries: Array<{ id: string; created_at: string }>;
  next_cursor: string | null;
  total_count: number;
  total_capped: boolean;
}

/** The portal's delivery log past COUNT_CAP: the total stops at 10,000 (capped), paging goes on to the last row. */
describe('portal delivery log with more than 10,000 deliveries', () => {
  const N = COUNT_CAP + 50;
  const s = useTestApp({ chains: { a: 'Cap A' }, logins: { admin: ['a', 'admin'] }, config: { webhookAllowedHosts: ['127.0.0.1'] } });
  let ids: string[] = [];
  let other = '';

  beforeAll(async () => {
    const ep = (await createEndpoint(s.ctx, s.a.chain.id, { url: 'http://127.0.0.1:9/hook', authorization: 'Basic dXNlcjpwYXNz', description: 'ERP' }, 'test')).endpoint.id;
    other = (await createEndpoint(s.ctx, s.a.chain.id, { url: 'http://127.0.0.1:9/other', authorization: 'Basic dXNlcjpwYXNz', description: 'BI' }, 'test')).endpoint.id;
    const started = Date.now();
    ids = await seedDeliveries(s.ctx, s.a.chain.id, ep, N);
    // Three of the other endpoint's, older than all of the first one's.
    await seedDeliveries(s.ctx, s.a.chain.id, other, 3, { endAt: new Date(Date.now() - (N + 10) * 1000) });
    expect(Date.now() - started, 'seeding 10,050 rows in bulk').toBeLessThan(20_000);
  });

  const list = async (query: string): Promise<Page> => {
    const res = await s.app.inject({ method: 'GET', url: `/portal/api/chains/${s.a.chain.id}/webhooks/deliveries?${query}`, headers: { cookie: s.admin.cookie } });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as Page;
  };
  const createdAt = (id: string) => s.ctx.db.selectFrom('webhook_deliveries').select('created_at').where('id', '=', id).executeTakeFirstOrThrow().then((r) => new Date(r.created_at).toISOString());

  it('says 10,000 and capped on the first page, newest first', async () => {
    const first = await list('');
    expect(first).toMatchObject({ total_count: COUNT_CAP, total_capped: true });
    expect(first.deliveries.map((d) => d.id)).toEqual(ids.slice(0, 50));
    expect(first.next_cursor).not.toBeNull();
  });

  it('pages through every row past the cap (the total stays capped on every page) to an empty next_cursor', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: Page = await list(`limit=200${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page).toMatchObject({ total_count: COUNT_CAP, total_capped: true });
      seen.push(...page.deliveries.map((d) => d.id));
      cursor = page.next_cursor;
      pages++;
    } while (cursor && pages < 200);
    expect(pages).toBe(Math.ceil((N + 3) / 200));
    expect(seen).toHaveLength(N + 3);
    expect(seen.slice(0, N)).toEqual(ids);
    expect(new Set(seen).size).toBe(N + 3);
  });

  it('counts exactly at and below the cap, and caps one above it, through the filters', async () => {
    // since = the 10,000th newest: exactly COUNT_CAP match, not capped.
    expect(await list(`since=${encodeURIComponent(await createdAt(ids[COUNT_CAP - 1]!))}`)).toMatchObject({ total_count: COUNT_CAP, total_capped: false });
    // One more: 10,001 match → still "10,000", now capped.
    expect(await list(`since=${encodeURIComponent(await createdAt(ids[COUNT_CAP]!))}`)).toMatchObject({ total_count: COUNT_CAP, total_capped: true });
    const recent = await list(`limit=20&since=${encodeURIComponent(await createdAt(ids[99]!))}`);
    expect(recent).toMatchObject({ total_count: 100, total_capped: false });
    expect(recent.deliveries.map((d) => d.id)).toEqual(ids.slice(0, 20));
    // The cursor of a filtered page keeps the filter: 100 rows in 5 pages.
    let cursor = recent.next_cursor;
    let rows = recent.deliveries.length;
    while (cursor) {
      const next = await list(`limit=20&since=${encodeURIComponent(await createdAt(ids[99]!))}&cursor=${cursor}`);
      expect(next).toMatchObject({ total_count: 100, total_capped: false });
      rows += next.deliveries.length;
      cursor = next.next_cursor;
    }
    expect(rows).toBe(100);
    expect(await list(`endpoint_id=${other}`)).toMatchObject({ total_count: 3, total_capped: false });
  });
});
