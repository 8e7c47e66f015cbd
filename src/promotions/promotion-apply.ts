import type { AppContext } from '../platform/context.js';
import type { Dialect, Executor, Trx } from '../db/database.js';
import { bool } from '../db/rows.js';
import { uuid } from '../platform/secrets.js';
import type { PromotionHeader, PromotionSkuRow } from './promotion-input.js';
import { upsertKey } from './promotion-input.js';
import { discountProblem } from './promotion-pricing.js';
import { listingPrices } from '../catalog/index.js';
import {
  deleteItems,
  findPromotionByKeyForUpdate,
  insertIssues,
  insertPromotion,
  updatePromotionHeader,
  upsertItems,
  type Issue,
  type ItemWrite,
  type Promotion,
} from './promotions.repository.js';

/** A vendor a promotion applies to: its id, and the name problems are reported under (as the partner sent it). */
export interface PromotionVendor {
  id: string;
  ref: string;
}

/** What one batch did, per result kind (pairs = SKU × vendor). */
export interface ApplyCounts {
  PAIRS_APPLIED: number;
  PAIRS_REMOVED: number;
  MISSING_SKU: number;
  INVALID_DISCOUNTED_SKU: number;
}

export const NO_COUNTS: ApplyCounts = { PAIRS_APPLIED: 0, PAIRS_REMOVED: 0, MISSING_SKU: 0, INVALID_DISCOUNTED_SKU: 0 };

/**
 * Resolves the vendors of a promotion request: `*` is every vendor of the chain; other refs are
 * platform codes or external ids of the chain. Refs that name nothing of this chain (or, for sandbox
 * callers, a store that is not a test store) are `invalid`.
 */
export async function resolvePromotionVendors(db: Executor, chainId: string, refs: readonly string[], opts: { testStoresOnly?: boolean } = {}): Promise<{ vendors: PromotionVendor[]; invalid: string[] }> {
  let q = db.selectFrom('vendors').select(['id', 'code', 'external_id', 'is_test']).where('chain_id', '=', chainId);
  const all = refs.length === 1 && refs[0] === '*';
  if (!all) q = q.where((eb) => eb.or([eb('code', 'in', refs), eb('external_id', 'in', refs)]));
  const rows = (await q.orderBy('code').execute()).filter((r) => !opts.testStoresOnly || bool(r.is_test));
  if (all) return { vendors: rows.map((r) => ({ id: r.id, ref: r.code })), invalid: [] };
  const vendors: PromotionVendor[] = [];
  const invalid: string[] = [];
  const seen = new Set<string>();
  for (const ref of refs) {
    // The platform code wins when a code and another vendor's external id collide.
    const row = rows.find((r) => r.code === ref) ?? rows.find((r) => r.external_id === ref);
    if (!row) invalid.push(ref);
    else if (!seen.has(row.id)) {
      seen.add(row.id);
      vendors.push({ id: row.id, ref });
    }
  }
  return { vendors, invalid };
}

/**
 * Creates or modifies the promotion with this header's upsert key (display_name + vendors + start
 * + end), inside the caller's transaction. The key fields never change; the rest is overwritten.
 */
export async function upsertPromotionHeader(
  ctx: AppContext,
  trx: Trx,
  chainId: string,
  header: PromotionHeader,
  meta: { bodyHash: string; source: string; jobId: string | null },
): Promise<Promotion> {
  // Stored times are compared as text on SQLite: always the one ISO form.
  header = { ...header, startTime: new Date(header.startTime).toISOString(), endTime: new Date(header.endTime).toISOString() };
  const key = upsertKey(header);
  const now = ctx.clock.now().toISOString();
  const existing = await findPromotionByKeyForUpdate(trx, ctx.dialect, chainId, key);
  if (existing) {
    await updatePromotionHeader(trx, existing.id, header, { source: meta.source, bodyHash: meta.bodyHash, lastJobId: meta.jobId, now });
    return { ...existing, ...header, source: meta.source, bodyHash: meta.bodyHash, lastJobId: meta.jobId, updatedAt: now };
  }
  const p: Promotion = {
    ...header,
    id: uuid(),
    chainId,
    upsertKey: key,
    usedCount: 0,
    source: meta.source,
    bodyHash: meta.bodyHash,
    lastJobId: meta.jobId,
    createdAt: now,
    updatedAt: now,
  };
  await insertPromotion(trx, p);
  return p;
}

