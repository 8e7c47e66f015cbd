import path from 'node:path';
import { fileURLToPath } from 'node:url';

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
  /** Portal session lifetime, seconds. */
  readonly sessionTtlSeconds: number;
  /** Hosts, IPs or CIDRs that webhooks may target even when private (development). */
  readonly webhookAllowedHosts: readonly string[];
  /** Directory of the built Partner Portal front end (index.html + assets), served at `/`. */
  readonly portalWebDir: string;
  /** Demo mode: simulators on, friendly banner. Set by `comanda start`. */
  readonly demo: boolean;
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

function list(env: Env, name: string): string[] {
  return (env[name] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
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
    logLevel: oneOf(env, 'LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const, 'info'),
    publicUrl,
    bodyLimitBytes: int(env, 'BODY_LIMIT_BYTES', 10 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
    promotionBodyLimitBytes: int(env, 'PROMOTION_BODY_LIMIT_BYTES', 64 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
    promotionPairsPerStep: int(env, 'PROMOTION_PAIRS_PER_STEP', 20_000, 1, 1_000_000),
    oauthTokenTtlSeconds: int(env, 'OAUTH_TOKEN_TTL_SECONDS', 7200, 60, 86400),
    sessionTtlSeconds: int(env, 'SESSION_TTL_SECONDS', 12 * 3600, 60, 30 * 86400),
    webhookAllowedHosts: list(env, 'WEBHOOK_ALLOWED_HOSTS'),
    // src/config.ts and dist/config.js both sit one level below the repository root.
    portalWebDir: path.resolve(env.PORTAL_WEB_DIR || fileURLToPath(new URL('../web/dist', import.meta.url))),
    demo: false,
    ...overrides,
  };
  return Object.freeze(config);
}
