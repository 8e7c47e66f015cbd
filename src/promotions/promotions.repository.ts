import { sql, type Selectable } from 'kysely';
import { bulkInsert, type BulkSpec } from '../db/bulk.js';
import type { Dialect, Executor } from '../db/database.js';
import { bool, iso, json, num, toJson } from '../db/rows.js';
import type { PromotionHeader } from './promotion-input.js';
import type { DiscountSubtype, PromotionType } from './promotion-pricing.js';
import type { PromotionsTable } from '../db/tables/promotions.js';

/** A stored promotion header (mapped). */
export interface Promotion extends PromotionHeader {
  id: string;
  chainId: string;
  upsertKey: string;
  usedCount: number;
  source: string;
  bodyHash: string;
  lastJobId: string | null;
  createdAt: string;
  updatedAt: string;
}

export function toPromotion(r: Selectable<PromotionsTable>): Promotion {
  return {
    id: r.id,
    chainId: r.chain_id,
    upsertKey: r.upsert_key,
    type: r.type as PromotionType,
    active: bool(r.active),
    reason: r.reason,
    displayName: json<Record<string, string>>(r.display_name),
    vendors: json<string[]>(r.vendors),
    startTime: iso(r.start_time),
    endTime: iso(r.end_time),
    purchasedQuantity: r.purchased_quantity === null ? null : num(r.purchased_quantity),
    discountedQuantity: r.discounted_quantity === null ? null : num(r.discounted_quantity),
    globalLimit: r.global_limit === null ? null : num(r.global_limit),
    maxItemsPerOrder: r.max_items_per_order === null ? null : num(r.max_items_per_order),
    maxDiscountPerOrder: r.max_discount_per_order === null || r.max_discount_per_order === undefined ? null : num(r.max_discount_per_order),
    usedCount: num(r.used_count),
    source: r.source,
    bodyHash: r.body_hash,
    lastJobId: r.last_job_id,
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
  };
}

/** The promotion with this upsert key, locked for the rest of the transaction on Postgres. */
export async function findPromotionByKeyForUpdate(db: Executor, dialect: Dialect, chainId: string, key: string): Promise<Promotion | undefined> {
  const lock = dialect === 'postgres' ? sql`for update` : sql``;
  const r = await sql<Selectable<PromotionsTable>>`select * from promotions where chain_id = ${chainId} and upsert_key = ${key} ${lock}`.execute(db);
  return r.rows[0] && toPromotion(r.rows[0]);
}

export async function findPromotion(db: Executor, id: string): Promise<Promotion | undefined> {
  const r = await db.selectFrom('promotions').selectAll().where('id', '=', id).executeTakeFirst();
  return r && toPromotion(r);
}

export async function insertPromotion(db: Executor, p: Promotion): Promise<void> {
  await db
    .insertInto('promotions')
    .values({
      id: p.id,
      chain_id: p.chainId,
      upsert_key: p.upsertKey,
      type: p.type,
      reason: p.reason,
      display_name: toJson(p.displayName),
      vendors: toJson(p.vendors),
      start_time: p.startTime,
      end_time: p.endTime,
      purchased_quantity: p.purchasedQuantity,
      discounted_quantity: p.discountedQuantity,
      global_limit: p.globalLimit,
      max_items_per_order: p.maxItemsPerOrder,
      max_discount_per_order: p.maxDiscountPerOrder ?? null,
      used_count: p.usedCount,
      active: p.active,
      source: p.source,
      body_hash: p.bodyHash,
      last_job_id: p.lastJobId,
      created_at: p.createdAt,
      updated_at: p.updatedAt,
    })
    .execute();
}

