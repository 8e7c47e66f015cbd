import type { AppContext } from '../platform/context.js';
import { AppError } from '../platform/errors.js';
import { listVendors, type Vendor } from '../vendors/index.js';
import { resolvePromotionVendors } from './promotion-apply.js';
import { submitPromotionUpsert } from './promotion-jobs.js';
import { upsertInputFromBody } from './promotion-input.js';
import { findPromotion, listPromotions, skuEntriesAt, type Promotion, type SkuEntry } from './promotions.repository.js';
import type { PromotionUpsertBody, PromotionView } from './promotions.schemas.js';
import { promotionView } from './promotions.service.js';

/** Where a promotion was last written from, as listings show it. */
export const PORTAL_SOURCE = 'PORTAL';
/** SKUs shown per promotion in a list; the editor takes up to EDITABLE_SKUS. */
export const LISTED_SKUS = 20;
export const EDITABLE_SKUS = 1000;

export type PromotionState = PromotionView['state'];

export interface ChainPromotionQuery {
  state?: PromotionState | undefined;
  vendorId?: string | undefined;
  sku?: string | undefined;
  page: number;
  pageSize: number;
}

/** A promotion with the SKUs it discounts at one of its stores (every store gets the same SKU rows). */
export interface PromotionWithSkus extends PromotionView {
  /** The store whose entries are shown (the filtered store, else the promotion's first). */
  sku_vendor_id: string | null;
  skus: PortalSkuEntry[];
  skus_total: number;
}

/** One SKU entry as the portal shows it; max_quantity is discount[].max_quantity (null: no cap). */
export interface PortalSkuEntry {
  sku: string;
  subtype: string;
  value: number;
  max_quantity: number | null;
}

/** The chain's vendors a promotion names (codes or external ids as sent, or "*"), in code order. */
function vendorsOf(p: Promotion, chainVendors: readonly Vendor[]): Vendor[] {
  if (p.vendors.includes('*')) return [...chainVendors];
  return chainVendors.filter((v) => p.vendors.includes(v.code) || (v.external_id !== null && p.vendors.includes(v.external_id)));
}

// Stored as thousandths (of the currency unit or of a percent).
const entryView = (e: SkuEntry): PortalSkuEntry => ({ sku: e.sku, subtype: e.subtype, value: e.value / 1000, max_quantity: e.maxQuantity });

/** Stores tried per promotion to find one with entries (a store may have none of its SKUs listed). */
const STORES_TRIED = 4;

async function withSkus(ctx: AppContext, chainId: string, promotions: Promotion[], limit: number, preferVendorId?: string): Promise<PromotionWithSkus[]> {
  const chainVendors = (await listVendors(ctx.db, chainId)).sort((a, b) => a.code.localeCompare(b.code));
  // Candidate stores per promotion, the filtered one first; one statement per round for the whole page.
  const candidates = new Map<string, Vendor[]>();
  for (const p of promotions) {
    const vendors = vendorsOf(p, chainVendors);
    const preferred = vendors.find((v) => v.id === preferVendorId);
    candidates.set(p.id, preferred ? [preferred] : vendors.slice(0, STORES_TRIED));
  }
  const found = new Map<string, { vendorId: string; entries: SkuEntry[]; total: number }>();
  for (let round = 0; round < STORES_TRIED; round++) {
    const pairs = promotions
      .filter((p) => !found.has(p.id) && candidates.get(p.id)![round])
      .map((p) => ({ promotionId: p.id, vendorId: candidates.get(p.id)![round]!.id }));
    if (pairs.length === 0) break;
    const entries = await skuEntriesAt(ctx.db, pairs, limit);
    for (const pair of pairs) {
      const got = entries.get(pair.promotionId);
      if (got) found.set(pair.promotionId, { vendorId: pair.vendorId, ...got });
    }
  }
  const now = ctx.clock.now();
  return promotions.map((p) => {
    const got = found.get(p.id);
    return { ...promotionView(p, now), sku_vendor_id: got?.vendorId ?? null, skus: (got?.entries ?? []).map(entryView), skus_total: got?.total ?? 0 };
  });
}

/**
 * The chain's promotions for the portal: filtered by state (at the platform clock), store and SKU,
 * newest start first, paged, each with its first SKUs — a few statements per page (one per store tried),
 * whatever its size, never one per promotion.
 */
