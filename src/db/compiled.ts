import { CompiledQuery, type Compilable, type QueryResult } from 'kysely';
import type { Dialect, Executor } from './database.js';

const SENTINEL = '\u0000compiled-arg-';

type Slot = { arg: number } | { value: unknown };

/**
 * A query written with the builder once and compiled once per dialect, then re-run with new argument
 * values: hot paths skip building and compiling, and the statement text is constant (SQLite reuses its
 * prepared statement; Postgres gets a named prepared statement, see database.ts). Every argument must
 * reach the query as a bound parameter as given (no transformation inside `build`), and the query's
 * shape must not depend on the values (no IN lists of varying length).
 */
export interface CompiledStatement<A extends unknown[], R> {
  /** Runs the statement with these argument values. */
  (db: Executor, dialect: Dialect, ...args: A): Promise<QueryResult<R>>;
  /** The statement with these argument values, not run (for a WriteBatch). */
  query(db: Executor, dialect: Dialect, ...args: A): CompiledQuery<R>;
}

export function compiledQuery<A extends unknown[], R>(build: (db: Executor, ...args: A) => Compilable<R>): CompiledStatement<A, R> {
  const cache = new Map<Dialect, { sql: string; slots: Slot[] }>();
  const query = (db: Executor, dialect: Dialect, ...args: A): CompiledQuery<R> => {
    let c = cache.get(dialect);
    if (!c) {
      const sentinels = args.map((_, i) => `${SENTINEL}${i}\u0000`) as unknown as A;
      const compiled = build(db, ...sentinels).compile();
      const slots: Slot[] = compiled.parameters.map((p) => {
        if (typeof p === 'string' && p.startsWith(SENTINEL)) return { arg: Number(p.slice(SENTINEL.length, -1)) };
        return { value: p };
      });
      for (let i = 0; i < args.length; i++) {
        if (!slots.some((s) => 'arg' in s && s.arg === i)) throw new Error(`compiledQuery: argument ${i} is not a bound parameter of the query`);
      }
      cache.set(dialect, (c = { sql: compiled.sql, slots }));
    }
    const params = c.slots.map((s) => ('arg' in s ? args[s.arg] : s.value));
    return CompiledQuery.raw(c.sql, params) as CompiledQuery<R>;
  };
  const run = ((db: Executor, dialect: Dialect, ...args: A) => db.executeQuery<R>(query(db, dialect, ...args))) as CompiledStatement<A, R>;
  run.query = query;
  return run;
}