/** Rewrites what an upsert may change (the key fields stay). */
export async function updatePromotionHeader(db: Executor, id: string, h: PromotionHeader, extra: { source: string; bodyHash: string; lastJobId: string | null; now: string }): Promise<void> {
  await db
    .updateTable('promotions')
    .set({
      type: h.type,
      reason: h.reason,
      active: h.active,
      purchased_quantity: h.purchasedQuantity,
      discounted_quantity: h.discountedQuantity,
      global_limit: h.globalLimit,
      max_items_per_order: h.maxItemsPerOrder,
      max_discount_per_order: h.maxDiscountPerOrder ?? null,
      source: extra.source,
      body_hash: extra.bodyHash,
      last_job_id: extra.lastJobId,
      updated_at: extra.now,
    })
    .where('id', '=', id)
    .execute();
}

export interface ItemWrite {
  vendorId: string;
  sku: string;
  subtype: DiscountSubtype;
  value: number;
  /** discount[].max_quantity (absent or null: no cap). */
  maxQuantity?: number | null;
}

/** Rows per multi-row statement: 5 parameters each stays far below both dialects' limits. */
const ITEM_BATCH = 1000;

const ITEM_UPSERT: BulkSpec = {
  table: 'promotion_items',
  columns: ['vendor_id', 'sku', 'promotion_id', 'subtype', 'value', 'max_quantity'],
  suffix: 'on conflict (vendor_id, sku, promotion_id) do update set subtype = excluded.subtype, value = excluded.value, max_quantity = excluded.max_quantity',
};

/** Batched upsert of (vendor, sku) entries of one promotion: pre-compiled multi-row statements (the 2,000,000-pair path). */
export async function upsertItems(db: Executor, dialect: Dialect, promotionId: string, items: readonly ItemWrite[]): Promise<void> {
  await bulkInsert(
    db,
    dialect,
    ITEM_UPSERT,
    items.map((it) => [it.vendorId, it.sku, promotionId, it.subtype, it.value, it.maxQuantity ?? null]),
  );
}

/** Removes these SKUs at these vendors from one promotion. */
export async function deleteItems(db: Executor, promotionId: string, vendorIds: readonly string[], skus: readonly string[]): Promise<number> {
  let removed = 0;
  for (let i = 0; i < skus.length; i += ITEM_BATCH) {
    const r = await db
      .deleteFrom('promotion_items')
      .where('promotion_id', '=', promotionId)
      .where('vendor_id', 'in', vendorIds)
      .where('sku', 'in', skus.slice(i, i + ITEM_BATCH))
      .executeTakeFirst();
    removed += Number(r.numDeletedRows);
  }
  return removed;
}

export type IssueKind = 'MISSING_SKU' | 'INVALID_DISCOUNTED_SKU';
export interface Issue {
  kind: IssueKind;
  vendor: string;
  sku: string;
  reason: string;
}

export async function insertIssues(db: Executor, jobId: string, issues: readonly Issue[]): Promise<void> {
  for (let i = 0; i < issues.length; i += ITEM_BATCH) {
    await db
      .insertInto('promotion_job_issues')
      .values(issues.slice(i, i + ITEM_BATCH).map((x) => ({ job_id: jobId, kind: x.kind, vendor: x.vendor, sku: x.sku, reason: x.reason })))
      .onConflict((oc) => oc.columns(['job_id', 'kind', 'vendor', 'sku']).doUpdateSet((eb) => ({ reason: eb.ref('excluded.reason') })))
      .execute();
  }
}

/** Up to `limit` issues of a job, per kind, in (vendor, sku) order. */
export async function readIssues(db: Executor, jobId: string, kind: IssueKind, limit: number): Promise<Issue[]> {
  const rows = await db
    .selectFrom('promotion_job_issues')
    .select(['kind', 'vendor', 'sku', 'reason'])
    .where('job_id', '=', jobId)
    .where('kind', '=', kind)
    .orderBy('vendor')
    .orderBy('sku')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ kind: r.kind as IssueKind, vendor: r.vendor, sku: r.sku, reason: r.reason }));
}

export interface PromotionFilter {
  active?: boolean;
  vendorId?: string;
  sku?: string;
  at?: string;
  /** Where the promotion stands at `now` (see promotionState): switched off, not started, running, over. */
  state?: { is: 'INACTIVE' | 'SCHEDULED' | 'RUNNING' | 'ENDED'; now: string };
}

