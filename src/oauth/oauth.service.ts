import type { Selectable } from 'kysely';
import { writeAudit } from '../audit/index.js';
import type { AppContext } from '../platform/context.js';
import { compiledQuery } from '../db/compiled.js';
import { announceCredentialChange, authenticateCached, forgetCredentials, peekCached } from '../platform/credential-cache.js';
import { iso, isoOrNull } from '../db/rows.js';
import type { OauthClientsTable } from '../db/schema.js';
import type { OauthPrincipal } from '../platform/access.js';
import { AppError } from '../platform/errors.js';
import { isWellFormed, mintSecret, randomBase62, safeEqual, sha256, uuid } from '../platform/secrets.js';
import type { OauthClient } from './oauth.schemas.js';

const SECRET_PREFIX = 'cmd_cs';
const ACCESS_PREFIX = 'cmd_at';

/** An OAuth error (RFC 6749 §5.2), rendered as { error, error_description }. */
export class OauthError extends Error {
  constructor(
    readonly status: 400 | 401,
    readonly error: 'invalid_request' | 'invalid_client' | 'unsupported_grant_type' | 'invalid_scope',
    readonly description: string,
  ) {
    super(description);
  }
}

function toClient(row: Selectable<OauthClientsTable>): OauthClient {
  return {
    id: row.id,
    chain_id: row.chain_id,
    client_id: row.client_id,
    name: row.name,
    secret_last4: row.last4,
    created_at: iso(row.created_at),
    created_by: row.created_by,
    last_used_at: isoOrNull(row.last_used_at),
    revoked_at: isoOrNull(row.revoked_at),
  };
}

export async function createOauthClient(ctx: AppContext, chainId: string, name: string, actor: string): Promise<{ client: OauthClient; client_secret: string }> {
  const now = ctx.clock.now();
  const secret = mintSecret(SECRET_PREFIX);
  const id = uuid();
  const clientId = `cmd_client_${randomBase62(20)}`;
  await ctx.db.transaction().execute(async (trx) => {
    const chain = await trx.selectFrom('chains').select('id').where('id', '=', chainId).executeTakeFirst();
    if (!chain) throw new AppError('CHAIN_NOT_FOUND');
    await trx
      .insertInto('oauth_clients')
      .values({
        id,
        chain_id: chainId,
        client_id: clientId,
        name: name.trim(),
        secret_hash: sha256(secret),
        last4: secret.slice(-4),
        created_at: now.toISOString(),
        created_by: actor,
        last_used_at: null,
        revoked_at: null,
        revoked_by: null,
      })
      .execute();
    await writeAudit(trx, { chainId, actor, action: 'oauth_client.create', targetType: 'oauth_client', targetId: id, details: { name, client_id: clientId } }, now);
  });
  const row = await ctx.db.selectFrom('oauth_clients').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  return { client: toClient(row), client_secret: secret };
}

export async function listOauthClients(ctx: AppContext, chainId: string): Promise<OauthClient[]> {
  const rows = await ctx.db.selectFrom('oauth_clients').selectAll().where('chain_id', '=', chainId).where('revoked_at', 'is', null).orderBy('created_at').execute();
  return rows.map(toClient);
}

/** Revoking a client also kills every access token it obtained, at once (in every process: see revokeToken). */
export async function revokeOauthClient(ctx: AppContext, chainId: string, id: string, actor: string): Promise<OauthClient> {
  const now = ctx.clock.now();
  const revoked = await ctx.db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('oauth_clients').selectAll().where('id', '=', id).where('chain_id', '=', chainId).executeTakeFirst();
    if (!row) throw new AppError('OAUTH_CLIENT_NOT_FOUND');
    if (row.revoked_at) throw new AppError('OAUTH_CLIENT_ALREADY_REVOKED');
    await trx.updateTable('oauth_clients').set({ revoked_at: now.toISOString(), revoked_by: actor }).where('id', '=', id).execute();
    await trx.deleteFrom('oauth_access_tokens').where('client_pk', '=', id).execute();
    await writeAudit(trx, { chainId, actor, action: 'oauth_client.revoke', targetType: 'oauth_client', targetId: id, details: { name: row.name, client_id: row.client_id } }, now);
    await announceCredentialChange(ctx, trx);
    return toClient({ ...row, revoked_at: now.toISOString() });
  });
  forgetCredentials(ctx);
  return revoked;
}

