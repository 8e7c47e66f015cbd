import type { Selectable } from 'kysely';
import type { Executor } from '../db/database.js';
import { bool, iso, isoOrNull, json } from '../db/rows.js';
import type { WebhookEndpoint } from './webhooks.schemas.js';
import type { WebhookEndpointsTable } from './webhooks.tables.js';

export type EndpointRow = Selectable<WebhookEndpointsTable>;

/** The public shape: secrets reduced to a prefix / last four characters. */
export function toEndpoint(r: EndpointRow): WebhookEndpoint {
  return {
    id: r.id,
    chain_id: r.chain_id,
    url: r.url,
    description: r.description,
    authorization: { header: r.auth_header, last4: r.auth_secret.length > 8 ? r.auth_secret.slice(-4) : '****' },
    signing_secret_prefix: r.signing_secret.slice(0, 10),
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
