import BetterSqlite3 from 'better-sqlite3';
import { CompiledQuery, SqliteDialect, SqliteDriver, type DatabaseConnection, type Driver, type SqliteDatabase, type SqliteDialectConfig, type SqliteStatement } from 'kysely';

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
  // The wrapper Kysely sees is cached with its statement: a hot query allocates nothing per execution.
  const cache = new Map<string, SqliteStatement>();
  const prepare = (sql: string): SqliteStatement => {
    let wrapped = cache.get(sql);
    if (!wrapped) {
      const stmt = raw.prepare(sql);
      wrapped = {
        reader: stmt.reader,
        all: (p) => stmt.all(...convert(p)),
        run: (p) => stmt.run(...convert(p)),
        iterate: (p) => stmt.iterate(...convert(p)) as IterableIterator<unknown>,
      };
      if (cache.size >= 1000) cache.delete(cache.keys().next().value as string);
      cache.set(sql, wrapped);
    }
    return wrapped;
  };
  const forKysely: SqliteDatabase = {
    close: () => {
      cache.clear();
      if (raw.open) raw.close();
    },
    prepare,
  };
  return { raw, forKysely };
}

/**
 * A second, read-only connection to the same database file, for hot reads outside Kysely. In WAL
 * mode a reader never blocks the writer nor waits for it, and every statement starts a new read
 * transaction that sees every transaction committed before it (never an open one's writes, which a
 * read on the writer's own connection would see while a transaction holds it).
 */
export function openSqliteReader(file: string): BetterSqlite3.Database {
  const raw = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
  raw.pragma('busy_timeout = 5000');
  raw.pragma('cache_size = -65536');
  return raw;
}

/** A mutex that hands the lock to the longest waiter (first come, first served), O(1) per hand-over. */
class FifoMutex {
  private locked = false;
  private waiters: Array<() => void> = [];
  private head = 0;

  lock(): Promise<void> {
    if (!this.locked) {
      this.locked = true;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  unlock(): void {
    if (this.head < this.waiters.length) {
      const next = this.waiters[this.head]!;
      this.waiters[this.head++] = undefined as unknown as () => void;
      if (this.head === this.waiters.length) {
        this.waiters = [];
        this.head = 0;
      }
      next(); // the lock passes on: `locked` stays true
    } else this.locked = false;
  }
}

/**
 * Kysely's SQLite driver with a fair lock on the one connection. Kysely's own mutex wakes every waiter
 * at each release and lets them race, so whoever runs several queries in a row (a request) can take the
 * connection again and again while an earlier waiter (the webhook dispatcher's claim right after a
 * commit, another request) waits behind it; with many waiters each release also wakes all of them.
 * Here the connection goes to waiters in arrival order (the inner mutex is then always free).
 *
 * Transactions begin IMMEDIATE: they take the database's write lock at `begin`, waiting for it up to
 * busy_timeout. A deferred `begin` reads on a snapshot and upgrades to a writer at its first write; if
 * another process (a `comanda` CLI command beside the server) committed in between, SQLite refuses that
 * upgrade at once with SQLITE_BUSY_SNAPSHOT — busy_timeout cannot help — and read-then-write
 * transactions failed under a busy dispatcher. Within one process nothing changes: the connection is
 * already exclusive.
 */
class FifoSqliteDriver extends SqliteDriver {
  private readonly fifo = new FifoMutex();

  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }

  override async acquireConnection(): Promise<DatabaseConnection> {
    await this.fifo.lock();
    return super.acquireConnection();
  }

  override async releaseConnection(): Promise<void> {
    await super.releaseConnection();
    this.fifo.unlock();
  }
}

/** SqliteDialect whose driver serves the connection first come, first served (FifoSqliteDriver). */
export class FifoSqliteDialect extends SqliteDialect {
  constructor(private readonly dialectConfig: SqliteDialectConfig) {
    super(dialectConfig);
  }

  override createDriver(): Driver {
    return new FifoSqliteDriver(this.dialectConfig);
  }
}
