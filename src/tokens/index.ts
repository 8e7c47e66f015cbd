/** The tokens domain's face: what other domains and the application use of it. */
export { tokenPortalRoutes } from './tokens.routes.js';
export { authenticateApiToken, cachedApiToken, createToken, listTokens, looksLikeApiToken, revokeToken, revokeTokensNamed, tokenIsActive } from './tokens.service.js';
