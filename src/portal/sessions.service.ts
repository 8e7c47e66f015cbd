import type { AppContext } from '../context.js';
import { iso } from '../db/rows.js';
import { AppError } from '../http/errors.js';
import { verifyPassword } from '../shared/passwords.js';
import { randomBase62, sha256 } from '../shared/secrets.js';
import { findUserByEmail, findUserById, type UserRecord } from '../users/users.repository.js';
import { LoginThrottle } from './login-throttle.js';

export const SESSION_COOKIE = 'comanda_session';

export interface PortalSession {
  user: UserRecord;
  csrfToken: string;
  expiresAt: string;
}

/** Per process; with several processes each keeps its own count, which only makes guessing slower. */
const throttles = new WeakMap<AppContext, LoginThrottle>();
function throttle(ctx: AppContext): LoginThrottle {
  let t = throttles.get(ctx);
  if (!t) throttles.set(ctx, (t = new LoginThrottle()));
  return t;
}

/**
 * Checks e-mail + password and opens a session. The cookie holds a random id; the database holds
 * only its hash, so a leaked database does not yield live sessions.
 */
export async function login(ctx: AppContext, email: string, password: string, ip: string): Promise<{ sessionId: string; session: PortalSession }> {
  const key = `${email.trim().toLowerCase()}|${ip}`;
  const now = ctx.clock.now();
  const wait = throttle(ctx).retryAfterSeconds(key, now.getTime());
  if (wait > 0) throw new AppError('TOO_MANY_REQUESTS', `Too many failed logins; try again in ${wait} s`, undefined, { 'retry-after': String(wait) });
  const user = await findUserByEmail(ctx.db, email);
  const ok = await verifyPassword(password, user?.password_hash);
  if (!user || !ok || user.disabled) {
    throttle(ctx).fail(key, now.getTime());
    throw new AppError('INVALID_CREDENTIALS');
  }
  throttle(ctx).reset(key);
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
