import type { Config } from './config.js';
import type { AppContext } from './context.js';
import { openDatabase } from './db/database.js';
import { migrateToLatest } from './db/migrate.js';
import { createLogger } from './ops/logger.js';
import { createMetrics } from './ops/metrics.js';
import { systemClock, type Clock } from './shared/clock.js';
import type { Logger } from 'pino';

export interface ContextOptions {
  clock?: Clock;
  log?: Logger;
  migrate?: boolean;
}

/** Opens the database, applies migrations (unless told not to) and assembles the context. */
export async function createContext(config: Config, opts: ContextOptions = {}): Promise<AppContext> {
  const handle = openDatabase(config);
  if (opts.migrate !== false) await migrateToLatest(handle);
  return {
    config,
    handle,
    db: handle.db,
    dialect: handle.dialect,
    clock: opts.clock ?? systemClock,
    log: opts.log ?? createLogger(config),
    metrics: createMetrics(),
  };
}
