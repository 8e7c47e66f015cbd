import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseKey } from './platform/secret-box.js';

/** Every setting Comanda reads, validated once at boot into one frozen object. */
export interface Config {
  readonly env: 'development' | 'production' | 'test';
  readonly port: number;
  readonly host: string;
  /** Unset → embedded SQLite under dataDir. */
  readonly databaseUrl: string | undefined;
  readonly dataDir: string;
  readonly sqlitePath: string;
  readonly sftpPort: number;
  /** Host name printed in SFTP login details (defaults to the PUBLIC_URL host). */
  readonly sftpPublicHost: string;
  /** Largest file a client may upload over SFTP, bytes. */
  readonly sftpMaxFileBytes: number;
  /** Storage per SFTP login (its chain's stored uploads), bytes; an upload past it is refused (QUOTA_EXCEEDED). 0 = no quota. */
  readonly sftpQuotaBytes: number;
  /** Uploads whose processing has finished (or was refused) are deleted this long after they were stored, hours. */
  readonly sftpUploadRetentionHours: number;
  /** Concurrent SSH connections per SFTP login (per process). */
  readonly sftpMaxSessionsPerLogin: number;
  /** An SFTP connection with no request for this long is closed, seconds. */
  readonly sftpIdleTimeoutSeconds: number;
  /** Longest CSV record accepted in uploaded files, bytes; a longer line refuses the file. */
  readonly csvMaxLineBytes: number;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Public base URL used in links we hand out (download_url, banner). */
  readonly publicUrl: string;
  /** Max JSON body size accepted on any route, in bytes. */
  readonly bodyLimitBytes: number;
  /** Max JSON body of PUT /v2/chains/{chain_id}/promotion (large SKU lists), bytes. */
  readonly promotionBodyLimitBytes: number;
  /** SKU × vendor pairs a promotion job applies per step (one transaction). */
  readonly promotionPairsPerStep: number;
  /** Lifetime of OAuth client-credentials access tokens, seconds. */
  readonly oauthTokenTtlSeconds: number;
  /**
   * How long an API process may keep trusting a bearer token (API token or OAuth access token) it has
   * checked, ms; 0 = look it up on every request. Revocation clears the cache at once in the revoking
   * process and, on Postgres, in every other process (NOTIFY); this is the bound when no broadcast
   * arrives (SQLite CLI processes, a lost LISTEN connection) (TOKEN_CACHE_TTL_MS).
   */
  readonly tokenCacheTtlMs: number;
  /** Portal session lifetime, seconds. */
  readonly sessionTtlSeconds: number;
  /** Hosts, IPs or CIDRs that webhooks may target even when private (development). */
  readonly webhookAllowedHosts: readonly string[];
  /** Directory of the built Partner Portal front end (index.html + assets), served at `/`. */
  readonly portalWebDir: string;
  /** Demo mode: simulators on, friendly banner. Set by `comanda start`. */
  readonly demo: boolean;
  /** Webhook POST timeout (connect + response), milliseconds. */
  readonly webhookTimeoutMs: number;
  /** Delays before retry 1, 2, … in seconds; its length + 1 = attempts before dead-lettering. */
  readonly webhookRetrySchedule: readonly number[];
  /** An endpoint failing continuously this long is disabled and flagged, seconds. */
  readonly webhookDisableAfterSeconds: number;
  /** After a signing-secret rotation the old secret keeps signing this long, seconds. */
  readonly webhookSecretGraceSeconds: number;
  /** A claimed delivery is reclaimable by another dispatcher after this long, seconds. */
  readonly webhookLeaseSeconds: number;
  /** Concurrent POSTs per dispatcher process. */
  readonly webhookConcurrency: number;
  /** Fallback poll when nothing woke the dispatcher (other processes on SQLite, due retries), ms. */
  readonly webhookPollMs: number;
  /** /v2 requests allowed per token per window; 0 turns rate limiting off. */
  readonly rateLimitMax: number;
  /** Length of the /v2 rate-limit window, seconds. */
  readonly rateLimitWindowSeconds: number;
  /** How long a worker owns a claimed job before another may take it over, seconds. */
  readonly jobLeaseSeconds: number;
  /** How often an idle job runner polls for work, milliseconds. */
  readonly jobPollMs: number;
  /** Orders older than this are purged; any 60-day window inside it can be listed (ORDER_RETENTION_DAYS). */
  readonly orderRetentionDays: number;
  /** Allowed deviation of a picked weight from the ordered weight, percent (ORDER_WEIGHT_TOLERANCE_PERCENT). */
  readonly orderWeightTolerancePercent: number;
  /** Logistics rider and Pelican picker simulators: auto = on in demo mode only (SIMULATORS=auto|on|off). */
  readonly simulators: 'auto' | 'on' | 'off';
  /** Rider collects a READY_FOR_PICKUP order after this long (SIM_RIDER_PICKUP_DELAY_MS). */
  readonly simRiderPickupDelayMs: number;
  /** Rider delivers a DISPATCHED order after this long (SIM_RIDER_DELIVERY_DELAY_MS). */
  readonly simRiderDeliveryDelayMs: number;
  /** Pelican picker finishes an INDIRECT_POS order after this long (SIM_PICKER_DELAY_MS). */
  readonly simPickerDelayMs: number;
  /** Chance, percent, that the picker marks one line NOT_FOUND (SIM_PICKER_NOT_FOUND_PERCENT). */
  readonly simPickerNotFoundPercent: number;
  /** How often the simulators look for work (SIM_POLL_MS). */
  readonly simPollMs: number;
  /** Demo customers: orders per hour placed on the demo chain's stores while simulators run; 0 = none (SIM_DEMO_ORDERS_PER_HOUR). */
  readonly simDemoOrdersPerHour: number;
  /** Days of order history the first demo start backfills, so the dashboard has a past (SIM_DEMO_HISTORY_DAYS). */
  readonly simDemoHistoryDays: number;
  /** A demo partner-store order nobody answers is cancelled by the platform after this long; 0 = never (SIM_DEMO_UNANSWERED_MS). */
  readonly simDemoUnansweredMs: number;
  /** Key that encrypts stored webhook secrets (COMANDA_SECRET_KEY, 32 bytes base64/hex); unset → the data dir's secret.key. */
  readonly secretKey: string | undefined;
  /** Older keys that still decrypt during a rotation (COMANDA_SECRET_KEY_PREVIOUS, comma-separated). */
  readonly previousSecretKeys: readonly string[];
}

