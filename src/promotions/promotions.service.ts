import { parseUtcTime } from '../platform/utc-time.js';
import { partnerMaySee } from '../platform/access.js';
import { fromMilli } from '../platform/money.js';
import type { AppContext } from '../platform/context.js';
import type { PartnerPrincipal } from '../platform/access.js';
import { AppError } from '../platform/errors.js';
import { resolveVendor } from '../vendors/index.js';
import { listPromotions, type Promotion } from './promotions.repository.js';
import type { PromotionListQuery, PromotionView } from './promotions.schemas.js';

/** Where a promotion stands at `now`: INACTIVE (switched off), SCHEDULED, RUNNING or ENDED. */
export function promotionState(p: Pick<Promotion, 'active' | 'startTime' | 'endTime'>, now: Date): PromotionView['state'] {
  if (!p.active) return 'INACTIVE';
  const t = now.toISOString();
  if (t < p.startTime) return 'SCHEDULED';
  return t < p.endTime ? 'RUNNING' : 'ENDED';
}

/** The wire shape of a promotion header. */
export function promotionView(p: Promotion, now: Date): PromotionView {
  return {
    promotion_id: p.id,
    type: p.type,
    active: p.active,
    state: promotionState(p, now),
    reason: p.reason,
    display_name: p.displayName,
    vendors: p.vendors,
    conditions: { start_time: p.startTime, end_time: p.endTime, purchased_quantity: p.purchasedQuantity, discounted_quantity: p.discountedQuantity },
    limits: { global_limit: p.globalLimit, max_items_per_order: p.maxItemsPerOrder, max_discount_per_order: p.maxDiscountPerOrder == null ? null : fromMilli(p.maxDiscountPerOrder) },
    used_count: p.usedCount,
    source: p.source,
    created_at: p.createdAt,
    updated_at: p.updatedAt,
  };
}

/** GET /v2/chains/{chain_id}/promotions (our extension): filters active, vendor, sku, time; paged. */
export async function listPromotionsFor(ctx: AppContext, principal: PartnerPrincipal, q: PromotionListQuery) {
  let vendorId: string | undefined;
  if (q.vendor) {
    const v = await resolveVendor(ctx.db, principal.chainId, q.vendor);
    if (!v || !partnerMaySee(principal, v)) throw new AppError('VENDOR_NOT_FOUND', `query.vendor: no vendor "${q.vendor}" in this chain`);
    vendorId = v.id;
  }
  const page = q.page ?? 1;
  const pageSize = q.page_size ?? 20;
  const at = q.time ? parseUtcTime(q.time).toISOString() : undefined;
  const { promotions, total } = await listPromotions(ctx.db, principal.chainId, { active: q.active, vendorId, sku: q.sku, at }, page, pageSize);
  const now = ctx.clock.now();
  return {
    promotions: promotions.map((p) => promotionView(p, now)),
    pagination: { page, page_size: pageSize, total_count: total, total_pages: Math.ceil(total / pageSize) },
  };
}
