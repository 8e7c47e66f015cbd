import { sql, type SelectQueryBuilder } from 'kysely';
import type { Executor } from './database.js';

/** Counting stops here: "10,000+" is as useful as the exact figure and stays an index-only read of at most that many entries. */
export const COUNT_CAP = 10_000;

/** How many rows `filtered` matches, up to `cap` (capped: true when there are more). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function boundedCount(db: Executor, filtered: SelectQueryBuilder<any, any, any>, cap = COUNT_CAP): Promise<{ total: number; capped: boolean }> {
  const limited = filtered.clearSelect().select(sql.lit(1).as('one')).limit(cap + 1);
  const row = await db.selectFrom(limited.as('m')).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
  const n = Number(row?.n ?? 0);
  return { total: Math.min(n, cap), capped: n > cap };
}
