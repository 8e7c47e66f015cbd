import { writeAudit } from '../audit/index.js';
import type { AppContext } from '../platform/context.js';
import { compiledQuery } from '../db/compiled.js';
import { announceCredentialChange, authenticateCached, forgetCredentials, peekCached } from '../platform/credential-cache.js';
import { lockRow } from '../db/locks.js';
import { iso, isoOrNull } from '../db/rows.js';
import type { ApiTokensTable } from '../db/schema.js';
import type { TokenPrincipal } from '../platform/access.js';
import { AppError } from '../platform/errors.js';
import { isWellFormed, mintSecret, redacted, sha256, uuid } from '../platform/secrets.js';
import type { Selectable } from 'kysely';
import { MAX_ACTIVE_TOKENS, type ApiToken, type CreateTokenBody } from './tokens.schemas.js';

const PREFIX = { live: 'cmd_live', test: 'cmd_test' } as const;

function toToken(row: Selectable<ApiTokensTable>, now: Date): ApiToken {
  const expiresAt = isoOrNull(row.expires_at);
  const revokedAt = isoOrNull(row.revoked_at);
  return {
    id: row.id,
    chain_id: row.chain_id,
    name: row.name,
    environment: row.environment as 'live' | 'test',
    display_prefix: row.display_prefix,
    last4: row.last4,
    created_at: iso(row.created_at),
    created_by: row.created_by,
    expires_at: expiresAt,
    last_used_at: isoOrNull(row.last_used_at),
    revoked_at: revokedAt,
    status: revokedAt ? 'revoked' : expiresAt && expiresAt <= now.toISOString() ? 'expired' : 'active',
  };
}

/** Creates a token (at most 11 active per chain, checked under a chain lock). The secret is returned once. */
export async function createToken(
  ctx: AppContext,
  chainId: string,
  input: CreateTokenBody,
  actor: string,
): Promise<{ token: ApiToken; secret: string }> {
  const now = ctx.clock.now();
  const environment = input.environment ?? 'live';
  if (input.expires_at && new Date(input.expires_at) <= now) {
    throw new AppError('VALIDATION_FAILED', 'body.expires_at must be in the future', { fields: [{ field: 'body.expires_at', problem: 'in the past' }] });
  }
  const secret = mintSecret(PREFIX[environment]);
  const { displayPrefix, last4 } = redacted(secret, PREFIX[environment]);
  const id = uuid();
  await ctx.db.transaction().execute(async (trx) => {
    if (!(await lockRow(trx, ctx.dialect, 'chains', chainId))) throw new AppError('CHAIN_NOT_FOUND');
    const { active } = await trx
      .selectFrom('api_tokens')
      .select((eb) => eb.fn.countAll<number>().as('active'))
      .where('chain_id', '=', chainId)
      .where('revoked_at', 'is', null)
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now.toISOString())]))
      .executeTakeFirstOrThrow();
    if (Number(active) >= MAX_ACTIVE_TOKENS) throw new AppError('TOKEN_LIMIT_REACHED');
    await trx
      .insertInto('api_tokens')
      .values({
        id,
        chain_id: chainId,
        name: input.name.trim(),
        environment,
        token_hash: sha256(secret),
        display_prefix: displayPrefix,
        last4,
        created_at: now.toISOString(),
        created_by: actor,
        expires_at: input.expires_at ? new Date(input.expires_at).toISOString() : null,
        last_used_at: null,
        revoked_at: null,
        revoked_by: null,
      })
      .execute();
    await writeAudit(trx, { chainId, actor, action: 'token.create', targetType: 'api_token', targetId: id, details: { name: input.name, environment, display_prefix: displayPrefix } }, now);
  });
  const row = await ctx.db.selectFrom('api_tokens').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  return { token: toToken(row, now), secret };
}

export async function listTokens(ctx: AppContext, chainId: string, opts: { includeRevoked?: boolean } = {}): Promise<ApiToken[]> {
  let q = ctx.db.selectFrom('api_tokens').selectAll().where('chain_id', '=', chainId);
  if (!opts.includeRevoked) q = q.where('revoked_at', 'is', null);
  const rows = await q.orderBy('created_at').orderBy('id').execute();
  const now = ctx.clock.now();
  return rows.map((r) => toToken(r, now));
}

