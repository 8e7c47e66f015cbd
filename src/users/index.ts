/** The users domain's face: what other domains and the application use of it. */
export { portalActorRoutes } from './actors.routes.portal.js';
export { inviteMember, listMembers, memberPasswordLink, updateMember } from './chain-users.service.js';
export type { ActingUser } from './chain-users.service.js';
export { inspectPasswordLink, passwordLinkForEmail, usePasswordLink } from './password-links.service.js';
export { portalLoginRoutes, portalSessionRoutes } from './sessions.routes.portal.js';
export { SESSION_COOKIE, findSession } from './sessions.service.js';
export { findUserByEmail, findUserById, listChainUsers, publicUser } from './users.repository.js';
export { passwordLinkRoutes, userPortalRoutes } from './users.routes.portal.js';
export { CreateUserBody, RoleSchema, User } from './users.schemas.js';
export { createUser, setUserPassword } from './users.service.js';
