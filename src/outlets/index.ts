/** The outlets domain's face: what other domains and the application use of it. */
export { outletPartnerRoutes } from './outlets.routes.js';
export { PutOpeningHoursBody, PutStoreStatusBody, StoreStatusView } from './outlets.schemas.js';
export { assertStoreOpen, getStoreStatus, putOpeningHours, putStoreStatus } from './outlets.service.js';
export { storePortalRoutes } from './routes.portal.js';
