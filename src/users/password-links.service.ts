import { writeAudit } from '../audit/index.js';
import type { AppContext } from '../platform/context.js';
import type { Trx } from '../db/database.js';
import { iso } from '../db/rows.js';
import { AppError } from '../platform/errors.js';
import { assertPasswordPolicy, clearThrottle, portalLoginKey } from '../security/index.js';
import { hashPassword } from '../platform/passwords.js';
import { isWellFormed, mintSecret, sha256 } from '../platform/secrets.js';
import { chainsOfUser, NO_PASSWORD } from './members.repository.js';
import { findUserByEmail, findUserById } from './users.repository.js';

export type LinkPurpose = 'invite' | 'reset';
const PREFIX = 'cmdpw';
/** How long a link works: an invitation a week, a reset a day. */
export const LINK_TTL_SECONDS: Record<LinkPurpose, number> = { invite: 7 * 86_400, reset: 86_400 };

export interface PasswordLink {
  /** The page to open, with the secret in the fragment (never sent to a server, never in logs). */
  url: string;
  expires_at: string;
  purpose: LinkPurpose;
}

/**
 * Issues a one-time link to set the user's password, inside the caller's transaction. Only the
 * SHA-256 of the secret is stored; an older unused link of the same user stops working.
 */
export async function issuePasswordLink(ctx: AppContext, trx: Trx, input: { userId: string; chainId: string | null; purpose: LinkPurpose; actor: string }): Promise<PasswordLink> {
  const now = ctx.clock.now();
  const secret = mintSecret(PREFIX);
  const expiresAt = new Date(now.getTime() + LINK_TTL_SECONDS[input.purpose] * 1000).toISOString();
  await trx.updateTable('password_links').set({ used_at: now.toISOString() }).where('user_id', '=', input.userId).where('used_at', 'is', null).execute();
  await trx
    .insertInto('password_links')
    .values({ token_hash: sha256(secret), user_id: input.userId, chain_id: input.chainId, purpose: input.purpose, created_by: input.actor, created_at: now.toISOString(), expires_at: expiresAt, used_at: null })
    .execute();
  return { url: `${ctx.config.publicUrl}/set-password#${secret}`, expires_at: expiresAt, purpose: input.purpose };
}

async function liveLink(ctx: AppContext, db: AppContext['db'] | Trx, secret: string) {
  if (!isWellFormed(secret, PREFIX)) return undefined;
  const row = await db.selectFrom('password_links').selectAll().where('token_hash', '=', sha256(secret)).executeTakeFirst();
  if (!row || row.used_at !== null || iso(row.expires_at) <= ctx.clock.now().toISOString()) return undefined;
  return row;
}

/** What the set-password page shows before the person types a password. */
export async function inspectPasswordLink(ctx: AppContext, secret: string): Promise<{ email: string; name: string; purpose: LinkPurpose; expires_at: string }> {
  const row = await liveLink(ctx, ctx.db, secret);
  const user = row && (await findUserById(ctx.db, row.user_id));
  if (!row || !user) throw new AppError('PASSWORD_LINK_INVALID');
  return { email: user.email, name: user.name, purpose: row.purpose as LinkPurpose, expires_at: iso(row.expires_at) };
}

/**
 * Sets the password with a link: the password policy first, then in one transaction the link is spent
 * (only if still unused and unexpired, so two tabs cannot both use it), the hash stored, every session
 * of the user ended, the login throttle on the e-mail lifted, and an audit row written for each chain
 * the person works for.
 */
export async function usePasswordLink(ctx: AppContext, secret: string, password: string): Promise<{ email: string }> {
  const found = await liveLink(ctx, ctx.db, secret);
  if (!found) throw new AppError('PASSWORD_LINK_INVALID');
  const owner = await findUserById(ctx.db, found.user_id);
  if (!owner) throw new AppError('PASSWORD_LINK_INVALID');
  // The one password rule (security/password-policy.ts), as for every other way of setting a password.
  assertPasswordPolicy(password, 'body.password', { email: owner.email });
  const hash = await hashPassword(password);
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const spent = await trx
      .updateTable('password_links')
      .set({ used_at: now.toISOString() })
      .where('token_hash', '=', found.token_hash)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now.toISOString())
      .executeTakeFirst();
    if (Number(spent.numUpdatedRows) !== 1) throw new AppError('PASSWORD_LINK_INVALID');
    const user = await findUserById(trx, found.user_id);
    if (!user) throw new AppError('PASSWORD_LINK_INVALID');
    await trx.updateTable('users').set({ password_hash: hash }).where('id', '=', user.id).execute();
    await trx.deleteFrom('portal_sessions').where('user_id', '=', user.id).execute();
    // Someone locked out by failed logins is let back in by the new password.
    await clearThrottle(trx, portalLoginKey(user.email));
    const chains = await chainsOfUser(trx, user.id);
    for (const c of chains.length ? chains : [{ chain_id: null }]) {
      await writeAudit(trx, { chainId: c.chain_id, actor: `user:${user.id}`, action: 'user.password_set', targetType: 'user', targetId: user.id, details: { email: user.email, via: found.purpose } }, now);
    }
    return { email: user.email };
  });
}

/** A link for any user by e-mail (the CLI: an operator at the console is above chain admins). */
export async function passwordLinkForEmail(ctx: AppContext, email: string, actor: string): Promise<PasswordLink & { email: string }> {
  const user = await findUserByEmail(ctx.db, email);
  if (!user) throw new AppError('USER_NOT_FOUND', `no user with e-mail ${email.trim().toLowerCase()}`);
  const purpose: LinkPurpose = user.password_hash === NO_PASSWORD ? 'invite' : 'reset';
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const link = await issuePasswordLink(ctx, trx, { userId: user.id, chainId: null, purpose, actor });
    const chains = await chainsOfUser(trx, user.id);
    for (const c of chains.length ? chains : [{ chain_id: null }]) {
      await writeAudit(trx, { chainId: c.chain_id, actor, action: 'user.password_link', targetType: 'user', targetId: user.id, details: { email: user.email, purpose, expires_at: link.expires_at } }, now);
    }
    return { ...link, email: user.email };
  });
}
