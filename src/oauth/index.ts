/** The oauth domain's face: what other domains and the application use of it. */
export { oauthClientPortalRoutes, oauthTokenRoute } from './oauth.routes.js';
export { authenticateAccessToken, cachedAccessToken, clientCreators, createOauthClient, looksLikeAccessToken } from './oauth.service.js';
