import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createContext } from '../bootstrap.js';
import { loadConfig, type Config } from '../config.js';
import type { AppContext } from '../platform/context.js';
import type { Dialect } from '../db/database.js';
import { createLogger } from '../platform/logger.js';
import type { Clock } from '../platform/clock.js';
import type { Logger } from 'pino';

/** Which database this test run uses: `COMANDA_TEST_DB=sqlite|postgres` (npm test runs both). */
export function testDialect(): Dialect {
  const v = process.env.COMANDA_TEST_DB ?? 'sqlite';
  if (v !== 'sqlite' && v !== 'postgres') throw new Error(`COMANDA_TEST_DB must be sqlite or postgres, got ${v}`);
  return v;
}

/** The Postgres server tests create their throw-away databases on. */
export const TEST_PG_ADMIN_URL = process.env.TEST_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  /** Settings pointing at a fresh, empty database of the run's dialect. */
  config: Config;
  dataDir: string;
  drop(): Promise<void>;
}

/** A fresh database: a new SQLite file in a temp dir, or a new Postgres database. Never shared between tests. */
export async function createTestDatabase(overrides: Partial<Config> = {}): Promise<TestDatabase> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'comanda-test-'));
  if (testDialect() === 'sqlite') {
    const config = loadConfig({ COMANDA_DATA_DIR: dataDir, COMANDA_ENV: 'test', LOG_LEVEL: 'silent' }, overrides);
    return { config, dataDir, drop: async () => fs.rmSync(dataDir, { recursive: true, force: true }) };
  }
  const name = `comanda_t_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = new pg.Client({ connectionString: TEST_PG_ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(TEST_PG_ADMIN_URL);
  url.pathname = `/${name}`;
  const config = loadConfig({ COMANDA_DATA_DIR: dataDir, COMANDA_ENV: 'test', LOG_LEVEL: 'silent', DATABASE_URL: url.toString() }, overrides);
  return {
    config,
    dataDir,
    drop: async () => {
      const c = new pg.Client({ connectionString: TEST_PG_ADMIN_URL });
      await c.connect();
      try {
        await c.query(`drop database if exists ${name} with (force)`);
      } finally {
        await c.end();
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface TestContext {
  ctx: AppContext;
  db: TestDatabase;
  close(): Promise<void>;
}

/** A migrated AppContext on a fresh database. */
export async function createTestContext(opts: { clock?: Clock; config?: Partial<Config>; log?: Logger } = {}): Promise<TestContext> {
  const db = await createTestDatabase(opts.config);
  const ctx = await createContext(db.config, { clock: opts.clock, log: opts.log ?? createLogger({ logLevel: 'silent' }) });
  let closed = false;
  return {
    ctx,
    db,
    close: async () => {
      if (closed) return;
      closed = true;
      await ctx.handle.close();
      await db.drop();
    },
  };
}
