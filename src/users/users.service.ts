import { writeAudit } from '../audit/index.js';
import { findChain } from '../chains/index.js';
import type { AppContext } from '../platform/context.js';
import { AppError } from '../platform/errors.js';
import { assertPasswordPolicy, clearThrottle, portalLoginKey } from '../security/index.js';
import { hashPassword } from '../platform/passwords.js';
import { uuid } from '../platform/secrets.js';
import { findUserByEmail, findUserById, publicUser } from './users.repository.js';
import type { Role, User } from './users.schemas.js';

export interface NewUser {
  email: string;
  name?: string | undefined;
  password: string;
  /** Chain membership; omit for an operator. */
  chainId?: string | undefined;
  role?: Role | undefined;
  isOperator?: boolean | undefined;
  /** How the caller names the password in a refusal (`body.password`, `--password`). */
  passwordField?: string | undefined;
}

/**
 * Creates a portal user, or adds a chain membership to an existing user with the same e-mail
 * (one person may work for several chains). A user is either an operator or a chain member.
 */
export async function createUser(ctx: AppContext, input: NewUser, actor: string): Promise<User> {
  const email = input.email.trim().toLowerCase();
  if (!input.isOperator && !input.chainId) throw new AppError('VALIDATION_FAILED', 'a chain is required unless the user is an operator');
  if (input.chainId && !(await findChain(ctx.db, input.chainId))) throw new AppError('CHAIN_NOT_FOUND');
  const existing = await findUserByEmail(ctx.db, email);
  if (existing && (!input.chainId || existing.memberships.some((m) => m.chain_id === input.chainId) || existing.is_operator)) {
    throw new AppError('EMAIL_TAKEN');
  }
  if (!existing) assertPasswordPolicy(input.password, input.passwordField ?? 'password', { email });
  const passwordHash = existing ? undefined : await hashPassword(input.password);
  const now = ctx.clock.now();
  const id = existing?.id ?? uuid();
  await ctx.db.transaction().execute(async (trx) => {
    if (!existing) {
      await trx
        .insertInto('users')
        .values({
          id,
          email,
          name: input.name ?? email.split('@')[0]!,
          password_hash: passwordHash!,
          is_operator: input.isOperator ?? false,
          created_at: now.toISOString(),
          disabled_at: null,
        })
        .execute();
    }
    if (input.chainId) {
      await trx
        .insertInto('chain_memberships')
        .values({ user_id: id, chain_id: input.chainId, role: input.role ?? 'staff', created_at: now.toISOString() })
        .execute();
    }
    await writeAudit(trx, { chainId: input.chainId ?? null, actor, action: 'user.create', targetType: 'user', targetId: id, details: { email, role: input.role ?? (input.isOperator ? 'operator' : 'staff') } }, now);
  });
  return publicUser((await findUserById(ctx.db, id))!);
}

/**
 * Sets a user's password (the operator's reset path: `comanda user set-password`). The policy applies;
 * the user's open portal sessions end, and any login throttle on the e-mail is lifted.
 */
export async function setUserPassword(ctx: AppContext, email: string, password: string, actor: string, passwordField = 'password'): Promise<User> {
  const user = await findUserByEmail(ctx.db, email.trim());
  if (!user) throw new AppError('USER_NOT_FOUND');
  assertPasswordPolicy(password, passwordField, { email: user.email });
  const passwordHash = await hashPassword(password);
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    await trx.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', user.id).execute();
    await trx.deleteFrom('portal_sessions').where('user_id', '=', user.id).execute();
    await clearThrottle(trx, portalLoginKey(user.email));
    for (const m of user.memberships) await writeAudit(trx, { chainId: m.chain_id, actor, action: 'user.password_set', targetType: 'user', targetId: user.id, details: { email: user.email } }, now);
    if (user.memberships.length === 0) await writeAudit(trx, { chainId: null, actor, action: 'user.password_set', targetType: 'user', targetId: user.id, details: { email: user.email } }, now);
  });
  return publicUser(user);
}
