import { formatMoney, type Place } from '../../format';
import type { Answer } from '../../api';
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

export type SkuEntry = PortalPromotion['skus'][number];

export type PortalPromotion = Answer<'/chains/{chainId}/promotions/{promotionId}'>;
export type PromotionJob = Answer<'/chains/{chainId}/promotion-jobs/{jobId}'>;

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
/** A discount in words; the wire's subtype is a string (one of Subtype, as the job accepts no other). */
export function discountLabel(t: Translate, e: Pick<SkuEntry, 'subtype' | 'value'>, place: Place): string {
  if (e.subtype === 'PERCENTAGE') return t('promo.discount.percent', { value: e.value });
  if (e.subtype === 'FINAL_PRICE') return t('promo.discount.final', { value: formatMoney(e.value, place) });
  if (e.subtype === 'ABSOLUTE') return t('promo.discount.absolute', { value: formatMoney(e.value, place) });
  return t('promo.discount.free');
}
