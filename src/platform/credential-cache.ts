import { sql } from 'kysely';
import pg from 'pg';
import type { AppContext } from './context.js';
import type { Executor } from '../db/database.js';
import type { BackgroundService } from './background-service.js';
import { lastUsedIsStale, lastUsedMsIsStale } from './last-used.js';

/** Postgres channel: a credential was revoked somewhere; every API process forgets what it cached. */
export const CREDENTIALS_CHANNEL = 'comanda_credentials';
/** More distinct live credentials than this in one process: start over rather than grow. */
const MAX_ENTRIES = 10_000;

export interface CachedCredential<P> {
  principal: P;
  /** When the credential itself expires (ctx clock, epoch ms), or null. */
  expiresAt: number | null;
  /** The last last_used_at written (epoch ms): writes stay throttled on cache hits. */
  lastUsedAt: number;
}

interface Entry extends CachedCredential<unknown> {
  /** performance.now() when the row was read: the entry is trusted for ttlMs from then. */
  readAt: number;
}

/**
 * Bearer credentials this process has checked, by hash, trusted for at most `ttlMs` after the row
 * was read. Misses are never cached (unknown tokens cannot fill it). `generation` moves on every
 * clear, and an entry read under an older generation is not stored: a lookup that raced a revocation
 * cannot put the revoked credential back.
 */
export class CredentialCache {
  private readonly entries = new Map<string, Entry>();
  private gen = 0;

  constructor(readonly ttlMs: number) {}

  get generation(): number {
    return this.gen;
  }

  get<P>(key: string, nowMs: number): CachedCredential<P> | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (performance.now() - e.readAt >= this.ttlMs || (e.expiresAt !== null && nowMs >= e.expiresAt)) {
      this.entries.delete(key);
      return undefined;
    }
    return e as CachedCredential<P>;
  }

  /** Stores what a lookup that started at `generation` (and at `readAt`) found. */
  set<P>(key: string, value: CachedCredential<P>, generation: number, readAt: number): void {
    if (this.ttlMs <= 0 || generation !== this.gen) return;
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    this.entries.set(key, { ...value, readAt });
  }

  clear(): void {
    this.gen++;
    this.entries.clear();
  }
}

const caches = new WeakMap<AppContext, CredentialCache>();

export function credentialCache(ctx: AppContext): CredentialCache {
  let c = caches.get(ctx);
  if (!c) caches.set(ctx, (c = new CredentialCache(ctx.config.tokenCacheTtlMs)));
  return c;
}

/**
 * The cached principal for `key`, without touching the database: undefined on a miss and when its
 * last_used_at is due to be written (then `authenticateCached` must run). The hot GET's fast path.
 */
export function peekCached<P>(ctx: AppContext, key: string): P | undefined {
  const nowMs = ctx.clock.now().getTime();
  const hit = credentialCache(ctx).get<P>(key, nowMs);
  return hit && !lastUsedMsIsStale(hit.lastUsedAt, nowMs) ? hit.principal : undefined;
}

/** What a credential's row says, for `authenticateCached`. */
export interface CredentialRow<P> {
  principal: P;
  expiresAt: string | null;
  lastUsedAt: string | null;
}

/**
 * The principal of a bearer credential: from this process's cache while it is trusted, else `read`
 * from the database (undefined: unknown, revoked or expired; asked only when `wellFormed`) and cached.
 * Either way `touch` writes last_used_at, at most once per throttle period (see last-used.ts).
 */
export async function authenticateCached<P>(
  ctx: AppContext,
  key: string,
  wellFormed: () => boolean,
  read: () => Promise<CredentialRow<P> | undefined>,
  touch: (at: string, principal: P) => Promise<unknown>,
): Promise<P | undefined> {
  const cache = credentialCache(ctx);
  const now = ctx.clock.now();
  // Only well-formed secrets are ever cached, so a hit needs no format check.
  const hit = cache.get<P>(key, now.getTime());
  if (hit) {
    if (lastUsedMsIsStale(hit.lastUsedAt, now.getTime())) {
      hit.lastUsedAt = now.getTime();
      await touch(now.toISOString(), hit.principal);
    }
    return hit.principal;
  }
  if (!wellFormed()) return undefined;
  const generation = cache.generation;
  const readAt = performance.now();
  const row = await read();
  if (!row) return undefined;
  let lastUsedAt = row.lastUsedAt ? new Date(row.lastUsedAt).getTime() : 0;
  if (lastUsedIsStale(row.lastUsedAt, now)) {
    await touch(now.toISOString(), row.principal);
    lastUsedAt = now.getTime();
  }
  cache.set(key, { principal: row.principal, expiresAt: row.expiresAt ? new Date(row.expiresAt).getTime() : null, lastUsedAt }, generation, readAt);
  return row.principal;
}

/**
 * Call in the transaction that revokes or deletes a credential: on Postgres every other process
 * hears it when the transaction commits (NOTIFY is delivered on commit only). Then, once committed,
 * call forgetCredentials for this process.
 */
export async function announceCredentialChange(ctx: AppContext, trx: Executor): Promise<void> {
  if (ctx.dialect === 'postgres') await sql`select pg_notify(${CREDENTIALS_CHANNEL}, '')`.execute(trx);
}

/** This process stops trusting every credential it cached (after a revocation committed). */
export function forgetCredentials(ctx: AppContext): void {
  credentialCache(ctx).clear();
}

/**
 * API role on Postgres: LISTEN for revocations made by any process and forget at once. While the
 * connection is down the TTL is the bound; after a reconnect everything cached is dropped (a
 * notification may have been missed).
 */
export function credentialListenerFactory(ctx: AppContext): BackgroundService | undefined {
  if (ctx.dialect !== 'postgres' || ctx.config.tokenCacheTtlMs <= 0) return undefined;
  let client: pg.Client | undefined;
  let running = false;
  const retry = (): void => {
    setTimeout(() => {
      if (running && !client) listen().catch(retry);
    }, 1000).unref();
  };
  const listen = async (): Promise<void> => {
    const c = new pg.Client({ connectionString: ctx.config.databaseUrl });
    c.on('notification', () => forgetCredentials(ctx));
    c.on('error', (err) => {
      ctx.log.warn({ err }, 'credential LISTEN connection lost; reconnecting');
      if (client === c) client = undefined;
      forgetCredentials(ctx);
      c.end().catch(() => {});
      retry();
    });
    await c.connect();
    await c.query(`LISTEN ${CREDENTIALS_CHANNEL}`);
    forgetCredentials(ctx);
    client = c;
  };
  return {
    name: 'credential-listener',
    async start() {
      running = true;
      await listen();
    },
    async stop() {
      running = false;
      const c = client;
      client = undefined;
      await c?.end().catch(() => {});
    },
  };
}
