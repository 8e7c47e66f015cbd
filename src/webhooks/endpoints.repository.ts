import type { Selectable } from 'kysely';
import type { Dialect, Executor } from '../db/database.js';
import { bool, iso, isoOrNull, json } from '../db/rows.js';
import type { SecretBox } from '../platform/secret-box.js';
import type { WebhookEndpoint } from './webhooks.schemas.js';
import type { WebhookEndpointsTable } from '../db/tables/webhooks.js';

export type EndpointRow = Selectable<WebhookEndpointsTable>;

/** What each stored secret is bound to (authenticated data of its ciphertext): a sealed value opens only in its own row. */
export const WEBHOOK_AUTH_PURPOSE = (endpointId: string) => `webhook-auth:${endpointId}`;
/** Shared by signing_secret and previous_signing_secret, so a rotation can move the ciphertext as it is. */
export const WEBHOOK_SIGNING_PURPOSE = (endpointId: string) => `webhook-signing:${endpointId}`;

/** The stored columns for new secrets: encrypted with the current key (AES-256-GCM). */
export function sealEndpointSecrets(box: SecretBox, endpointId: string, s: { auth?: string; signing?: string }): { auth_secret?: string; signing_secret?: string } {
  return {
    ...(s.auth !== undefined ? { auth_secret: box.seal(s.auth, WEBHOOK_AUTH_PURPOSE(endpointId)) } : {}),
    ...(s.signing !== undefined ? { signing_secret: box.seal(s.signing, WEBHOOK_SIGNING_PURPOSE(endpointId)) } : {}),
  };
}

/** The secrets of a stored endpoint row in clear, for sending and for the redacted display. */
export function openEndpointSecrets(
  box: SecretBox,
  endpointId: string,
  r: { auth_secret: string; signing_secret: string; previous_signing_secret: string | null },
): { authSecret: string; signingSecret: string; previousSigningSecret: string | null } {
  return {
    authSecret: box.open(r.auth_secret, WEBHOOK_AUTH_PURPOSE(endpointId)),
    signingSecret: box.open(r.signing_secret, WEBHOOK_SIGNING_PURPOSE(endpointId)),
    previousSigningSecret: r.previous_signing_secret === null ? null : box.open(r.previous_signing_secret, WEBHOOK_SIGNING_PURPOSE(endpointId)),
  };
}

/** The public shape: secrets reduced to a prefix / last four characters. */
export function toEndpoint(box: SecretBox, r: EndpointRow): WebhookEndpoint {
  const { authSecret, signingSecret } = openEndpointSecrets(box, r.id, r);
  return {
    id: r.id,
    chain_id: r.chain_id,
    url: r.url,
    description: r.description,
    authorization: { header: r.auth_header, last4: authSecret.length > 8 ? authSecret.slice(-4) : '****' },
    signing_secret_prefix: signingSecret.slice(0, 10),
    previous_secret_expires_at: isoOrNull(r.previous_secret_expires_at),
    events: json<string[]>(r.events),
    enabled: bool(r.enabled),
    disabled_reason: (r.disabled_reason as WebhookEndpoint['disabled_reason']) ?? null,
    disabled_at: isoOrNull(r.disabled_at),
    failing_since: isoOrNull(r.failing_since),
    created_at: iso(r.created_at),
    updated_at: iso(r.updated_at),
  };
}

/** A live (not deleted) endpoint of the chain. */
export async function findEndpointRow(db: Executor, chainId: string, id: string): Promise<EndpointRow | undefined> {
  return db.selectFrom('webhook_endpoints').selectAll().where('chain_id', '=', chainId).where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
}

/** For the CLI: an endpoint by id alone. */
export async function findEndpointRowById(db: Executor, id: string): Promise<EndpointRow | undefined> {
  return db.selectFrom('webhook_endpoints').selectAll().where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
}

export async function listEndpointRows(db: Executor, chainId: string): Promise<EndpointRow[]> {
  return db.selectFrom('webhook_endpoints').selectAll().where('chain_id', '=', chainId).where('deleted_at', 'is', null).orderBy('created_at').orderBy('id').execute();
}

/** Endpoints failing now (failing_since set) or switched off, for the dashboard and the banner on every page. */
export async function endpointAlerts(q: { db: Executor; dialect: Dialect }, chainId: string) {
  const rows = await q.db
    .selectFrom('webhook_endpoints')
    .select(['id', 'description', 'url', 'enabled', 'disabled_reason', 'failing_since'])
    .where('chain_id', '=', chainId)
    .where('deleted_at', 'is', null)
    .where((eb) => eb.or([eb('failing_since', 'is not', null), eb('enabled', '=', q.dialect === 'postgres' ? (false as never) : (0 as never))]))
    .orderBy('created_at')
    .execute();
  const iso = (v: unknown) => (v == null ? null : new Date(v as string).toISOString());
  return rows.map((r) => ({
    id: r.id,
    description: r.description,
    url: r.url,
    enabled: Boolean(r.enabled),
    disabled_reason: r.disabled_reason ?? null,
    failing_since: iso(r.failing_since),
  }));
}
