/** The chains domain's face: what other domains and the application use of it. */
export { findChain, findChainByName, listChains } from './chains.repository.js';
export { Chain, CreateChainBody } from './chains.schemas.js';
export { createChain } from './chains.service.js';
export { chainPortalRoutes } from './routes.portal.js';
