import { sql } from 'kysely';
import type { Executor } from '../db/database.js';
import { iso, isoOrNull, num } from '../db/rows.js';
import type { Role } from './users.schemas.js';

/** Stored instead of a hash for an invited user who has not set a password yet: matches no password. */
export const NO_PASSWORD = 'invited';

export type MemberStatus = 'active' | 'invited' | 'disabled';

/** A person as a chain admin sees them: their role and standing in this chain. */
export interface ChainMember {
  id: string;
  email: string;
  name: string;
  role: Role;
  status: MemberStatus;
  created_at: string;
  disabled_at: string | null;
  /** Other chains this person works for (their password is theirs, not this chain's). */
  other_chains: number;
}

export interface MemberFilter {
  /** Part of the name or e-mail. */
  q?: string | undefined;
  role?: Role | undefined;
  status?: MemberStatus | undefined;
}

function baseQuery(db: Executor, chainId: string) {
  return db
    .selectFrom('chain_memberships as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .where('m.chain_id', '=', chainId);
}

type Row = { id: string; email: string; name: string; password_hash: string; role: string; created_at: unknown; disabled_at: unknown; other_chains: unknown };

function toMember(r: Row): ChainMember {
  const disabledAt = isoOrNull(r.disabled_at);
  return {
    id: r.id,
    email: r.email,
    name: r.name,
    role: r.role as Role,
    status: disabledAt ? 'disabled' : r.password_hash === NO_PASSWORD ? 'invited' : 'active',
    created_at: iso(r.created_at),
    disabled_at: disabledAt,
    other_chains: num(r.other_chains),
  };
}

/** The chain's members, oldest first (then by e-mail), filtered and paged; with the total for the pager. */
export async function listChainMembers(db: Executor, chainId: string, f: MemberFilter, page: number, pageSize: number): Promise<{ members: ChainMember[]; total: number }> {
  let q = baseQuery(db, chainId);
  if (f.q) {
    const like = `%${f.q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    q = q.where(sql<boolean>`(lower(u.name) like ${like} escape '\\' or u.email like ${like} escape '\\')`);
  }
  if (f.role) q = q.where('m.role', '=', f.role);
  if (f.status === 'disabled') q = q.where('m.disabled_at', 'is not', null);
  else if (f.status === 'invited') q = q.where('m.disabled_at', 'is', null).where('u.password_hash', '=', NO_PASSWORD);
  else if (f.status === 'active') q = q.where('m.disabled_at', 'is', null).where('u.password_hash', '!=', NO_PASSWORD);
  const total = await q.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
  const rows = await q
    .select(['u.id', 'u.email', 'u.name', 'u.password_hash', 'm.role', 'm.created_at', 'm.disabled_at'])
    .select((eb) =>
      eb
        .selectFrom('chain_memberships as o')
        .select((e) => e.fn.countAll().as('n'))
        .whereRef('o.user_id', '=', 'm.user_id')
        .where('o.chain_id', '!=', chainId)
        .as('other_chains'),
    )
    .orderBy('m.created_at')
    .orderBy('u.email')
    .limit(pageSize)
    .offset((page - 1) * pageSize)
    .execute();
  return { members: rows.map((r) => toMember(r as Row)), total: num(total.n) };
}

export async function findChainMember(db: Executor, chainId: string, userId: string): Promise<ChainMember | undefined> {
  const r = await baseQuery(db, chainId)
    .where('u.id', '=', userId)
    .select(['u.id', 'u.email', 'u.name', 'u.password_hash', 'm.role', 'm.created_at', 'm.disabled_at'])
    .select((eb) =>
      eb
        .selectFrom('chain_memberships as o')
        .select((e) => e.fn.countAll().as('n'))
        .whereRef('o.user_id', '=', 'm.user_id')
        .where('o.chain_id', '!=', chainId)
        .as('other_chains'),
    )
    .executeTakeFirst();
  return r && toMember(r as Row);
}

/** Admins of the chain whose membership is active (invited ones included: they can still take over). */
export async function countActiveAdmins(db: Executor, chainId: string): Promise<number> {
  const r = await db
    .selectFrom('chain_memberships')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('chain_id', '=', chainId)
    .where('role', '=', 'admin')
    .where('disabled_at', 'is', null)
    .executeTakeFirstOrThrow();
  return num(r.n);
}

export async function updateMembership(db: Executor, chainId: string, userId: string, set: { role?: Role; disabled_at?: string | null }): Promise<void> {
  await db.updateTable('chain_memberships').set(set).where('chain_id', '=', chainId).where('user_id', '=', userId).execute();
}

/** Chains where this person has a membership (active or not). */
export async function chainsOfUser(db: Executor, userId: string): Promise<Array<{ chain_id: string; role: Role; active: boolean }>> {
  const rows = await db.selectFrom('chain_memberships').select(['chain_id', 'role', 'disabled_at']).where('user_id', '=', userId).execute();
  return rows.map((r) => ({ chain_id: r.chain_id, role: r.role as Role, active: r.disabled_at === null || r.disabled_at === undefined }));
}
