import BetterSqlite3 from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

/** better-sqlite3 binds only numbers, strings, bigints, buffers and null: convert the rest once, here. */
function bindable(value: unknown): unknown {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value instanceof Date) return value.toISOString();
  return value;
}

function convert(parameters: ReadonlyArray<unknown>): unknown[] {
  return parameters.map(bindable);
}

/**
 * Opens the embedded database in WAL mode and wraps it for Kysely: parameters are converted to what
 * SQLite can bind, and prepared statements are cached by SQL text (Kysely prepares on every query).
 */
export function openSqlite(file: string): { raw: BetterSqlite3.Database; forKysely: SqliteDatabase } {
  const raw = new BetterSqlite3(file);
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = NORMAL');
  raw.pragma('foreign_keys = ON');
  raw.pragma('busy_timeout = 5000');
  raw.pragma('cache_size = -65536');
  const cache = new Map<string, BetterSqlite3.Statement>();
  const prepare = (sql: string): BetterSqlite3.Statement => {
    let stmt = cache.get(sql);
    if (!stmt) {
      stmt = raw.prepare(sql);
      if (cache.size >= 1000) cache.delete(cache.keys().next().value as string);
      cache.set(sql, stmt);
    }
    return stmt;
  };
  const forKysely: SqliteDatabase = {
    close: () => {
      cache.clear();
      if (raw.open) raw.close();
    },
    prepare(sql: string): SqliteStatement {
      const stmt = prepare(sql);
      return {
        reader: stmt.reader,
        all: (p) => stmt.all(...convert(p)),
        run: (p) => stmt.run(...convert(p)),
        iterate: (p) => stmt.iterate(...convert(p)) as IterableIterator<unknown>,
      };
    },
  };
  return { raw, forKysely };
}
