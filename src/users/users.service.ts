import { writeAudit } from '../audit/audit.repository.js';
import { findChain } from '../chains/chains.repository.js';
import type { AppContext } from '../context.js';
import { AppError } from '../http/errors.js';
import { hashPassword } from '../shared/passwords.js';
import { uuid } from '../shared/secrets.js';
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
