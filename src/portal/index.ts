/** The portal domain's face: what other domains and the application use of it. */
export { portalActorRoutes } from './actors.routes.js';
export { catalogEditPortalRoutes } from './catalog-edit.portal-routes.js';
export { catalogPortalRoutes } from './catalog.portal-routes.js';
export { dashboardPortalRoutes } from './dashboard.portal-routes.js';
export { orderMonitorPortalRoutes } from './orders.portal-routes.js';
export { portalLoginRoutes, portalSessionRoutes } from './portal.routes.js';
export { promotionPortalRoutes } from './promotions.portal-routes.js';
export { SESSION_COOKIE, findSession } from './sessions.service.js';
export { sftpPortalRoutes } from './sftp.portal-routes.js';
export { storePortalRoutes } from './stores.portal-routes.js';
export { passwordLinkRoutes, userPortalRoutes } from './users.portal-routes.js';
export { registerWebApp } from './web-app.js';
