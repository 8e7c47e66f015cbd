/** Retries of refused-for-now requests: 429 (rate limit) and 503 (the server is briefly unavailable). */
export interface RetryOptions {
  /** Retries after the first attempt (default 3; 0 = never retry). */
  retries?: number;
  /** First backoff when the answer has no Retry-After (default 500 ms; doubled per retry, ±20 % jitter). */
  baseDelayMs?: number;
  /** The longest single wait (default 30 s). A Retry-After longer than this is not waited for: the response is returned. */
  maxDelayMs?: number;
}

export const RETRY_STATUSES: ReadonlySet<number> = new Set([429, 503]);

export interface ResolvedRetry {
  retries: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export function resolveRetry(options: RetryOptions | false | undefined): ResolvedRetry {
  if (options === false) return { retries: 0, baseDelayMs: 0, maxDelayMs: 0 };
  return { retries: options?.retries ?? 3, baseDelayMs: options?.baseDelayMs ?? 500, maxDelayMs: options?.maxDelayMs ?? 30_000 };
}

/** Retry-After in ms: delta-seconds or an HTTP date (RFC 9110 §10.2.3); undefined when absent or unreadable. */
export function retryAfterMs(value: string | null, now: number = Date.now()): number | undefined {
  if (value === null) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** How long to wait before retry number `retry` (0-based) of a response, or undefined to give up. */
export function retryDelay(response: Response, retry: number, policy: ResolvedRetry, random: () => number = Math.random): number | undefined {
  if (!RETRY_STATUSES.has(response.status) || retry >= policy.retries) return undefined;
  const told = retryAfterMs(response.headers.get('retry-after'));
  const delay = told ?? policy.baseDelayMs * 2 ** retry * (0.8 + 0.4 * random());
  return delay > policy.maxDelayMs ? undefined : delay;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
