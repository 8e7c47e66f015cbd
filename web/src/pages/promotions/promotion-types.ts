import { formatMoney, type Place } from '../../format';
import type { Translate } from '../../i18n';

/** Wire shapes of the promotions page. */
export type PromotionType = 'STRIKETHROUGH' | 'SAME_ITEM_BUNDLE';
export type Subtype = 'FINAL_PRICE' | 'PERCENTAGE' | 'ABSOLUTE' | 'FREE_ITEM';
export type PromotionState = 'INACTIVE' | 'SCHEDULED' | 'RUNNING' | 'ENDED';
export const REASONS = ['COMPETITIVENESS', 'OVERSTOCK', 'DELISTING', 'EXPIRING_SOON', 'TRADING', 'OTHER'] as const;
/** Discount kinds each promotion type allows (as the API checks them). */
export const SUBTYPES_OF: Record<PromotionType, Subtype[]> = {
  STRIKETHROUGH: ['PERCENTAGE', 'FINAL_PRICE', 'ABSOLUTE'],
  SAME_ITEM_BUNDLE: ['FREE_ITEM', 'PERCENTAGE', 'ABSOLUTE'],
};

export interface SkuEntry {
  sku: string;
  subtype: Subtype;
  value: number;
  /** discount[].max_quantity: discounted units of this SKU per order (null: no cap). */
  max_quantity: number | null;
}

export interface PortalPromotion {
  promotion_id: string;
  type: PromotionType;
  active: boolean;
  state: PromotionState;
  reason: string;
  display_name: Record<string, string>;
  vendors: string[];
  conditions: { start_time: string; end_time: string; purchased_quantity: number | null; discounted_quantity: number | null };
  limits: { global_limit: number | null; max_items_per_order: number | null; max_discount_per_order?: number | null };
  used_count: number;
  source: string;
  sku_vendor_id: string | null;
  skus: SkuEntry[];
  skus_total: number;
  editable?: boolean;
}

export interface PromotionJob {
  job_id: string;
  status: 'QUEUED' | 'COMPLETED' | 'FAILED' | 'DUPLICATE';
  promotion_id: string | null;
  invalid_vendors: string[];
  missing_skus: Record<string, string[]>;
  invalid_discounted_skus: Record<string, string[]>;
  error: string | null;
}

export const nameOf = (p: Pick<PortalPromotion, 'display_name' | 'promotion_id'>, locale: string) => p.display_name[locale] ?? Object.values(p.display_name)[0] ?? p.promotion_id;

/** "Precio tachado", "Llevá 3, pagá 2", "Combo: 1 de cada 3 con descuento". */
export function typeLabel(t: Translate, p: Pick<PortalPromotion, 'type' | 'conditions' | 'skus'>): string {
  if (p.type === 'STRIKETHROUGH') return t('promo.type.STRIKETHROUGH');
  const buy = p.conditions.purchased_quantity ?? 0;
  const off = p.conditions.discounted_quantity ?? 0;
  const free = p.skus.length > 0 && p.skus.every((s) => s.subtype === 'FREE_ITEM');
  return free ? t('promo.type.bundleFree', { buy, pay: buy - off }) : t('promo.type.bundle', { buy, off });
}

/** One SKU's discount in words: "-10 %", "a $ 850,00", "-$ 100,00", "gratis". */
export function discountLabel(t: Translate, e: Pick<SkuEntry, 'subtype' | 'value'>, place: Place): string {
  if (e.subtype === 'PERCENTAGE') return t('promo.discount.percent', { value: e.value });
  if (e.subtype === 'FINAL_PRICE') return t('promo.discount.final', { value: formatMoney(e.value, place) });
  if (e.subtype === 'ABSOLUTE') return t('promo.discount.absolute', { value: formatMoney(e.value, place) });
  return t('promo.discount.free');
}
