import { sql } from 'kysely';
import pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { bearer, operatorKey } from '../test-support/fixtures.js';
import { placeOrderVia, seedCatalog } from '../test-support/order-fixtures.js';
import { useTestApp } from '../test-support/test-app.js';
import { FAST_WEBHOOKS, useWebhooks } from '../test-support/webhooks.js';
import { drainWebhooks } from '../webhooks/drain.js';
import { WebhookDispatcher } from '../webhooks/dispatcher.js';
import { deliveryBody } from '../webhooks/events.js';

/**
 * What one order change writes, read back from the database: the outbox body is the snapshot of that
 * moment (one serialisation for both), the dispatcher sends that moment's body after later changes,
 * and a change whose writes fail leaves none of them behind (the writes go to the database together).
 */
describe('PUT order: the writes of one change', () => {
  const s = useTestApp({ chains: { a: 'Put writes' }, config: FAST_WEBHOOKS });
  let op: string;

  beforeAll(async () => {
    op = await operatorKey(s.ctx);
    await seedCatalog(s.ctx, [s.a.direct]);
  });
  const w = useWebhooks(s, { endpointFor: () => s.a.chain.id, dispatcher: 'none' });

  const order = () => placeOrderVia(s.app, op, s.a.direct, [{ sku: 'LECHE-1L', quantity: 2 }, { sku: 'PAN-LACTAL', quantity: 1 }]);
  const put = (id: string, body: object) => s.app.inject({ method: 'PUT', url: `/v2/chains/${s.a.chain.id}/orders/${id}`, headers: bearer(s.a.token), payload: { order_id: id, ...body } });
  const snapshot = async (id: string) => (await s.ctx.db.selectFrom('orders').select(['snapshot', 'status', 'version', 'event_sequence', 'last_event_id']).where('id', '=', id).executeTakeFirstOrThrow());
  const events = (id: string) => s.ctx.db.selectFrom('webhook_events').select(['id', 'type', 'sequence', 'body']).where('order_key', '=', id).orderBy('sequence').execute();

  async function writesOf(id: string) {
    const count = async (table: 'webhook_events' | 'webhook_deliveries', column: 'order_key') => Number((await s.ctx.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).where(column, '=', id).executeTakeFirstOrThrow()).n);
    return {
      order: await snapshot(id),
      events: await count('webhook_events', 'order_key'),
      deliveries: await count('webhook_deliveries', 'order_key'),
      timeline: Number((await s.ctx.db.selectFrom('order_events').select((eb) => eb.fn.countAll().as('n')).where('order_id', '=', id).executeTakeFirstOrThrow()).n),
      sequence: (await s.ctx.db.selectFrom('webhook_sequences').select('last_sequence').where('order_key', '=', id).executeTakeFirst())?.last_sequence,
      stats: (await s.ctx.db.selectFrom('order_stats').selectAll().where('vendor_id', '=', s.a.direct.id).orderBy('hour').execute()).map((r) => JSON.stringify(r)),
    };
  }

  it('the outbox body of each change, with the order sequence in it, is the snapshot and the answer of that moment', async () => {
    const o = await order();
    const res = await put(o.order_id, { status: 'READY_FOR_PICKUP', items: [{ _id: o.items[0]._id, status: 'IN_CART', pricing: { quantity: 1 } }] });
    expect(res.statusCode).toBe(200);
    const stored = await snapshot(o.order_id);
    const [received, ready] = await events(o.order_id);
    expect([received!.type, ready!.type]).toEqual(['RECEIVED', 'READY_FOR_PICKUP']);
    // Byte for byte: the stored body (sequence slot null) with the order's sequence is the snapshot and the PUT answer.
    expect(deliveryBody(ready!.body, Number(ready!.sequence))).toBe(stored.snapshot);
    expect(res.body).toBe(stored.snapshot);
    expect(JSON.parse(ready!.body).sys).toMatchObject({ event_id: ready!.id, sequence: null });
    expect(stored.last_event_id).toBe(ready!.id);
    expect(Number(stored.event_sequence)).toBe(Number(ready!.sequence));

    // A cancellation (a key the object carries only then) keeps the same identity.
    const c = await order();
    const cancelled = await put(c.order_id, { status: 'CANCELLED', cancellation: { reason: 'ITEM_UNAVAILABLE' } });
    expect(cancelled.statusCode).toBe(200);
    const cev = (await events(c.order_id)).at(-1)!;
    expect(cev.type).toBe('CANCELLED');
    expect(deliveryBody(cev.body, Number(cev.sequence))).toBe((await snapshot(c.order_id)).snapshot);
    expect(cancelled.json().cancellation).toMatchObject({ reason: 'ITEM_UNAVAILABLE' });
  });

  it('the dispatcher sends the body of the moment of each event, after later changes rewrote the snapshot', async () => {
    const o = await order();
    const ready = await put(o.order_id, { status: 'READY_FOR_PICKUP' });
    expect(ready.statusCode).toBe(200);
    const dispatched = await s.app.inject({ method: 'POST', url: `/platform/v1/orders/${o.order_id}/dispatch`, headers: bearer(op) });
    expect(dispatched.statusCode).toBe(200);
    const dispatcher = new WebhookDispatcher(s.ctx);
    await dispatcher.start();
    try {
      await w.receiver.waitFor(3, { filter: (r) => r.orderId === o.order_id });
      await drainWebhooks(s.ctx, { chainId: s.a.chain.id });
    } finally {
      await dispatcher.stop();
    }
    const got = w.receiver.forOrder(o.order_id).map((r) => r.json as { status: string; sys: { sequence: number } });
    expect(got.map((j) => [j.status, j.sys.sequence])).toEqual([['RECEIVED', 1], ['READY_FOR_PICKUP', 2], ['DISPATCHED', 3]]);
    // One endpoint gets every event, so its sequence is the order's: the body is the PUT answer as it was.
    expect(got[1]).toEqual(ready.json());
    expect((await snapshot(o.order_id)).status).toBe('DISPATCHED');
  });

  it('a change whose writes fail leaves nothing behind: order row, outbox, sequence, timeline and hourly rollup as they were', async () => {
    const o = await order();
    const before = await writesOf(o.order_id);
    // A real failure inside the change: the timeline insert of this one order is refused by the database.
    if (s.ctx.dialect === 'postgres') {
      await sql`create or replace function put_writes_refuse() returns trigger language plpgsql as ${sql.lit("begin raise exception 'refused by test'; end")}`.execute(s.ctx.db);
      await sql`create trigger put_writes_refuse before insert on order_events for each row when (new.order_id = ${sql.lit(o.order_id)}) execute function put_writes_refuse()`.execute(s.ctx.db);
    } else {
      await sql`create trigger put_writes_refuse before insert on order_events when new.order_id = ${sql.lit(o.order_id)} begin select raise(abort, 'refused by test'); end`.execute(s.ctx.db);
    }
    try {
      const res = await put(o.order_id, { status: 'READY_FOR_PICKUP' });
      expect(res.statusCode).toBe(500);
      expect(await writesOf(o.order_id)).toEqual(before);
    } finally {
      await sql`drop trigger put_writes_refuse${s.ctx.dialect === 'postgres' ? sql` on order_events` : sql``}`.execute(s.ctx.db);
    }
    const ok = await put(o.order_id, { status: 'READY_FOR_PICKUP' });
    expect(ok.statusCode).toBe(200);
    const after = await writesOf(o.order_id);
    expect([after.order.status, after.order.version, after.events, after.deliveries, after.timeline, Number(after.sequence)]).toEqual([
      'READY_FOR_PICKUP', before.order.version + 1, before.events + 1, before.deliveries + 1, before.timeline + 1, Number(before.sequence) + 1,
    ]);
    expect(after.stats).not.toEqual(before.stats);
  });

  it.runIf(process.env.COMANDA_TEST_DB === 'postgres')('Postgres: a PUT waits for a promotion holding the order\'s sequence lock and sees what it committed', async () => {
    const o = await order();
    const [received] = await s.ctx.db.selectFrom('webhook_deliveries').select(['id', 'status']).where('order_key', '=', o.order_id).execute();
    expect(received!.status).toBe('pending');
    // Another transaction, as the dispatcher's recordAttempts + promotion: the sequence row locked, the open delivery finished.
    const other = new pg.Client({ connectionString: s.ctx.config.databaseUrl });
    await other.connect();
    try {
      await other.query('begin');
      await other.query('select 1 from webhook_sequences where chain_id = $1 and order_key = $2 for update', [s.a.chain.id, o.order_id]);
      await other.query(`update webhook_deliveries set status = 'succeeded' where id = $1`, [received!.id]);
      let settled = false;
      const pending = put(o.order_id, { status: 'READY_FOR_PICKUP' }).finally(() => (settled = true));
      await new Promise((r) => setTimeout(r, 400));
      expect(settled).toBe(false);
      await other.query('commit');
      expect((await pending).statusCode).toBe(200);
    } finally {
      await other.end();
    }
    // Nothing open any more when it read the endpoints: its delivery is due now, not waiting behind a finished one.
    const rows = await s.ctx.db.selectFrom('webhook_deliveries').select(['event_type', 'status', 'sequence']).where('order_key', '=', o.order_id).orderBy('sequence').execute();
    expect(rows.map((r) => [r.event_type, r.status, Number(r.sequence)])).toEqual([['RECEIVED', 'succeeded', 1], ['READY_FOR_PICKUP', 'pending', 2]]);
  });
});
