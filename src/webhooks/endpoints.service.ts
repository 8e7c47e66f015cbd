import { writeAudit } from '../audit/index.js';
import { findChain } from '../chains/index.js';
import type { AppContext } from '../platform/context.js';
import { toJson } from '../db/rows.js';
import { AppError } from '../platform/errors.js';
import { uuid } from '../platform/secrets.js';
import { DEFAULT_ENDPOINT_EVENTS } from './event-types.js';
import { findEndpointRow, listEndpointRows, sealEndpointSecrets, toEndpoint } from './endpoints.repository.js';
import { mintSigningSecret } from './signing.js';
import { checkWebhookUrl, type Resolver } from './ssrf.js';
import type { CreateEndpointBody, UpdateEndpointBody, WebhookEndpoint } from './webhooks.schemas.js';

/** Refuses URLs the SSRF guard rejects (422 naming the field). */
export async function assertAllowedUrl(ctx: AppContext, url: string, field = 'body.url', resolve?: Resolver): Promise<string> {
  const verdict = await checkWebhookUrl(ctx.config, url, resolve);
  if (!verdict.ok) throw new AppError('WEBHOOK_URL_REFUSED', `${field} ${verdict.reason}`, { fields: [{ field, problem: verdict.reason }] });
  return verdict.url!;
}

async function assertChain(ctx: AppContext, chainId: string): Promise<void> {
  if (!(await findChain(ctx.db, chainId))) throw new AppError('CHAIN_NOT_FOUND');
}

/** Creates an endpoint; the whsec_ signing secret is returned only here. */
export async function createEndpoint(ctx: AppContext, chainId: string, input: CreateEndpointBody, actor: string): Promise<{ endpoint: WebhookEndpoint; signing_secret: string }> {
  await assertChain(ctx, chainId);
  const url = await assertAllowedUrl(ctx, input.url);
  const now = ctx.clock.now();
  const at = now.toISOString();
  const signing = mintSigningSecret();
  const id = uuid();
  const sealed = sealEndpointSecrets(ctx.secrets, id, { auth: input.authorization, signing });
  const row = {
    id,
    chain_id: chainId,
    url,
    description: input.description ?? '',
    auth_header: input.authorization_header ?? 'Authorization',
    auth_secret: sealed.auth_secret!,
    signing_secret: sealed.signing_secret!,
    previous_signing_secret: null,
    previous_secret_expires_at: null,
    events: toJson(input.events ?? DEFAULT_ENDPOINT_EVENTS),
    enabled: input.enabled ?? true,
    disabled_reason: input.enabled === false ? 'manual' : null,
    disabled_at: input.enabled === false ? at : null,
    failing_since: null,
    created_at: at,
    updated_at: at,
    deleted_at: null,
  };
  await ctx.db.transaction().execute(async (trx) => {
    await trx.insertInto('webhook_endpoints').values(row).execute();
    await writeAudit(trx, { chainId, actor, action: 'webhook.created', targetType: 'webhook_endpoint', targetId: row.id, details: { url, events: input.events ?? DEFAULT_ENDPOINT_EVENTS } }, now);
  });
  return { endpoint: toEndpoint(ctx.secrets, { ...row, enabled: row.enabled }), signing_secret: signing };
}

export async function listEndpoints(ctx: AppContext, chainId: string): Promise<WebhookEndpoint[]> {
  await assertChain(ctx, chainId);
  return (await listEndpointRows(ctx.db, chainId)).map((r) => toEndpoint(ctx.secrets, r));
}

export async function getEndpoint(ctx: AppContext, chainId: string, id: string): Promise<WebhookEndpoint> {
  const row = await findEndpointRow(ctx.db, chainId, id);
  if (!row) throw new AppError('WEBHOOK_ENDPOINT_NOT_FOUND');
  return toEndpoint(ctx.secrets, row);
}

