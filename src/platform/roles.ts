/**
 * What a process does (`comanda serve --roles …`). HTTP surface per role: api → /v2, /platform/v1,
 * /openapi.json and /docs; portal → /portal/api and the Partner Portal front end; worker and sftp →
 * no business HTTP. /health and /metrics are served by every process.
 */
export const ROLES = ['api', 'worker', 'sftp', 'portal'] as const;
export type ServerRole = (typeof ROLES)[number];
