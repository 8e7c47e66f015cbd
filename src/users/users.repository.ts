import type { Executor } from '../db/database.js';
import { bool, iso } from '../db/rows.js';
import type { Role, User } from './users.schemas.js';

export interface UserRecord extends User {
  password_hash: string;
  disabled: boolean;
}

export async function findUserByEmail(db: Executor, email: string): Promise<UserRecord | undefined> {
  const row = await db.selectFrom('users').selectAll().where('email', '=', email.toLowerCase()).executeTakeFirst();
  if (!row) return undefined;
  return withMemberships(db, row);
}

export async function findUserById(db: Executor, id: string): Promise<UserRecord | undefined> {
  const row = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return undefined;
  return withMemberships(db, row);
}

async function withMemberships(
  db: Executor,
  row: { id: string; email: string; name: string; password_hash: string; is_operator: unknown; created_at: unknown; disabled_at: unknown },
): Promise<UserRecord> {
  const memberships = await db
    .selectFrom('chain_memberships')
    .select(['chain_id', 'role'])
    .where('user_id', '=', row.id)
    // A deactivated membership opens nothing: the session hook and every role check see it gone.
    .where('disabled_at', 'is', null)
    .orderBy('created_at')
    .execute();
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    is_operator: bool(row.is_operator),
    memberships: memberships.map((m) => ({ chain_id: m.chain_id, role: m.role as Role })),
    created_at: iso(row.created_at),
    password_hash: row.password_hash,
    disabled: row.disabled_at !== null && row.disabled_at !== undefined,
  };
}

export async function listChainUsers(db: Executor, chainId: string): Promise<User[]> {
  const rows = await db
    .selectFrom('users')
    .innerJoin('chain_memberships', 'chain_memberships.user_id', 'users.id')
    .select(['users.id', 'users.email', 'users.name', 'users.is_operator', 'users.created_at', 'chain_memberships.role'])
    .where('chain_memberships.chain_id', '=', chainId)
    .orderBy('users.created_at')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    email: r.email,
    name: r.name,
    is_operator: bool(r.is_operator),
    memberships: [{ chain_id: chainId, role: r.role as Role }],
    created_at: iso(r.created_at),
  }));
}

/** Public shape: never the password hash. */
export function publicUser(u: User): User {
  return { id: u.id, email: u.email, name: u.name, is_operator: u.is_operator, memberships: u.memberships, created_at: u.created_at };
}

/** Name and e-mail of the given users (unknown ids are left out). */
export async function findUserNames(db: Executor, ids: string[]): Promise<Array<{ id: string; name: string; email: string }>> {
  if (ids.length === 0) return [];
  return db.selectFrom('users').select(['id', 'name', 'email']).where('id', 'in', ids).execute();
}