export class ConfigError extends Error {
  constructor(variable: string, problem: string) {
    super(`Invalid configuration: ${variable} ${problem}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(name, `must be an integer, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new ConfigError(name, `must be one of ${allowed.join(', ')}, got "${raw}"`);
  }
  return raw as T;
}

/** Default retry delays (s): 13 attempts over ~3.9 days. */
export const DEFAULT_RETRY_SCHEDULE = [5, 30, 120, 600, 1800, 3600, 3 * 3600, 6 * 3600, 12 * 3600, 86400, 86400, 86400] as const;

function schedule(env: Env, name: string): number[] {
  const raw = env[name];
  if (raw === undefined || raw === '') return [...DEFAULT_RETRY_SCHEDULE];
  const parts = raw.split(',').map((s) => s.trim());
  const out: number[] = [];
  for (const p of parts) {
    if (!/^\d+(\.\d+)?$/.test(p)) throw new ConfigError(name, `must be comma-separated seconds (e.g. 5,30,120), got "${raw}"`);
    out.push(Number(p));
  }
  if (out.length > 50) throw new ConfigError(name, 'must have at most 50 entries');
  return out;
}

function list(env: Env, name: string): string[] {
  return (env[name] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

function secretKeys(env: Env, name: string): string[] {
  const keys = list(env, name);
  for (const k of keys) if (!parseKey(k)) throw new ConfigError(name, 'must be 32 random bytes in base64 or hex (make one with `comanda secrets generate-key`)');
  return keys;
}

function secretKey(env: Env, name: string): string | undefined {
  const raw = env[name]?.trim();
  if (!raw) return undefined;
  if (!parseKey(raw)) throw new ConfigError(name, 'must be 32 random bytes in base64 or hex (make one with `comanda secrets generate-key`)');
  return raw;
}

/** Reads the environment (process.env by default) into a validated, frozen Config. */
export function loadConfig(env: Env = process.env, overrides: Partial<Config> = {}): Config {
  const nodeEnv = oneOf(env, 'COMANDA_ENV', ['development', 'production', 'test'] as const, 'production');
  const dataDir = path.resolve(env.COMANDA_DATA_DIR || './data');
  const port = int(env, 'PORT', 8080, 0, 65535);
  const host = env.HOST || '127.0.0.1';
  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL', 'must be a postgres:// URL (unset it to use the embedded SQLite)');
  }
  const publicUrl = (env.PUBLIC_URL || `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`).replace(/\/$/, '');
  if (!/^https?:\/\//.test(publicUrl)) throw new ConfigError('PUBLIC_URL', 'must start with http:// or https://');
  const config: Config = {
    env: nodeEnv,
    port,
    host,
    databaseUrl,
    dataDir,
    sqlitePath: path.join(dataDir, 'comanda.db'),
    sftpPort: int(env, 'SFTP_PORT', 2222, 0, 65535),
    sftpPublicHost: env.SFTP_PUBLIC_HOST || new URL(publicUrl).hostname,
    sftpMaxFileBytes: int(env, 'SFTP_MAX_FILE_BYTES', 512 * 1024 * 1024, 1024, 64 * 1024 * 1024 * 1024),
    sftpQuotaBytes: int(env, 'SFTP_QUOTA_BYTES', 2 * 1024 * 1024 * 1024, 0, 1024 * 1024 * 1024 * 1024),
    sftpUploadRetentionHours: int(env, 'SFTP_UPLOAD_RETENTION_HOURS', 168, 1, 24 * 3650),
    sftpMaxSessionsPerLogin: int(env, 'SFTP_MAX_SESSIONS_PER_LOGIN', 4, 1, 1000),
    sftpIdleTimeoutSeconds: int(env, 'SFTP_IDLE_TIMEOUT_SECONDS', 300, 1, 86400),
    csvMaxLineBytes: int(env, 'CSV_MAX_LINE_BYTES', 1024 * 1024, 1024, 64 * 1024 * 1024),
    logLevel: oneOf(env, 'LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const, 'info'),
    publicUrl,
    bodyLimitBytes: int(env, 'BODY_LIMIT_BYTES', 10 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
    promotionBodyLimitBytes: int(env, 'PROMOTION_BODY_LIMIT_BYTES', 64 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
    promotionPairsPerStep: int(env, 'PROMOTION_PAIRS_PER_STEP', 20_000, 1, 1_000_000),
    oauthTokenTtlSeconds: int(env, 'OAUTH_TOKEN_TTL_SECONDS', 7200, 60, 86400),
    tokenCacheTtlMs: int(env, 'TOKEN_CACHE_TTL_MS', 2000, 0, 60_000),
    sessionTtlSeconds: int(env, 'SESSION_TTL_SECONDS', 12 * 3600, 60, 30 * 86400),
    webhookAllowedHosts: list(env, 'WEBHOOK_ALLOWED_HOSTS'),
    // src/config.ts and dist/config.js both sit one level below the repository root.
    portalWebDir: path.resolve(env.PORTAL_WEB_DIR || fileURLToPath(new URL('../web/dist', import.meta.url))),
    demo: false,
    webhookTimeoutMs: int(env, 'WEBHOOK_TIMEOUT_MS', 15_000, 100, 120_000),
    webhookRetrySchedule: schedule(env, 'WEBHOOK_RETRY_SCHEDULE'),
    webhookDisableAfterSeconds: int(env, 'WEBHOOK_DISABLE_AFTER_SECONDS', 5 * 86400, 1, 365 * 86400),
    webhookSecretGraceSeconds: int(env, 'WEBHOOK_SECRET_GRACE_SECONDS', 86400, 0, 30 * 86400),
    webhookLeaseSeconds: int(env, 'WEBHOOK_LEASE_SECONDS', 60, 1, 3600),
    webhookConcurrency: int(env, 'WEBHOOK_CONCURRENCY', 128, 1, 4096),
    webhookPollMs: int(env, 'WEBHOOK_POLL_MS', 1000, 10, 60_000),
    rateLimitMax: int(env, 'RATE_LIMIT_MAX', 600, 0, 10_000_000),
    rateLimitWindowSeconds: int(env, 'RATE_LIMIT_WINDOW_SECONDS', 60, 1, 86400),
    jobLeaseSeconds: int(env, 'JOB_LEASE_SECONDS', 60, 5, 3600),
    jobPollMs: int(env, 'JOB_POLL_MS', 250, 10, 60_000),
    orderRetentionDays: int(env, 'ORDER_RETENTION_DAYS', 400, 60, 36500),
    orderWeightTolerancePercent: int(env, 'ORDER_WEIGHT_TOLERANCE_PERCENT', 20, 0, 100),
    simulators: oneOf(env, 'SIMULATORS', ['auto', 'on', 'off'] as const, 'auto'),
    simRiderPickupDelayMs: int(env, 'SIM_RIDER_PICKUP_DELAY_MS', 60_000, 0, 86_400_000),
    simRiderDeliveryDelayMs: int(env, 'SIM_RIDER_DELIVERY_DELAY_MS', 120_000, 0, 86_400_000),
    simPickerDelayMs: int(env, 'SIM_PICKER_DELAY_MS', 30_000, 0, 86_400_000),
    simPickerNotFoundPercent: int(env, 'SIM_PICKER_NOT_FOUND_PERCENT', 20, 0, 100),
    simPollMs: int(env, 'SIM_POLL_MS', 1000, 10, 3_600_000),
    simDemoOrdersPerHour: int(env, 'SIM_DEMO_ORDERS_PER_HOUR', 20, 0, 36_000),
    simDemoHistoryDays: int(env, 'SIM_DEMO_HISTORY_DAYS', 3, 0, 30),
    simDemoUnansweredMs: int(env, 'SIM_DEMO_UNANSWERED_MS', 600_000, 0, 86_400_000),
    secretKey: secretKey(env, 'COMANDA_SECRET_KEY'),
    previousSecretKeys: secretKeys(env, 'COMANDA_SECRET_KEY_PREVIOUS'),
    ...overrides,
  };
  if (config.webhookLeaseSeconds * 1000 <= config.webhookTimeoutMs) {
    // A lease shorter than a POST would let a second dispatcher send the same delivery while the first still waits.
    throw new ConfigError('WEBHOOK_LEASE_SECONDS', `must be longer than WEBHOOK_TIMEOUT_MS (${config.webhookTimeoutMs} ms), got ${config.webhookLeaseSeconds} s`);
  }
  return Object.freeze(config);
}
