/** The audit domain's face: what other domains and the application use of it. */
export { chainAuditActors, searchAudit, writeAudit } from './audit.repository.js';
export { auditPortalRoutes } from './routes.portal.js';
