/** The promotions domain's face: what other domains and the application use of it. */
export { chainPromotion, listChainPromotions, setPromotionActive, submitPortalPromotion } from './chain-promotions.service.js';
export { effectivePromotions, recordUse } from './effective.repository.js';
export type { EffectivePromotion } from './effective.repository.js';
export { applyPromotionFileRows } from './promotion-file-rows.js';
export { getPromotionJob, promotionJobHandler } from './promotion-jobs.js';
export { capSaving, priceLine } from './promotion-pricing.js';
export type { PromotionTerms } from './promotion-pricing.js';
export { promotionPartnerRoutes } from './promotions.routes.js';
export { PromotionJobAccepted, PromotionJobView, PromotionUpsertBody, PromotionView } from './promotions.schemas.js';
export { promotionPortalRoutes } from './routes.portal.js';
