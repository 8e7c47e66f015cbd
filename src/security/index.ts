/** The security domain's face: what other domains and the application use of it. */
export { admitAttempt, clearThrottle, portalKeys, portalLoginKey, recordFailure, recordSuccess, releaseAttempt, sftpKeys } from './auth-throttle.js';
export { assertPasswordPolicy } from './password-policy.js';
