/** The orders domain's face: what other domains and the application use of it. */
export { sampleListings } from './catalog-lookup.js';
export type { ListedProduct } from './catalog-lookup.js';
export { orderCompatRoutes } from './compat.routes.js';
export { installHotGetOrder } from './get-order.hot.js';
export { placeOrder, resolveIntakeVendor } from './intake.service.js';
export { countOrdersOfVendors, vendorsHaveOrders } from './order-counts.repository.js';
export type { Actor } from './order-lifecycle.js';
export { orderRetentionFactory } from './order-retention.js';
export { READY_COLUMNS, READY_EDGES_S, readyBucket } from './order-stats.repository.js';
export { ORDER_STATUSES } from './orders.model.js';
export type { Customer, Order, OrderLine, TransportType } from './orders.model.js';
export { findOrder, findOrderForUpdate, findOrderSnapshot, findOrdersWaiting, listOrderEvents } from './orders.repository.js';
export type { OrderTimelineEntry } from './orders.repository.js';
export { orderOperatorRoutes, orderPartnerRoutes, orderPortalRoutes } from './orders.routes.js';
export type { IntakeBody } from './orders.schemas.js';
export { applyPlatformAction, commitOrderChange, freshVendor } from './orders.service.js';
export { planCartChange } from './put-order.service.js';
export { createTestOrder } from './test-orders.service.js';
