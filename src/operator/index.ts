/** The operator domain's face: what other domains and the application use of it. */
export { authenticateOperatorKey, createOperatorKey, operatorKeyIsActive } from './operator-keys.service.js';
export { operatorRoutes } from './operator.routes.js';
