import { CompiledQuery } from 'kysely';
import type { Dialect, Executor } from './database.js';

/**
 * Independent writes of one change (no statement reads what another of the batch writes), run
 * together in the caller's transaction, in the order added. SQLite runs them one after the other
 * (an embedded call each). Postgres gets them as one statement, one round trip inside the caller's
 * locks: `with w1 as (…), w2 as (…) select …` — every data-modifying WITH member runs exactly once,
 * and foreign keys between members are checked at the end of the statement, as for separate
 * statements at commit of each. A failing member fails the whole statement (and the transaction).
 */
export class WriteBatch {
  readonly #writes: CompiledQuery[] = [];
  #final: CompiledQuery | undefined;

  /** An INSERT / UPDATE / DELETE (without RETURNING: nothing of a batch is read back). */
  add(query: CompiledQuery): void {
    this.#writes.push(query);
  }

  /** A SELECT with effects of its own (pg_notify) run as the batch's last part. At most one. */
  last(query: CompiledQuery): void {
    if (this.#final === query) return;
    if (this.#final) throw new Error('WriteBatch: one final select only');
    this.#final = query;
  }

  get size(): number {
    return this.#writes.length + (this.#final ? 1 : 0);
  }

  async run(db: Executor, dialect: Dialect): Promise<void> {
    const writes = this.#writes.splice(0);
    const final = this.#final;
    this.#final = undefined;
    if (dialect === 'sqlite' || writes.length + (final ? 1 : 0) <= 1) {
      for (const q of writes) await db.executeQuery(q);
      if (final) await db.executeQuery(final);
      return;
    }
    await db.executeQuery(combine(writes, final));
  }
}

/** `$n` placeholders of a Postgres statement renumbered after `offset` earlier parameters. */
function shifted(text: string, offset: number): string {
  if (offset === 0) return text;
  return text.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + offset}`);
}

const combinedText = new Map<string, string>();

/** One statement of the writes (WITH members) and the final select (or `select 1`); the text cached per shape. */
function combine(writes: readonly CompiledQuery[], final: CompiledQuery | undefined): CompiledQuery {
  const key = [...writes, ...(final ? [final] : [])].map((p) => p.sql).join('\u0000');
  let text = combinedText.get(key);
  let offset = 0;
  const params: unknown[] = [];
  const members: string[] = [];
  for (const [i, q] of writes.entries()) {
    // Renumbering is textual: every value must be a bound parameter, never a literal holding `$`.
    if (/'[^']*\$|;/.test(q.sql)) throw new Error('WriteBatch: statement text not combinable');
    if (text === undefined) members.push(`w${i + 1} as (${shifted(q.sql, offset)})`);
    params.push(...q.parameters);
    offset += q.parameters.length;
  }
  if (text === undefined) {
    text = `with ${members.join(', ')} ${final ? shifted(final.sql, offset) : 'select 1'}`;
    if (combinedText.size > 200) combinedText.delete(combinedText.keys().next().value as string);
    combinedText.set(key, text);
  }
  if (final) params.push(...final.parameters);
  return CompiledQuery.raw(text, params);
}
