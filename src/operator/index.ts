/** The operator domain's face: what other domains and the application use of it. */
export { authenticateOperatorKey, createOperatorKey, operatorKeyIsActive, revokeOperatorKeysNamed } from './operator-keys.service.js';
export { operatorRoutes } from './operator.routes.js';
