import { writeAudit } from '../audit/index.js';
import { findChain } from '../chains/index.js';
import type { AppContext } from '../platform/context.js';
import { lockRow } from '../db/locks.js';
import { AppError } from '../platform/errors.js';
import { uuid } from '../platform/secrets.js';
import { chainsOfUser, countActiveAdmins, findChainMember, listChainMembers, NO_PASSWORD, updateMembership, type ChainMember, type MemberFilter } from './members.repository.js';
import { issuePasswordLink, type PasswordLink } from './password-links.service.js';
import { findUserByEmail } from './users.repository.js';
import type { Role } from './users.schemas.js';

/** Who is acting: their actor string, and whether they are a platform operator (above chain admins). */
export interface ActingUser {
  actor: string;
  userId: string;
  isOperator: boolean;
}

export async function listMembers(ctx: AppContext, chainId: string, f: MemberFilter, page: number, pageSize: number) {
  const { members, total } = await listChainMembers(ctx.db, chainId, f, page, pageSize);
  return { users: members, pagination: { page, page_size: pageSize, total_count: total, total_pages: Math.ceil(total / pageSize) } };
}

async function memberOrThrow(ctx: AppContext, chainId: string, userId: string): Promise<ChainMember> {
  const m = await findChainMember(ctx.db, chainId, userId);
  if (!m) throw new AppError('USER_NOT_FOUND');
  return m;
}

/**
 * Invites a person to the chain with a role. A new person gets an account without a password and a
 * one-time link to set one (no e-mail is sent: the admin passes the link on). Someone who already has
 * an account (another chain) just gains the membership and logs in with their own password.
 */
export async function inviteMember(ctx: AppContext, chainId: string, input: { email: string; name?: string | undefined; role: Role }, by: ActingUser): Promise<{ user: ChainMember; link: PasswordLink | null }> {
  const email = input.email.trim().toLowerCase();
  if (!(await findChain(ctx.db, chainId))) throw new AppError('CHAIN_NOT_FOUND');
  const existing = await findUserByEmail(ctx.db, email);
  if (existing?.is_operator) throw new AppError('EMAIL_TAKEN', 'body.email belongs to a platform operator, who sees every chain already');
  if (existing && (await chainsOfUser(ctx.db, existing.id)).some((c) => c.chain_id === chainId)) {
    throw new AppError('EMAIL_TAKEN', `body.email: ${email} is already a member of this chain`, { field: 'body.email' });
  }
  const now = ctx.clock.now();
  const id = existing?.id ?? uuid();
  const link = await ctx.db.transaction().execute(async (trx) => {
    if (!existing) {
      await trx
        .insertInto('users')
        .values({ id, email, name: input.name?.trim() || email.split('@')[0]!, password_hash: NO_PASSWORD, is_operator: false, created_at: now.toISOString(), disabled_at: null })
        .execute();
    }
    await trx.insertInto('chain_memberships').values({ user_id: id, chain_id: chainId, role: input.role, created_at: now.toISOString() }).execute();
    await writeAudit(trx, { chainId, actor: by.actor, action: 'user.invite', targetType: 'user', targetId: id, details: { email, role: input.role, new_account: !existing } }, now);
    return existing ? null : issuePasswordLink(ctx, trx, { userId: id, chainId, purpose: 'invite', actor: by.actor });
  });
  return { user: await memberOrThrow(ctx, chainId, id), link };
}

/** Changes a member's role and/or (de)activates the membership; never leaves the chain without an admin. */
export async function updateMember(ctx: AppContext, chainId: string, userId: string, change: { role?: Role | undefined; active?: boolean | undefined }, by: ActingUser): Promise<ChainMember> {
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    // One membership change per chain at a time (the chain row is the lock), so two admins demoting
    // each other cannot both see the other still in place.
    await lockRow(trx, ctx.dialect, 'chains', chainId);
    const before = await findChainMember(trx, chainId, userId);
    if (!before) throw new AppError('USER_NOT_FOUND');
    const wasActive = before.status !== 'disabled';
    const roleChanges = change.role !== undefined && change.role !== before.role;
    const activeChanges = change.active !== undefined && change.active !== wasActive;
    if (!roleChanges && !activeChanges) return;
    const losesAdmin = before.role === 'admin' && wasActive && ((roleChanges && change.role !== 'admin') || (activeChanges && change.active === false));
    if (roleChanges) await updateMembership(trx, chainId, userId, { role: change.role! });
    if (activeChanges) await updateMembership(trx, chainId, userId, { disabled_at: change.active ? null : now.toISOString() });
    if (losesAdmin && (await countActiveAdmins(trx, chainId)) === 0) throw new AppError('LAST_ADMIN');
    if (roleChanges) {
      await writeAudit(trx, { chainId, actor: by.actor, action: 'user.role_change', targetType: 'user', targetId: userId, details: { email: before.email, from: before.role, to: change.role } }, now);
    }
    if (activeChanges) {
      await writeAudit(trx, { chainId, actor: by.actor, action: change.active ? 'user.reactivate' : 'user.deactivate', targetType: 'user', targetId: userId, details: { email: before.email } }, now);
    }
  });
  return memberOrThrow(ctx, chainId, userId);
}

/**
 * A one-time link for a member to set a new password (or, for an invited member, a fresh invitation).
 * A chain admin's say ends at their chain: for a person who also works for another chain only an
 * operator may do it, or an admin of another chain could take over that person's account there.
 */
export async function memberPasswordLink(ctx: AppContext, chainId: string, userId: string, by: ActingUser): Promise<PasswordLink> {
  const member = await memberOrThrow(ctx, chainId, userId);
  if (member.status === 'disabled') throw new AppError('USER_NOT_FOUND', 'This member is deactivated: reactivate them first');
  if (member.other_chains > 0 && !by.isOperator) throw new AppError('USER_IN_OTHER_CHAINS');
  const purpose = member.status === 'invited' ? 'invite' : 'reset';
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const link = await issuePasswordLink(ctx, trx, { userId, chainId, purpose, actor: by.actor });
    await writeAudit(trx, { chainId, actor: by.actor, action: 'user.password_link', targetType: 'user', targetId: userId, details: { email: member.email, purpose, expires_at: link.expires_at } }, now);
    return link;
  });
}
