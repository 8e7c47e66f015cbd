import { sql } from 'kysely';
import type { Dialect, Executor } from '../db/database.js';
import { num } from '../db/rows.js';

const DAY_MS = 86_400_000;

/** UTC day of an ISO time. */
export const dayOf = (isoTime: string): string => isoTime.slice(0, 10);

/** +1 for a new order or the status it moved to, −1 for the status it left (same transaction as the order write). */
export async function bumpDayCount(db: Executor, vendorId: string, createdAt: string, status: string, delta: 1 | -1): Promise<void> {
  await db
    .insertInto('order_day_counts')
    .values({ vendor_id: vendorId, day: dayOf(createdAt), status, n: delta })
    .onConflict((oc) => oc.columns(['vendor_id', 'day', 'status']).doUpdateSet({ n: sql`order_day_counts.n + ${delta}` }))
    .execute();
}

async function countRange(db: Executor, vendorId: string, from: string, to: string, status?: string): Promise<number> {
  if (from >= to) return 0;
  let q = db.selectFrom('orders').select(sql<number>`count(*)`.as('n')).where('vendor_id', '=', vendorId).where('created_at', '>=', from).where('created_at', '<', to);
  if (status) q = q.where('status', '=', status);
  return num((await q.executeTakeFirstOrThrow()).n);
}

/**
 * Orders of a vendor created in [from, to) (optionally in one status): whole UTC days from the day
 * counters, the partial days at both ends from the (vendor, created_at) index. A 60-day window over
 * a busy store reads ~60 counter rows and at most two days of index entries instead of the window.
 */
export async function countVendorOrders(db: Executor, vendorId: string, from: string, to: string, status?: string): Promise<number> {
  const firstFullDay = new Date(Date.parse(`${dayOf(from)}T00:00:00.000Z`) + (from.endsWith('T00:00:00.000Z') ? 0 : DAY_MS)).toISOString();
  const lastDayStart = `${dayOf(to)}T00:00:00.000Z`;
  if (firstFullDay >= lastDayStart) return countRange(db, vendorId, from, to, status);
  let q = db
    .selectFrom('order_day_counts')
    .select(sql<number>`coalesce(sum(n), 0)`.as('n'))
    .where('vendor_id', '=', vendorId)
    .where('day', '>=', dayOf(firstFullDay))
    .where('day', '<', dayOf(lastDayStart));
  if (status) q = q.where('status', '=', status);
  const [head, middle, tail] = await Promise.all([
    countRange(db, vendorId, from, firstFullDay, status),
    q.executeTakeFirstOrThrow(),
    countRange(db, vendorId, lastDayStart, to, status),
  ]);
  return head + num(middle.n) + tail;
}

/** Recomputes a vendor's day counters from its orders (bulk loads, repairs). */
export async function rebuildDayCounts(db: Executor, dialect: Dialect, vendorId: string): Promise<void> {
  await db.deleteFrom('order_day_counts').where('vendor_id', '=', vendorId).execute();
  const day = dialect === 'postgres' ? sql`to_char(created_at at time zone 'UTC', 'YYYY-MM-DD')` : sql`substr(created_at, 1, 10)`;
  await sql`insert into order_day_counts (vendor_id, day, status, n)
    select vendor_id, ${day}, status, count(*) from orders where vendor_id = ${vendorId} group by vendor_id, ${day}, status`.execute(db);
}

/** Drops counters of days wholly before `before` and recomputes the day `before` falls in (retention purge). */
export async function trimDayCounts(db: Executor, dialect: Dialect, before: string): Promise<void> {
  const d = dayOf(before);
  await db.deleteFrom('order_day_counts').where('day', '<=', d).execute();
  const day = dialect === 'postgres' ? sql`to_char(created_at at time zone 'UTC', 'YYYY-MM-DD')` : sql`substr(created_at, 1, 10)`;
  await sql`insert into order_day_counts (vendor_id, day, status, n)
    select vendor_id, ${day}, status, count(*) from orders
    where created_at >= ${`${d}T00:00:00.000Z`} and created_at < ${new Date(Date.parse(`${d}T00:00:00.000Z`) + DAY_MS).toISOString()}
    group by vendor_id, ${day}, status`.execute(db);
}