/** Changes URL, secret, header, filter, description or enabled; enabling clears a platform-set flag. */
export async function updateEndpoint(ctx: AppContext, chainId: string, id: string, input: UpdateEndpointBody, actor: string): Promise<WebhookEndpoint> {
  const url = input.url !== undefined ? await assertAllowedUrl(ctx, input.url) : undefined;
  const now = ctx.clock.now();
  const at = now.toISOString();
  return ctx.db.transaction().execute(async (trx) => {
    const row = await findEndpointRow(trx, chainId, id);
    if (!row) throw new AppError('WEBHOOK_ENDPOINT_NOT_FOUND');
    const patch: Record<string, unknown> = { updated_at: at };
    if (url !== undefined) patch.url = url;
    if (input.authorization !== undefined) Object.assign(patch, sealEndpointSecrets(ctx.secrets, id, { auth: input.authorization }));
    if (input.authorization_header !== undefined) patch.auth_header = input.authorization_header;
    if (input.events !== undefined) patch.events = toJson(input.events);
    if (input.description !== undefined) patch.description = input.description;
    if (input.enabled === true) Object.assign(patch, { enabled: true, disabled_reason: null, disabled_at: null, failing_since: null });
    if (input.enabled === false) Object.assign(patch, { enabled: false, disabled_reason: 'manual', disabled_at: at });
    await trx.updateTable('webhook_endpoints').set(patch).where('id', '=', id).execute();
    // Never the secret itself in the audit trail: only which fields changed.
    const changed = Object.keys(input).map((k) => (k === 'authorization' ? 'authorization (secret)' : k));
    await writeAudit(trx, { chainId, actor, action: 'webhook.updated', targetType: 'webhook_endpoint', targetId: id, details: { changed, ...(url ? { url } : {}), ...(input.enabled !== undefined ? { enabled: input.enabled } : {}) } }, now);
    return toEndpoint(ctx.secrets, (await findEndpointRow(trx, chainId, id))!);
  });
}

/** New whsec_ secret; the old one keeps signing for the grace period. Returned only here. */
export async function rotateSigningSecret(ctx: AppContext, chainId: string, id: string, actor: string): Promise<{ endpoint: WebhookEndpoint; signing_secret: string }> {
  const now = ctx.clock.now();
  const until = new Date(now.getTime() + ctx.config.webhookSecretGraceSeconds * 1000).toISOString();
  const fresh = mintSigningSecret();
  return ctx.db.transaction().execute(async (trx) => {
    const row = await findEndpointRow(trx, chainId, id);
    if (!row) throw new AppError('WEBHOOK_ENDPOINT_NOT_FOUND');
    await trx
      .updateTable('webhook_endpoints')
      // The old ciphertext moves as it is: both signing columns share one purpose.
      .set({ signing_secret: sealEndpointSecrets(ctx.secrets, id, { signing: fresh }).signing_secret!, previous_signing_secret: row.signing_secret, previous_secret_expires_at: until, updated_at: now.toISOString() })
      .where('id', '=', id)
      .execute();
    await writeAudit(trx, { chainId, actor, action: 'webhook.secret_rotated', targetType: 'webhook_endpoint', targetId: id, details: { previous_secret_expires_at: until } }, now);
    return { endpoint: toEndpoint(ctx.secrets, (await findEndpointRow(trx, chainId, id))!), signing_secret: fresh };
  });
}

/** Removes an endpoint; its open deliveries are cancelled (kept in the log). */
export async function deleteEndpoint(ctx: AppContext, chainId: string, id: string, actor: string): Promise<void> {
  const now = ctx.clock.now();
  const at = now.toISOString();
  await ctx.db.transaction().execute(async (trx) => {
    const row = await findEndpointRow(trx, chainId, id);
    if (!row) throw new AppError('WEBHOOK_ENDPOINT_NOT_FOUND');
    await trx.updateTable('webhook_endpoints').set({ deleted_at: at, enabled: false, updated_at: at }).where('id', '=', id).execute();
    await trx
      .updateTable('webhook_deliveries')
      .set({ status: 'cancelled', completed_at: at, updated_at: at })
      .where('endpoint_id', '=', id)
      .where('status', 'in', ['waiting', 'pending', 'in_flight'])
      .execute();
    await writeAudit(trx, { chainId, actor, action: 'webhook.deleted', targetType: 'webhook_endpoint', targetId: id, details: { url: row.url } }, now);
  });
}
