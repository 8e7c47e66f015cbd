import fs from 'node:fs';
import path from 'node:path';
import { Kysely, PostgresDialect, SqliteDialect, type Transaction } from 'kysely';
import pg from 'pg';
import type { Config } from '../config.js';
import type { Database } from './schema.js';
import { openSqlite } from './sqlite-driver.js';

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
    const pool = new pg.Pool({ connectionString: config.databaseUrl, max: opts.poolSize ?? 10 });
    // An idle client erroring (e.g. the server restarted) must not crash the process.
    pool.on('error', () => {});
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { db, dialect: 'postgres', description: redactUrl(config.databaseUrl), close: () => db.destroy() };
  }
  fs.mkdirSync(path.dirname(config.sqlitePath), { recursive: true });
  const { forKysely } = openSqlite(config.sqlitePath);
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: forKysely }) });
  return { db, dialect: 'sqlite', description: `sqlite:${config.sqlitePath}`, close: () => db.destroy() };
}
