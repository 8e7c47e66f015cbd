import type { Config } from './config.js';
import type { AppContext } from './platform/context.js';
import { openDatabase } from './db/database.js';
import { migrateToLatest } from './db/migrate.js';
import { createLogger } from './platform/logger.js';
import { createMetrics } from './platform/metrics.js';
import { loadSecretBox } from './platform/secret-keys.js';
import { assertKeyringMatches } from './ops/index.js';
import { systemClock, type Clock } from './platform/clock.js';
import type { Logger } from 'pino';

export interface ContextOptions {
  clock?: Clock;
  log?: Logger;
  migrate?: boolean;
}

/** Opens the database, applies migrations (unless told not to), checks the secret key and assembles the context. */
export async function createContext(config: Config, opts: ContextOptions = {}): Promise<AppContext> {
  const secrets = loadSecretBox(config);
  const handle = openDatabase(config);
  const clock = opts.clock ?? systemClock;
  try {
    if (opts.migrate !== false) {
      await migrateToLatest(handle, secrets);
      await assertKeyringMatches(handle.db, secrets, clock.now());
    }
  } catch (err) {
    await handle.close();
    throw err;
  }
  return {
    config,
    handle,
    db: handle.db,
    dialect: handle.dialect,
    clock,
    log: opts.log ?? createLogger(config),
    metrics: createMetrics(),
    secrets,
  };
}