/** A chain's promotions, newest start first, with the list filters of GET …/promotions. */
export async function listPromotions(db: Executor, chainId: string, f: PromotionFilter, page: number, pageSize: number): Promise<{ promotions: Promotion[]; total: number }> {
  let q = db.selectFrom('promotions as p').where('p.chain_id', '=', chainId);
  if (f.active !== undefined) q = q.where('p.active', '=', f.active);
  if (f.at) q = q.where('p.start_time', '<=', f.at).where('p.end_time', '>', f.at);
  if (f.state) {
    const { is, now } = f.state;
    if (is === 'INACTIVE') q = q.where('p.active', '=', false);
    else q = q.where('p.active', '=', true);
    if (is === 'SCHEDULED') q = q.where('p.start_time', '>', now);
    if (is === 'RUNNING') q = q.where('p.start_time', '<=', now).where('p.end_time', '>', now);
    if (is === 'ENDED') q = q.where('p.end_time', '<=', now);
  }
  // Entries are keyed (vendor_id, sku, promotion_id): the filters probe that key per vendor of the chain.
  if (f.vendorId || f.sku) {
    const { vendorId, sku } = f;
    q = q.where(({ exists, selectFrom }) => {
      let sub = selectFrom('promotion_items as i').innerJoin('vendors as v', 'v.id', 'i.vendor_id').select('i.sku').whereRef('v.chain_id', '=', 'p.chain_id').whereRef('i.promotion_id', '=', 'p.id');
      if (vendorId) sub = sub.where('i.vendor_id', '=', vendorId);
      if (sku) sub = sub.where('i.sku', '=', sku);
      return exists(sub);
    });
  }
  const total = await q.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
  const rows = await q
    .selectAll('p')
    .orderBy('p.start_time', 'desc')
    .orderBy('p.id')
    .limit(pageSize)
    .offset((page - 1) * pageSize)
    .execute();
  return { promotions: rows.map(toPromotion), total: num(total.n) };
}

export interface SkuEntry {
  sku: string;
  subtype: DiscountSubtype;
  /** thousandths of money, or of a percent */
  value: number;
  /** discount[].max_quantity: discounted units per order (null: no cap). */
  maxQuantity: number | null;
}

/**
 * The SKUs of several promotions at one vendor each, in one statement: for every (promotion, vendor)
 * pair the first `limit` SKUs in SKU order and how many there are. Each pair is a prefix probe of the
 * items key (vendor_id, sku, promotion_id): no scan of other vendors' entries.
 */
export async function skuEntriesAt(db: Executor, pairs: ReadonlyArray<{ promotionId: string; vendorId: string }>, limit: number): Promise<Map<string, { entries: SkuEntry[]; total: number }>> {
  const out = new Map<string, { entries: SkuEntry[]; total: number }>();
  if (pairs.length === 0) return out;
  const match = sql.join(pairs.map((p) => sql`(vendor_id = ${p.vendorId} and promotion_id = ${p.promotionId})`), sql` or `);
  const r = await sql<{ promotion_id: string; sku: string; subtype: string; value: unknown; max_quantity: unknown; total: unknown }>`
    select promotion_id, sku, subtype, value, max_quantity, total from (
      select promotion_id, sku, subtype, value, max_quantity,
        row_number() over (partition by promotion_id order by sku) as rn,
        count(*) over (partition by promotion_id) as total
      from promotion_items where ${match}
    ) x where rn <= ${limit} order by promotion_id, sku`.execute(db);
  for (const row of r.rows) {
    const got = out.get(row.promotion_id) ?? { entries: [], total: num(row.total) };
    got.entries.push({ sku: row.sku, subtype: row.subtype as DiscountSubtype, value: num(row.value), maxQuantity: row.max_quantity === null ? null : num(row.max_quantity) });
    out.set(row.promotion_id, got);
  }
  return out;
}
