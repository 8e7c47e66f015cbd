import type { Selectable } from 'kysely';
import type { Executor } from '../db/database.js';
import { json } from '../db/rows.js';
import type { SftpUsersTable } from '../db/tables/sftp.js';

export type SftpUserRow = Selectable<SftpUsersTable>;

/** Public key lines of a login row. */
export function publicKeysOf(row: SftpUserRow): string[] {
  return json<string[]>(row.public_keys);
}

export async function findSftpUserByChain(db: Executor, chainId: string): Promise<SftpUserRow | undefined> {
  return db.selectFrom('sftp_users').selectAll().where('chain_id', '=', chainId).executeTakeFirst();
}

export async function findSftpUserByUsername(db: Executor, username: string): Promise<SftpUserRow | undefined> {
  return db.selectFrom('sftp_users').selectAll().where('username', '=', username).executeTakeFirst();
}

export async function usernameTaken(db: Executor, username: string): Promise<boolean> {
  return (await db.selectFrom('sftp_users').select('id').where('username', '=', username).executeTakeFirst()) !== undefined;
}

export async function recordLogin(db: Executor, id: string, at: Date): Promise<void> {
  await db.updateTable('sftp_users').set({ last_login_at: at.toISOString() }).where('id', '=', id).execute();
}
