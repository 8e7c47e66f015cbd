import type { AppContext } from '../platform/context.js';
import { partnerMaySee } from '../platform/access.js';
import type { Executor, Trx } from '../db/database.js';
import type { PartnerPrincipal } from '../platform/access.js';
import { AppError } from '../platform/errors.js';
import { uuid } from '../platform/secrets.js';
import { findVendorById, type Vendor } from '../vendors/index.js';
import { emitOrderEvent, type OrderEventType } from './order-events.js';
import { cancelledByOf, resolveTransition, type Action, type Actor } from './order-lifecycle.js';
import { orderTotals, renderOrder } from './order-view.js';
import { minorDigits } from '../platform/money.js';
import { reservePromotionUses } from './line-promotions.js';
import type { CancelledBy, Order } from './orders.model.js';
import { contribution, statsDelta } from './order-stats.repository.js';
import { bool, iso } from '../db/rows.js';
import { parseUtcTime } from '../platform/utc-time.js';
import { findOrder, findOrderSnapshot, insertOrder, listVendorOrderSnapshots } from './orders.repository.js';
import { WriteBatch } from '../db/write-batch.js';
import { bumpOrderStats, findOrderWithVendorForUpdate, insertOrderEventQuery, saveOrderQuery } from './order-writes.repository.js';
import type { OrderObject, VendorOrdersQuery } from './orders.schemas.js';

const DAY_MS = 86_400_000;
export const MAX_WINDOW_DAYS = 60;

// Vendors change rarely and every order read needs one: a small per-context cache with a short TTL.
const vendorCache = new WeakMap<AppContext, Map<string, { vendor: Vendor; at: number }>>();
const VENDOR_TTL_MS = 5000;

/** The order's vendor when vendorOf has it cached and fresh, else undefined (no database access). */
export function cachedVendor(ctx: AppContext, vendorId: string): Vendor | undefined {
  const hit = vendorCache.get(ctx)?.get(vendorId);
  return hit && Date.now() - hit.at < VENDOR_TTL_MS ? hit.vendor : undefined;
}

/** The order's vendor (cached for a few seconds per context). */
export async function vendorOf(ctx: AppContext, db: Executor, vendorId: string): Promise<Vendor> {
  let cache = vendorCache.get(ctx);
  if (!cache) vendorCache.set(ctx, (cache = new Map()));
  const hit = cache.get(vendorId);
  const now = Date.now();
  if (hit && now - hit.at < VENDOR_TTL_MS) return hit.vendor;
  const vendor = await findVendorById(db, vendorId);
  if (!vendor) throw new AppError('ORDER_NOT_FOUND');
  cache.set(vendorId, { vendor, at: now });
  return vendor;
}

/** The order's vendor read now (writes must not act on a cached integration type). */
export async function freshVendor(db: Executor, vendorId: string): Promise<Vendor> {
  const vendor = await findVendorById(db, vendorId);
  if (!vendor) throw new AppError('ORDER_NOT_FOUND');
  return vendor;
}


/**
 * GET /v2/chains/{chain_id}/orders/{order_id}, as JSON text: the snapshot written with the last change,
 * re-rendered only when the vendor (its name or external id, shown in `client`) changed since.
 */
export async function getPartnerOrderJson(ctx: AppContext, principal: PartnerPrincipal, orderId: string): Promise<string> {
  const row = await findOrderSnapshot(ctx.db, ctx.dialect, orderId);
  if (!row || !partnerMaySee(principal, { chain_id: row.chain_id, is_test: bool(row.is_test) })) throw new AppError('ORDER_NOT_FOUND');
  const vendor = await vendorOf(ctx, ctx.db, row.vendor_id);
  if (vendor.updated_at <= iso(row.updated_at)) return row.snapshot;
  const order = await findOrder(ctx.db, orderId);
  if (!order) throw new AppError('ORDER_NOT_FOUND');
  return JSON.stringify(renderOrder(order, vendor));
}

