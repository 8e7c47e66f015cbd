import { createRequire } from 'node:module';
import type { Config } from '../../config.js';
import type { PartnerPrincipal } from '../access.js';

interface Counted {
  current: number;
  ttl: number;
}
interface LocalStore {
  incr(key: string, cb: (err: Error | null, res: Counted) => void, timeWindow: number, max: number): void;
}
// @fastify/rate-limit's own in-process store (an LRU of 5,000 keys), shared with the hot GET route.
const LocalStoreCtor = createRequire(import.meta.url)('@fastify/rate-limit/store/LocalStore') as new (continueExceeding: boolean, exponentialBackoff: boolean) => LocalStore;

/** The per-token budget of /v2 (RATE_LIMIT_MAX per RATE_LIMIT_WINDOW_SECONDS) and the counters it keeps. */
export interface PartnerRateLimit {
  max: number;
  windowMs: number;
  store: LocalStore;
}

/** The partner rate limit of one app (its own counters), or undefined when RATE_LIMIT_MAX is 0. */
export function createPartnerRateLimit(config: Pick<Config, 'rateLimitMax' | 'rateLimitWindowSeconds'>): PartnerRateLimit | undefined {
  const { rateLimitMax: max, rateLimitWindowSeconds: seconds } = config;
  if (max <= 0) return undefined;
  // The plugin's defaults: continueExceeding and exponentialBackoff off.
  return { max, windowMs: seconds * 1000, store: new LocalStoreCtor(false, false) };
}

/** The plugin's `store` option: a constructor that answers the context's shared store. */
export function sharedStoreCtor(limit: PartnerRateLimit): new () => LocalStore {
  return function SharedRateLimitStore() {
    return limit.store;
  } as unknown as new () => LocalStore;
}

/** The counter key of a partner: the token, or the OAuth client (not the IP). */
export function partnerRateLimitKey(p: PartnerPrincipal): string {
  return p.kind === 'api_token' ? `token:${p.tokenId}` : `oauth:${p.clientPk}`;
}

/**
 * Counts one request of `key` exactly as the plugin's onRequest hook does (LocalStore answers at
 * once): the RateLimit headers of an allowed request, or undefined when the budget is exceeded (the
 * plugin then answers 429).
 */
export function countRequest(limit: PartnerRateLimit, key: string): { limit: string; remaining: string; reset: string } | undefined {
  let counted: Counted | undefined;
  limit.store.incr(key, (_err, res) => (counted = res), limit.windowMs, limit.max);
  if (!counted || counted.current > limit.max) return undefined;
  return { limit: String(limit.max), remaining: String(Math.max(0, limit.max - counted.current)), reset: String(Math.ceil(counted.ttl / 1000)) };
}