export async function listChainPromotions(ctx: AppContext, chainId: string, q: ChainPromotionQuery) {
  const now = ctx.clock.now().toISOString();
  const { promotions, total } = await listPromotions(
    ctx.db,
    chainId,
    { vendorId: q.vendorId, sku: q.sku, ...(q.state ? { state: { is: q.state, now } } : {}) },
    q.page,
    q.pageSize,
  );
  return {
    promotions: await withSkus(ctx, chainId, promotions, LISTED_SKUS, q.vendorId),
    pagination: { page: q.page, page_size: q.pageSize, total_count: total, total_pages: Math.ceil(total / q.pageSize) },
  };
}

/** One promotion of the chain with its SKUs (up to EDITABLE_SKUS), for the editor. */
export async function chainPromotion(ctx: AppContext, chainId: string, promotionId: string): Promise<PromotionWithSkus & { editable: boolean }> {
  const p = await findPromotion(ctx.db, promotionId);
  if (!p || p.chainId !== chainId) throw new AppError('PROMOTION_NOT_FOUND');
  const [view] = await withSkus(ctx, chainId, [p], EDITABLE_SKUS);
  return { ...view!, editable: view!.skus_total <= EDITABLE_SKUS };
}

/**
 * Creates or modifies a promotion from the portal through the same job as PUT /v2 …/promotion
 * (validation, upsert key, DUPLICATE detection, per-store checks). Stores that are not the chain's
 * are refused here, naming them, instead of being reported later by the job.
 */
export async function submitPortalPromotion(ctx: AppContext, chainId: string, body: PromotionUpsertBody, actor: string) {
  const input = upsertInputFromBody(body);
  if (!input.header.vendors.includes('*')) {
    const { invalid } = await resolvePromotionVendors(ctx.db, chainId, input.header.vendors);
    if (invalid.length) throw new AppError('UNKNOWN_VENDORS', `body.vendors: not stores of this chain: ${invalid.slice(0, 20).join(', ')}`, { invalid_vendors: invalid });
  }
  return submitPromotionUpsert(ctx, chainId, input, { actor, source: PORTAL_SOURCE });
}

/**
 * Switches a promotion off (or on again): the same upsert with the stored key fields and `active`
 * changed. Switching off touches only the header, so the SKU entries stay for a later switch-on.
 */
export async function setPromotionActive(ctx: AppContext, chainId: string, promotionId: string, active: boolean, actor: string) {
  const p = await chainPromotion(ctx, chainId, promotionId);
  if (active && !p.editable) throw new AppError('PROMOTION_TOO_LARGE_TO_EDIT');
  const discount = groupEntries(p.skus);
  if (discount.length === 0) throw new AppError('VALIDATION_FAILED', 'The promotion has no SKUs left at its stores; create it again with SKUs');
  return submitPortalPromotion(ctx, chainId, { ...bodyOf(p), active, discount }, actor);
}

/** The header of an upsert that addresses this stored promotion (same key: name, stores, times). */
function bodyOf(p: PromotionView): Omit<PromotionUpsertBody, 'discount'> {
  const conditions: PromotionUpsertBody['conditions'] = { start_time: p.conditions.start_time, end_time: p.conditions.end_time };
  if (p.conditions.purchased_quantity !== null) conditions.purchased_quantity = p.conditions.purchased_quantity;
  if (p.conditions.discounted_quantity !== null) conditions.discounted_quantity = p.conditions.discounted_quantity;
  const limits: NonNullable<PromotionUpsertBody['limits']> = {};
  if (p.limits.global_limit !== null) limits.global_limit = p.limits.global_limit;
  if (p.limits.max_items_per_order !== null) limits.max_items_per_order = p.limits.max_items_per_order;
  if (p.limits.max_discount_per_order !== null) limits.max_discount_per_order = p.limits.max_discount_per_order;
  return {
    vendors: p.vendors,
    type: p.type,
    reason: p.reason as PromotionUpsertBody['reason'],
    display_name: p.display_name,
    conditions,
    ...(Object.keys(limits).length ? { limits } : {}),
  };
}

/** SKU entries as upsert discount groups (one per subtype + value + max_quantity, so a cap is sent back). */
export function groupEntries(skus: readonly PortalSkuEntry[]): PromotionUpsertBody['discount'] {
  const groups = new Map<string, PromotionUpsertBody['discount'][number]>();
  for (const s of skus) {
    const key = `${s.subtype}:${s.value}:${s.max_quantity ?? ''}`;
    const g = groups.get(key) ?? {
      discount_subtype: s.subtype as PromotionUpsertBody['discount'][number]['discount_subtype'],
      ...(s.subtype === 'FREE_ITEM' ? {} : { discount_value: s.value }),
      ...(s.max_quantity === null ? {} : { max_quantity: s.max_quantity }),
      sku: [],
    };
    g.sku.push(s.sku);
    groups.set(key, g);
  }
  return [...groups.values()];
}
