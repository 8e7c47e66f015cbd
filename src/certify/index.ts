/** The certify domain's face: what other domains and the application use of it. */
export { registerCertifyCommands } from './certify.cli.js';
export { certificationPortalRoutes } from './routes.portal.js';
