import { sql } from 'kysely';
import type { Dialect, Trx } from './database.js';

/**
 * Serialises writers on one row for the rest of the transaction. Postgres: SELECT … FOR UPDATE.
 * SQLite needs nothing: its single writer already serialises write transactions.
 */
export async function lockRow(trx: Trx, dialect: Dialect, table: string, id: string): Promise<boolean> {
  if (dialect === 'sqlite') {
    const row = await sql<{ id: string }>`select id from ${sql.table(table)} where id = ${id}`.execute(trx);
    return row.rows.length > 0;
  }
  const row = await sql<{ id: string }>`select id from ${sql.table(table)} where id = ${id} for update`.execute(trx);
  return row.rows.length > 0;
}
