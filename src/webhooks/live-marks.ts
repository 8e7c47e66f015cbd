import { sql } from 'kysely';
import type { Executor } from '../db/database.js';

/**
 * How far the SQLite change watch (orders/live.ts) has seen the webhook tables: the highest rowid of
 * deliveries and attempts, and the latest endpoint update. (Postgres announces changes by NOTIFY instead.)
 */
export interface WebhookMarks {
  deliveries: number;
  attempts: number;
  endpoints: string;
}

const endpointsMark = async (db: Executor) => String((await sql<{ u: unknown }>`select max(updated_at) as u from webhook_endpoints`.execute(db)).rows[0]?.u ?? '');
const maxRowid = async (db: Executor, table: 'webhook_deliveries' | 'webhook_attempts') =>
  Number((await sql<{ r: unknown }>`select coalesce(max(rowid), 0) as r from ${sql.table(table)}`.execute(db)).rows[0]?.r ?? 0);

/** The marks now (SQLite only: rowid). */
export async function webhookMarks(db: Executor): Promise<WebhookMarks> {
  return { deliveries: await maxRowid(db, 'webhook_deliveries'), attempts: await maxRowid(db, 'webhook_attempts'), endpoints: await endpointsMark(db) };
}

/**
 * The chains whose deliveries (or their attempts) and whose endpoints changed after the marks, in
 * that order; moves the marks forward in place (SQLite only: rowid).
 */
export async function webhookChangesSince(db: Executor, m: WebhookMarks): Promise<{ deliveries: string[]; endpoints: string[] }> {
  const deliveries: string[] = [];
  for (const [table, key] of [['webhook_deliveries', 'deliveries'], ['webhook_attempts', 'attempts']] as const) {
    const rows = await sql<{ chain_id: string; r: unknown }>`select chain_id, max(rowid) as r from ${sql.table(table)} where rowid > ${m[key]} group by chain_id`.execute(db);
    for (const x of rows.rows) {
      deliveries.push(x.chain_id);
      m[key] = Math.max(m[key], Number(x.r));
    }
  }
  const ep = await sql<{ chain_id: string }>`select distinct chain_id from webhook_endpoints where updated_at > ${m.endpoints}`.execute(db);
  const endpoints = ep.rows.map((x) => x.chain_id);
  if (endpoints.length > 0) m.endpoints = await endpointsMark(db);
  return { deliveries, endpoints };
}
