import type { Executor } from '../db/database.js';
import { iso, json, num } from '../db/rows.js';
import type { DiscountSubtype, PromotionTerms, PromotionType } from './promotion-pricing.js';

/** Rows per IN (…) list. */
const SKU_BATCH = 1000;

/** A promotion that applies to one SKU at one vendor, with what pricing and limits need. */
export interface EffectivePromotion extends PromotionTerms {
  sku: string;
  name: string;
  startTime: string;
  globalLimit: number | null;
  usedCount: number;
  maxItemsPerOrder: number | null;
  /** limits.max_discount_per_order, thousandths of the currency unit. */
  maxDiscountPerOrder: number | null;
}

/**
 * The effective promotion of each SKU at one vendor at time `at` (partner-api.md §5): among the
 * active promotions running at `at` (start ≤ at < end) whose global_limit is not used up, the one
 * with the later start_time wins (ties: the later updated, then the larger id, so the choice is stable).
 * Ended, scheduled and inactive promotions are ignored. Works inside the caller's transaction.
 */
export async function effectivePromotions(db: Executor, vendorId: string, skus: readonly string[], at: Date, locale = ''): Promise<Map<string, EffectivePromotion>> {
  const out = new Map<string, EffectivePromotion>();
  const updatedOf = new Map<string, string>();
  const unique = [...new Set(skus)];
  const atIso = at.toISOString();
  for (let i = 0; i < unique.length; i += SKU_BATCH) {
    const rows = await db
      .selectFrom('promotion_items as i')
      .innerJoin('promotions as p', 'p.id', 'i.promotion_id')
      .select([
        'i.sku',
        'i.subtype',
        'i.value',
        'i.max_quantity',
        'p.id',
        'p.type',
        'p.display_name',
        'p.start_time',
        'p.updated_at',
        'p.purchased_quantity',
        'p.discounted_quantity',
        'p.global_limit',
        'p.used_count',
        'p.max_items_per_order',
        'p.max_discount_per_order',
      ])
      .where('i.vendor_id', '=', vendorId)
      .where('i.sku', 'in', unique.slice(i, i + SKU_BATCH))
      .where('p.active', '=', true)
      .where('p.start_time', '<=', atIso)
      .where('p.end_time', '>', atIso)
      .where((eb) => eb.or([eb('p.global_limit', 'is', null), eb('p.used_count', '<', eb.ref('p.global_limit'))]))
      .execute();
    for (const r of rows) {
      const candidate: EffectivePromotion = {
        sku: r.sku,
        promotionId: r.id,
        type: r.type as PromotionType,
        subtype: r.subtype as DiscountSubtype,
        value: num(r.value),
        purchasedQuantity: r.purchased_quantity === null ? null : num(r.purchased_quantity),
        discountedQuantity: r.discounted_quantity === null ? null : num(r.discounted_quantity),
        name: displayNameFor(json<Record<string, string>>(r.display_name), locale),
        startTime: iso(r.start_time),
        globalLimit: r.global_limit === null ? null : num(r.global_limit),
        usedCount: num(r.used_count),
        maxItemsPerOrder: r.max_items_per_order === null ? null : num(r.max_items_per_order),
        maxQuantity: r.max_quantity === null ? null : num(r.max_quantity),
        maxDiscountPerOrder: r.max_discount_per_order === null ? null : num(r.max_discount_per_order),
      };
      const updatedAt = iso(r.updated_at);
      const current = out.get(r.sku);
      if (!current || wins(candidate, updatedAt, current, updatedOf.get(r.sku)!)) {
        out.set(r.sku, candidate);
        updatedOf.set(r.sku, updatedAt);
      }
    }
  }
  return out;
}

function wins(a: EffectivePromotion, aUpdated: string, b: EffectivePromotion, bUpdated: string): boolean {
  if (a.startTime !== b.startTime) return a.startTime > b.startTime;
  if (aUpdated !== bUpdated) return aUpdated > bUpdated;
  return a.promotionId > b.promotionId;
}

/** The promotion's name in a locale, falling back to the language, then any name. */
export function displayNameFor(names: Record<string, string>, locale: string): string {
  return names[locale] ?? Object.entries(names).find(([k]) => k.slice(0, 2) === locale.slice(0, 2))?.[1] ?? Object.values(names)[0] ?? '';
}

/**
 * Counts one use of a promotion by an order (global_limit counts orders). False when the limit is
 * already reached. An order counts once however many lines use the promotion.
 */
export async function recordUse(db: Executor, promotionId: string, orderId: string, at: string): Promise<boolean> {
  const seen = await db.selectFrom('promotion_order_uses').select('order_id').where('promotion_id', '=', promotionId).where('order_id', '=', orderId).executeTakeFirst();
  if (seen) return true;
  const r = await db
    .updateTable('promotions')
    .set((eb) => ({ used_count: eb('used_count', '+', 1) }))
    .where('id', '=', promotionId)
    .where((eb) => eb.or([eb('global_limit', 'is', null), eb('used_count', '<', eb.ref('global_limit'))]))
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) === 0) return false;
  await db.insertInto('promotion_order_uses').values({ promotion_id: promotionId, order_id: orderId, created_at: at }).execute();
  return true;
}
