import path from 'node:path';
import { Kysely, PostgresDialect, type Transaction } from 'kysely';
import pg from 'pg';
import type { Config } from '../config.js';
import { createPrivateFile, ensurePrivateDir, tighten } from '../platform/private-files.js';
import type { Database } from './schema.js';
import { preparingPool } from './pg-prepared.js';
import { FifoSqliteDialect, openSqlite } from './sqlite-driver.js';

export type Dialect = 'sqlite' | 'postgres';
export type Db = Kysely<Database>;
export type Trx = Transaction<Database>;
/** Either the database or an open transaction: for functions that do not need to lock. */
export type Executor = Kysely<Database>;

// int8 (count(*), bigint money) as JS numbers: every value we store fits in 2^53.
pg.types.setTypeParser(20, (v) => Number(v));

export interface DatabaseHandle {
  readonly db: Db;
  readonly dialect: Dialect;
  /** Human description without credentials, for logs and banners. */
  readonly description: string;
  close(): Promise<void>;
}

export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://…';
  }
}

export function openDatabase(config: Pick<Config, 'databaseUrl' | 'sqlitePath'>, opts: { poolSize?: number } = {}): DatabaseHandle {
  if (config.databaseUrl) {
    // Bounded waits: while the server is away a request fails fast (503) instead of queueing forever;
    // keep-alive notices a peer that vanished without closing the connection.
    const pool = new pg.Pool({ connectionString: config.databaseUrl, max: opts.poolSize ?? 10, connectionTimeoutMillis: 5000, keepAlive: true });
    // A client erroring (e.g. the server restarted: FATAL 57P01 on every connection) must not crash the
    // process. Idle ones are reported on the pool; one checked out between two queries of a transaction
    // has no listener of the pool's, so each gets its own. Its next query fails (→ 503) and the pool
    // drops it on release; new connections are made on demand once the server is back.
    pool.on('error', () => {});
    pool.on('connect', (client) => client.on('error', () => {}));
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: preparingPool(pool) }) });
    return { db, dialect: 'postgres', description: redactUrl(config.databaseUrl), close: () => db.destroy() };
  }
  // Owner-only: the file holds password hashes and (encrypted) secrets. SQLite gives -wal/-shm the
  // database file's mode, so creating it 0600 first covers them; files from older versions are tightened.
  ensurePrivateDir(path.dirname(config.sqlitePath));
  createPrivateFile(config.sqlitePath);
  for (const suffix of ['', '-wal', '-shm']) tighten(`${config.sqlitePath}${suffix}`);
  const { forKysely } = openSqlite(config.sqlitePath);
  const db = new Kysely<Database>({ dialect: new FifoSqliteDialect({ database: forKysely }) });
  return { db, dialect: 'sqlite', description: `sqlite:${config.sqlitePath}`, close: () => db.destroy() };
}