function parseTime(value: string, field: string): Date {
  const d = parseUtcTime(value);
  if (Number.isNaN(d.getTime())) throw new AppError('VALIDATION_FAILED', `${field} is not a valid time`, { fields: [{ field, problem: 'invalid time' }] });
  return d;
}

/**
 * GET vendor orders: a created_at window of at most 60 days inside the retention, paged (times without
 * a zone are UTC). Answers JSON
 * text assembled from the stored snapshots (re-rendering only orders older than a vendor change).
 */
export async function listPartnerVendorOrdersJson(ctx: AppContext, vendor: Vendor, q: VendorOrdersQuery): Promise<string> {
  const start = parseTime(q.start_time, 'querystring.start_time');
  const end = parseTime(q.end_time, 'querystring.end_time');
  if (end.getTime() <= start.getTime()) throw new AppError('INVALID_TIME_WINDOW', 'querystring.end_time must be after start_time');
  if (end.getTime() - start.getTime() > MAX_WINDOW_DAYS * DAY_MS) {
    throw new AppError('TIME_WINDOW_TOO_LONG', `querystring: the window ${q.start_time}..${q.end_time} is longer than ${MAX_WINDOW_DAYS} days`, { max_days: MAX_WINDOW_DAYS });
  }
  // Orders older than the retention are gone (or about to be): never show them.
  const retentionStart = new Date(ctx.clock.now().getTime() - ctx.config.orderRetentionDays * DAY_MS);
  const from = start < retentionStart ? retentionStart : start;
  const page = q.page ?? 1;
  const pageSize = q.page_size ?? 20;
  const { rows, total } =
    from >= end
      ? { rows: [], total: 0 }
      : await listVendorOrderSnapshots(ctx.db, {
          vendorId: vendor.id,
          from: from.toISOString(),
          to: end.toISOString(),
          status: q.status,
          updatedSince: q.updated_since ? parseTime(q.updated_since, 'querystring.updated_since').toISOString() : undefined,
          limit: pageSize,
          offset: (page - 1) * pageSize,
        });
  const parts: string[] = [];
  for (const r of rows) {
    if (vendor.updated_at <= r.updated_at) parts.push(r.snapshot);
    else {
      const order = await findOrder(ctx.db, r.id);
      if (order) parts.push(JSON.stringify(renderOrder(order, vendor)));
    }
  }
  // Paging at the top level too: existing clients read total_pages there (as the catalog list has it).
  const paging = JSON.stringify({ page, page_size: pageSize, total_count: total, total_pages: Math.ceil(total / pageSize) });
  return `{"orders":[${parts.join(',')}],${paging.slice(1, -1)},"pagination":${paging}}`;
}

export interface ChangeOptions {
  type: OrderEventType;
  actor: string;
  details?: Record<string, unknown>;
  /** The order as stored before this change (its rollup contribution moves to the new one); absent for a new order. */
  previous?: Order;
  /** Postgres: the locked read also locked the order's webhook sequence row (findOrderWithVendorForUpdate). */
  sequenceLocked?: boolean;
}

/**
 * Stores a changed order with everything that goes with it, in the caller's transaction: version and
 * updated_at bumped, a timeline row, and the webhook outbox row (when the vendor's event set has it)
 * whose stamped sys.sequence/event_id are kept on the order.
 */