/**
 * Revocation is immediate: this process forgets its cached credentials once the revocation commits,
 * and on Postgres every other process hears it (NOTIFY) at the same moment.
 */
export async function revokeToken(ctx: AppContext, chainId: string, tokenId: string, actor: string): Promise<ApiToken> {
  const now = ctx.clock.now();
  const revoked = await ctx.db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('api_tokens').selectAll().where('id', '=', tokenId).where('chain_id', '=', chainId).executeTakeFirst();
    if (!row) throw new AppError('TOKEN_NOT_FOUND');
    if (row.revoked_at) throw new AppError('TOKEN_ALREADY_REVOKED');
    await trx.updateTable('api_tokens').set({ revoked_at: now.toISOString(), revoked_by: actor }).where('id', '=', tokenId).execute();
    await writeAudit(trx, { chainId, actor, action: 'token.revoke', targetType: 'api_token', targetId: tokenId, details: { name: row.name } }, now);
    await announceCredentialChange(ctx, trx);
    return toToken({ ...row, revoked_at: now.toISOString(), revoked_by: actor }, now);
  });
  forgetCredentials(ctx);
  return revoked;
}

/** True when `secret` is an active token of the chain. */
export async function tokenIsActive(ctx: AppContext, chainId: string, secret: string): Promise<boolean> {
  const row = await ctx.db.selectFrom('api_tokens').select('id').where('token_hash', '=', sha256(secret)).where('revoked_at', 'is', null).where('chain_id', '=', chainId).executeTakeFirst();
  return row !== undefined;
}

/** Revokes every active token of the chain with this name (the demo seed retires a token whose secret it lost). */
export async function revokeTokensNamed(ctx: AppContext, chainId: string, name: string, actor: string): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    await trx.updateTable('api_tokens').set({ revoked_at: ctx.clock.now().toISOString(), revoked_by: actor }).where('chain_id', '=', chainId).where('name', '=', name).where('revoked_at', 'is', null).execute();
    await announceCredentialChange(ctx, trx);
  });
  forgetCredentials(ctx);
}

export function looksLikeApiToken(secret: string): boolean {
  return secret.startsWith('cmd_live_') || secret.startsWith('cmd_test_');
}

const tokenByHash = compiledQuery((db, hash: string) =>
  db.selectFrom('api_tokens').select(['id', 'chain_id', 'environment', 'expires_at', 'revoked_at', 'last_used_at']).where('token_hash', '=', hash),
);
const touchToken = compiledQuery((db, at: string, id: string) => db.updateTable('api_tokens').set({ last_used_at: at }).where('id', '=', id));

/** The cached principal of a token, without touching the database (see peekCached): the hot GET's fast path. */
export function cachedApiToken(ctx: AppContext, secret: string): TokenPrincipal | undefined {
  return peekCached<TokenPrincipal>(ctx, `api:${sha256(secret)}`);
}

/**
 * The chain a bearer token speaks for, or undefined when it is malformed, unknown, expired or revoked.
 * A token checked recently is answered from the process's credential cache (see credential-cache.ts).
 */
export async function authenticateApiToken(ctx: AppContext, secret: string): Promise<TokenPrincipal | undefined> {
  const hash = sha256(secret);
  const environment = secret.startsWith('cmd_test_') ? 'test' : 'live';
  return authenticateCached<TokenPrincipal>(
    ctx,
    `api:${hash}`,
    () => isWellFormed(secret, PREFIX[environment]),
    async () => {
      const row = (await tokenByHash(ctx.db, ctx.dialect, hash)).rows[0];
      const expiresAt = isoOrNull(row?.expires_at);
      if (!row || row.revoked_at || (expiresAt && expiresAt <= ctx.clock.now().toISOString())) return undefined;
      const principal: TokenPrincipal = { kind: 'api_token', chainId: row.chain_id, tokenId: row.id, environment: row.environment as 'live' | 'test' };
      return { principal, expiresAt, lastUsedAt: isoOrNull(row.last_used_at) };
    },
    (at, principal) => touchToken(ctx.db, ctx.dialect, at, principal.tokenId),
  );
}
