import type { Executor } from '../db/database.js';
import { iso } from '../db/rows.js';
import type { ChainsTable } from '../db/schema.js';
import type { Selectable } from 'kysely';
import type { Chain } from './chains.schemas.js';

function toChain(row: Selectable<ChainsTable>): Chain {
  return { id: row.id, name: row.name, country_code: row.country_code, currency: row.currency, created_at: iso(row.created_at) };
}

export async function insertChain(db: Executor, chain: Chain): Promise<Chain> {
  await db.insertInto('chains').values(chain).execute();
  return chain;
}

export async function findChain(db: Executor, id: string): Promise<Chain | undefined> {
  const row = await db.selectFrom('chains').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toChain(row);
}

export async function findChainByName(db: Executor, name: string): Promise<Chain | undefined> {
  const row = await db.selectFrom('chains').selectAll().where('name', '=', name).orderBy('created_at').executeTakeFirst();
  return row && toChain(row);
}

export async function listChains(db: Executor): Promise<Chain[]> {
  const rows = await db.selectFrom('chains').selectAll().orderBy('created_at').orderBy('id').execute();
  return rows.map(toChain);
}