/** Largest SKU list per listings query (× vendors per query stays well under parameter limits). */
const SKUS_PER_QUERY = 1000;
const VENDORS_PER_QUERY = 20;

/**
 * Applies SKU rows to a slice of the promotion's vendors, in the caller's transaction: each pair is
 * checked against that vendor's listing (missing → MISSING_SKU; a discount that would not lower the
 * price → INVALID_DISCOUNTED_SKU, and any earlier entry for the pair is removed), valid pairs are
 * upserted in multi-row statements, `active:false` rows are removed. Problems go to the job's issue
 * log when `jobId` is given, else they are returned (at most `keepIssues`).
 */
export async function applyPairs(
  trx: Executor,
  dialect: Dialect,
  promotion: Pick<Promotion, 'id' | 'type'>,
  vendors: readonly PromotionVendor[],
  rows: readonly PromotionSkuRow[],
  opts: { jobId: string | null; keepIssues?: number; issues?: Issue[] },
): Promise<ApplyCounts> {
  const counts: ApplyCounts = { ...NO_COUNTS };
  // A SKU listed twice keeps its last entry.
  const bySku = new Map<string, PromotionSkuRow>();
  for (const r of rows) bySku.set(r.s, r);
  const removeSkus: string[] = [];
  const applySkus: PromotionSkuRow[] = [];
  for (const r of bySku.values()) {
    if (r.a) applySkus.push(r);
    else removeSkus.push(r.s);
  }
  const vendorIds = vendors.map((v) => v.id);

  if (removeSkus.length) {
    for (let i = 0; i < vendorIds.length; i += VENDORS_PER_QUERY) {
      counts.PAIRS_REMOVED += await deleteItems(trx, promotion.id, vendorIds.slice(i, i + VENDORS_PER_QUERY), removeSkus);
    }
  }
  if (applySkus.length === 0) return counts;

  const issues: Issue[] = [];
  const writes: ItemWrite[] = [];
  const invalidPairs = new Map<string, string[]>();
  for (let vi = 0; vi < vendors.length; vi += VENDORS_PER_QUERY) {
    const vs = vendors.slice(vi, vi + VENDORS_PER_QUERY);
    for (let si = 0; si < applySkus.length; si += SKUS_PER_QUERY) {
      const part = applySkus.slice(si, si + SKUS_PER_QUERY);
      const prices = await listingPrices(
        trx,
        vs.map((v) => v.id),
        part.map((r) => r.s),
      );
      for (const v of vs) {
        const at = prices.get(v.id)!;
        for (const r of part) {
          const price = at.get(r.s);
          if (price === undefined) {
            counts.MISSING_SKU++;
            issues.push({ kind: 'MISSING_SKU', vendor: v.ref, sku: r.s, reason: 'SKU_NOT_IN_ASSORTMENT' });
            continue;
          }
          const problem = discountProblem(promotion.type, r.t, r.v, price);
          if (problem) {
            counts.INVALID_DISCOUNTED_SKU++;
            issues.push({ kind: 'INVALID_DISCOUNTED_SKU', vendor: v.ref, sku: r.s, reason: problem });
            const list = invalidPairs.get(v.id) ?? [];
            list.push(r.s);
            invalidPairs.set(v.id, list);
            continue;
          }
          writes.push({ vendorId: v.id, sku: r.s, subtype: r.t, value: r.v, maxQuantity: r.q ?? null });
        }
      }
    }
  }
  // An entry that is no longer valid must not keep an older, valid-looking discount in force.
  for (const [vendorId, skus] of invalidPairs) await deleteItems(trx, promotion.id, [vendorId], skus);
  await upsertItems(trx, dialect, promotion.id, writes);
  counts.PAIRS_APPLIED += writes.length;
  if (opts.jobId) await insertIssues(trx, opts.jobId, issues);
  else if (opts.issues) {
    const room = (opts.keepIssues ?? 1000) - opts.issues.length;
    if (room > 0) opts.issues.push(...issues.slice(0, room));
  }
  return counts;
}