export async function commitOrderChange(ctx: AppContext, trx: Trx, vendor: Vendor, order: Order, change: ChangeOptions, isNew = false): Promise<CommittedOrder> {
  const now = ctx.clock.now().toISOString();
  const next: Order = { ...order, version: isNew ? 1 : order.version + 1, updated_at: isNew ? order.updated_at : now, updated_by: change.actor };
  // global_limit: each promotion counts this order once, in this transaction; a promotion that ran out meanwhile is dropped.
  await reservePromotionUses(trx, next.id, next.lines, minorDigits(next.currency), now);
  const totals = orderTotals(next);
  const rendered = renderOrder(next, vendor, totals);
  // The outbox rows, the order write and its timeline row are independent writes: one batch (on
  // Postgres one statement, one round trip inside the row lock).
  const batch = new WriteBatch();
  const emitted = await emitOrderEvent(ctx, trx, vendor.integration_type, change.type, next.chain_id, next.id, rendered as unknown as Record<string, unknown>, batch, change.sequenceLocked);
  if (emitted?.sequence !== undefined) next.event_sequence = rendered.sys.sequence = emitted.sequence;
  if (emitted?.event_id !== undefined) next.last_event_id = rendered.sys.event_id = emitted.event_id;
  // The event's body is the snapshot of this moment (renderOrder puts sys last): one serialisation.
  const json = emitted?.json ?? JSON.stringify(rendered);
  // A new order's row first (the outbox and timeline rows refer to it); a change's update goes in the batch.
  if (isNew) await insertOrder(trx, next, totals, json);
  else batch.add(saveOrderQuery(trx, ctx.dialect, next, totals, json));
  // The hourly rollup: the order's contribution, or what this change moved (nothing to write when nothing did).
  if (!isNew && !change.previous) throw new Error('commitOrderChange: a change needs the order as stored before it (change.previous)');
  const before = isNew ? undefined : contribution(change.previous!.status, orderTotals(change.previous!).order_total, change.previous!.lines);
  const ready = change.type === 'READY_FOR_PICKUP' ? Math.floor((Date.parse(now) - Date.parse(next.created_at)) / 1000) : undefined;
  const deltas = statsDelta(before, contribution(next.status, totals.order_total, next.lines), ready);
  if (deltas) await bumpOrderStats(trx, ctx.dialect, next.vendor_id, next.chain_id, next.created_at, deltas);
  batch.add(
    insertOrderEventQuery(trx, ctx.dialect, {
      id: uuid(),
      order_id: next.id,
      version: next.version,
      type: change.type,
      status: next.status,
      actor: change.actor,
      webhook: emitted !== undefined,
      details: change.details ?? {},
      created_at: now,
    }),
  );
  await batch.run(trx, ctx.dialect);
  return { order: next, rendered, json };
}

/** A stored change: the order, its rendered object and that object's JSON text (the snapshot). */
export interface CommittedOrder {
  order: Order;
  rendered: OrderObject;
  json: string;
}

export interface PlatformActionInput {
  action: Extract<Action, 'DISPATCHED' | 'DELIVERED' | 'CANCELLED'>;
  actor: Actor;
  actorName: string;
  reason?: string;
  cancelledBy?: CancelledBy;
}

/** A status change by the platform (storefront, rider, operator): dispatch, deliver, cancel. */
export async function applyPlatformAction(ctx: AppContext, orderId: string, input: PlatformActionInput): Promise<{ order: Order; vendor: Vendor; json: string }> {
  return ctx.db.transaction().execute(async (trx) => {
    const found = await findOrderWithVendorForUpdate(trx, ctx.dialect, orderId);
    if (!found) throw new AppError('ORDER_NOT_FOUND');
    const { order, vendor } = found;
    const reason = input.action === 'CANCELLED' ? (input.reason ?? 'OTHER') : null;
    const t = resolveTransition(order, input.action, input.actor, { hasItems: false, cancellationReason: reason });
    const next: Order = { ...order, status: t.to! };
    if (input.action === 'CANCELLED') next.cancellation = { reason: reason!, cancelled_by: input.cancelledBy ?? cancelledByOf(t, input.actor) };
    const saved = await commitOrderChange(ctx, trx, vendor, next, { type: input.action, actor: input.actorName, details: reason ? { reason } : {}, previous: order, sequenceLocked: found.sequenceLocked });
    return { order: saved.order, vendor, json: saved.json };
  });
}