export interface ClientCredentialsRequest {
  grantType: string | undefined;
  clientId: string | undefined;
  clientSecret: string | undefined;
}

/** The client-credentials grant: a 2-hour (configurable) opaque bearer token, stored hashed. */
export async function issueAccessToken(ctx: AppContext, req: ClientCredentialsRequest): Promise<{ access_token: string; token_type: 'Bearer'; expires_in: number }> {
  if (!req.grantType) throw new OauthError(400, 'invalid_request', 'grant_type is required');
  if (req.grantType !== 'client_credentials') throw new OauthError(400, 'unsupported_grant_type', `grant_type "${req.grantType}" is not supported; use client_credentials`);
  if (!req.clientId || !req.clientSecret) throw new OauthError(400, 'invalid_request', 'client_id and client_secret are required (form body or HTTP Basic)');
  const row = await ctx.db.selectFrom('oauth_clients').selectAll().where('client_id', '=', req.clientId).executeTakeFirst();
  const secretOk = row !== undefined && isWellFormed(req.clientSecret, SECRET_PREFIX) && safeEqual(sha256(req.clientSecret), row.secret_hash);
  if (!row || !secretOk || row.revoked_at) throw new OauthError(401, 'invalid_client', 'client authentication failed');
  const now = ctx.clock.now();
  const ttl = ctx.config.oauthTokenTtlSeconds;
  const accessToken = mintSecret(ACCESS_PREFIX);
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('oauth_access_tokens')
      .values({
        token_hash: sha256(accessToken),
        client_pk: row.id,
        chain_id: row.chain_id,
        created_at: now.toISOString(),
        expires_at: new Date(now.getTime() + ttl * 1000).toISOString(),
      })
      .execute();
    await trx.updateTable('oauth_clients').set({ last_used_at: now.toISOString() }).where('id', '=', row.id).execute();
    // Housekeeping: expired tokens of this client are useless.
    await trx.deleteFrom('oauth_access_tokens').where('client_pk', '=', row.id).where('expires_at', '<=', now.toISOString()).execute();
  });
  return { access_token: accessToken, token_type: 'Bearer', expires_in: ttl };
}


export function looksLikeAccessToken(secret: string): boolean {
  return secret.startsWith(`${ACCESS_PREFIX}_`);
}

const accessTokenByHash = compiledQuery((db, hash: string) =>
  db
    .selectFrom('oauth_access_tokens')
    .innerJoin('oauth_clients', 'oauth_clients.id', 'oauth_access_tokens.client_pk')
    .select(['oauth_access_tokens.chain_id', 'oauth_access_tokens.client_pk', 'oauth_access_tokens.expires_at', 'oauth_clients.revoked_at', 'oauth_clients.last_used_at'])
    .where('oauth_access_tokens.token_hash', '=', hash),
);
const touchClient = compiledQuery((db, at: string, id: string) => db.updateTable('oauth_clients').set({ last_used_at: at }).where('id', '=', id));

/** The cached principal of an access token, without touching the database (see peekCached). */
export function cachedAccessToken(ctx: AppContext, secret: string): OauthPrincipal | undefined {
  return peekCached<OauthPrincipal>(ctx, `oauth:${sha256(secret)}`);
}

/** The chain an access token speaks for (cached like API tokens), or undefined when unknown, expired or its client revoked. */
export async function authenticateAccessToken(ctx: AppContext, secret: string): Promise<OauthPrincipal | undefined> {
  const hash = sha256(secret);
  return authenticateCached<OauthPrincipal>(
    ctx,
    `oauth:${hash}`,
    () => isWellFormed(secret, ACCESS_PREFIX),
    async () => {
      const row = (await accessTokenByHash(ctx.db, ctx.dialect, hash)).rows[0];
      if (!row || row.revoked_at || iso(row.expires_at) <= ctx.clock.now().toISOString()) return undefined;
      const principal: OauthPrincipal = { kind: 'oauth', chainId: row.chain_id, clientPk: row.client_pk, environment: 'live' };
      return { principal, expiresAt: iso(row.expires_at), lastUsedAt: isoOrNull(row.last_used_at) };
    },
    (at, principal) => touchClient(ctx.db, ctx.dialect, at, principal.clientPk),
  );
}
