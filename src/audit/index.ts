/** The audit domain's face: what other domains and the application use of it. */
export { searchAudit, writeAudit } from './audit.repository.js';
