/** The users domain's face: what other domains and the application use of it. */
export { inviteMember, listMembers, memberPasswordLink, updateMember } from './chain-users.service.js';
export type { ActingUser } from './chain-users.service.js';
export { inspectPasswordLink, passwordLinkForEmail, usePasswordLink } from './password-links.service.js';
export { findUserByEmail, findUserById, listChainUsers, publicUser } from './users.repository.js';
export { CreateUserBody, RoleSchema, User } from './users.schemas.js';
export { createUser, setUserPassword } from './users.service.js';
