import { boundedCount } from '../db/bounded-count.js';
import { sql } from 'kysely';
import type { Executor } from '../db/database.js';
import { bool, iso, json } from '../db/rows.js';
import { minorDigits, scaled } from '../platform/money.js';
import type { Customer, OrderLine } from './orders.model.js';
import { AppError } from '../platform/errors.js';

/** Filters of the portal's order list and CSV export (all optional). */
export interface PortalOrderFilter {
  vendor_id?: string;
  status?: string;
  /** created_at >= from (ISO) */
  from?: string;
  /** created_at < to (ISO) */
  to?: string;
  /** order code, external order id or order id (exact) */
  code?: string;
}

/** One row of the portal's order list (and of the CSV). */
export interface PortalOrderRow {
  id: string;
  order_code: string;
  external_order_id: string;
  vendor_id: string;
  status: string;
  transport_type: string;
  order_type: string;
  is_test: boolean;
  customer_name: string;
  comment: string;
  items: number;
  currency: string;
  sub_total: number;
  order_total: number;
  created_at: string;
  updated_at: string;
}

/** Keyset cursor over (created_at desc, id desc). */
export function encodeCursor(createdAt: string, id: string): string {
  return Buffer.from(`${createdAt}|${id}`).toString('base64url');
}

function decodeCursor(cursor: string): { createdAt: string; id: string } {
  const [createdAt, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (!createdAt || !id || Number.isNaN(Date.parse(createdAt))) throw new AppError('VALIDATION_FAILED', 'query.cursor is malformed; pass next_cursor from the previous page');
  return { createdAt, id };
}

/** The chain's orders that match the filters (the count and the page share them). */
function chainOrders(db: Executor, chainId: string, f: PortalOrderFilter) {
  let q = db.selectFrom('orders').where('chain_id', '=', chainId);
  if (f.vendor_id) q = q.where('vendor_id', '=', f.vendor_id);
  if (f.status) q = q.where('status', '=', f.status);
  if (f.from) q = q.where('created_at', '>=', new Date(f.from).toISOString());
  if (f.to) q = q.where('created_at', '<', new Date(f.to).toISOString());
  if (f.code) {
    const code = f.code.trim();
    q = q.where((eb) => eb.or([eb('order_code', '=', code), eb('external_order_id', '=', code), eb('id', '=', code)]));
  }
  return q;
}

/** How many orders match the filters, up to COUNT_CAP (capped: true when there are more). */
export async function countChainOrders(db: Executor, chainId: string, f: PortalOrderFilter): Promise<{ total: number; capped: boolean }> {
  return boundedCount(db, chainOrders(db, chainId, f).select(sql.lit(1).as('one')));
}

/**
 * A page of the chain's orders, newest first. A read-only query over the orders table (owned by the
 * orders domain); the portal needs chain-wide filters the partner API does not offer.
 */
export async function listChainOrders(db: Executor, chainId: string, f: PortalOrderFilter, limit: number, cursor?: string): Promise<{ rows: PortalOrderRow[]; next_cursor: string | null }> {
  let q = chainOrders(db, chainId, f).select(['id', 'order_code', 'external_order_id', 'vendor_id', 'status', 'transport_type', 'order_type', 'is_test', 'customer', 'comment', 'lines', 'currency', 'sub_total', 'order_total', 'created_at', 'updated_at']);
  if (cursor) {
    const c = decodeCursor(cursor);
    q = q.where((eb) => eb.or([eb('created_at', '<', c.createdAt), eb.and([eb('created_at', '=', c.createdAt), eb('id', '<', c.id)])]));
  }
  const rows = await q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit + 1).execute();
  const page = rows.slice(0, limit).map((r): PortalOrderRow => {
    const customer = json<Customer>(r.customer);
    const digits = minorDigits(r.currency);
    return {
      id: r.id,
      order_code: r.order_code,
      external_order_id: r.external_order_id,
      vendor_id: r.vendor_id,
      status: r.status,
      transport_type: r.transport_type,
      order_type: r.order_type,
      is_test: bool(r.is_test),
      customer_name: [customer.first_name, customer.last_name].filter(Boolean).join(' '),
      comment: r.comment,
      items: json<OrderLine[]>(r.lines).length,
      currency: r.currency,
      sub_total: scaled(Number(r.sub_total), digits),
      order_total: scaled(Number(r.order_total), digits),
      created_at: iso(r.created_at),
      updated_at: iso(r.updated_at),
    };
  });
  const last = page[page.length - 1];
  return { rows: page, next_cursor: rows.length > limit && last ? encodeCursor(last.created_at, last.id) : null };
}
