import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { Db, Dialect, DatabaseHandle } from '../db/database.js';
import type { Metrics } from './metrics.js';
import type { SecretBox } from './secret-box.js';
import type { Clock } from './clock.js';

/** What every service needs, built once per process (or per test) and passed explicitly. */
export interface AppContext {
  readonly config: Config;
  readonly handle: DatabaseHandle;
  readonly db: Db;
  readonly dialect: Dialect;
  readonly clock: Clock;
  readonly log: Logger;
  readonly metrics: Metrics;
  /** Encrypts/decrypts stored secrets (webhook secrets, SSH host key) with COMANDA_SECRET_KEY or the key file. */
  readonly secrets: SecretBox;
}
