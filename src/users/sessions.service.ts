import type { PortalSession } from '../platform/access.js';
import type { AppContext } from '../platform/context.js';
import { iso } from '../db/rows.js';
import { AppError } from '../platform/errors.js';
import { admitAttempt, portalKeys, recordFailure, recordSuccess } from '../security/index.js';
import { verifyPassword } from '../platform/passwords.js';
import { randomBase62, sha256 } from '../platform/secrets.js';
import { findUserByEmail, findUserById } from './users.repository.js';

export const SESSION_COOKIE = 'comanda_session';


/**
 * Checks e-mail + password and opens a session. The cookie holds a random id; the database holds
 * only its hash, so a leaked database does not yield live sessions. Attempts are throttled per
 * e-mail and per address with counters in the database (so every process shares them): past the
 * free attempts the answer is 429 with Retry-After, even for the right password.
 */
export async function login(ctx: AppContext, email: string, password: string, ip: string): Promise<{ sessionId: string; session: PortalSession }> {
  const admission = await admitAttempt(ctx, portalKeys(email, ip));
  if (!admission.ok) {
    const wait = admission.retryAfterSeconds;
    const who = admission.scope === 'login' ? 'for this account' : 'from your address';
    throw new AppError('TOO_MANY_REQUESTS', `Too many failed logins ${who}; try again in ${wait} s`, { retry_after_seconds: wait, scope: admission.scope }, { 'retry-after': String(wait) });
  }
  const user = await findUserByEmail(ctx.db, email);
  const ok = await verifyPassword(password, user?.password_hash);
  if (!user || !ok || user.disabled) {
    await recordFailure(ctx, admission.ticket);
    throw new AppError('INVALID_CREDENTIALS');
  }
  await recordSuccess(ctx, admission.ticket);
  const now = ctx.clock.now();
  const sessionId = randomBase62(43);
  const csrfToken = randomBase62(32);
  const expiresAt = new Date(now.getTime() + ctx.config.sessionTtlSeconds * 1000).toISOString();
  await ctx.db
    .insertInto('portal_sessions')
    .values({ id_hash: sha256(sessionId), user_id: user.id, csrf_token: csrfToken, created_at: now.toISOString(), expires_at: expiresAt })
    .execute();
  return { sessionId, session: { user, csrfToken, expiresAt } };
}

export async function findSession(ctx: AppContext, sessionId: string): Promise<PortalSession | undefined> {
  if (!/^[0-9A-Za-z]{43}$/.test(sessionId)) return undefined;
  const row = await ctx.db.selectFrom('portal_sessions').selectAll().where('id_hash', '=', sha256(sessionId)).executeTakeFirst();
  if (!row || iso(row.expires_at) <= ctx.clock.now().toISOString()) return undefined;
  const user = await findUserById(ctx.db, row.user_id);
  if (!user || user.disabled) return undefined;
  return { user, csrfToken: row.csrf_token, expiresAt: iso(row.expires_at) };
}

export async function logout(ctx: AppContext, sessionId: string): Promise<void> {
  await ctx.db.deleteFrom('portal_sessions').where('id_hash', '=', sha256(sessionId)).execute();
}
