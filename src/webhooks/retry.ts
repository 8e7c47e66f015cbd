/** Retry policy: exponential-ish schedule from config, ±20 % jitter, Retry-After honoured. */

const JITTER = 0.2;
/** A Retry-After beyond this is capped: a partner cannot park deliveries for weeks. */
const MAX_RETRY_AFTER_MS = 24 * 3600 * 1000;

/** Retry-After as milliseconds from now (delta-seconds or HTTP-date), or undefined when absent/invalid. */
export function parseRetryAfter(value: string | undefined, now: Date): number | undefined {
  if (!value) return undefined;
  const v = value.trim();
  let ms: number;
  if (/^\d+$/.test(v)) ms = Number(v) * 1000;
  else {
    const at = Date.parse(v);
    if (Number.isNaN(at)) return undefined;
    ms = at - now.getTime();
  }
  return Math.min(Math.max(ms, 0), MAX_RETRY_AFTER_MS);
}

export type RetryDecision = { dead: true } | { dead: false; at: Date };

/**
 * After attempt number `attemptsDone` (1-based) failed: when to try again, or dead-letter when the
 * schedule is exhausted. Retry-After, when given, replaces the scheduled delay.
 */
export function nextRetry(schedule: readonly number[], attemptsDone: number, now: Date, retryAfterMs?: number, random: () => number = Math.random): RetryDecision {
  const base = schedule[attemptsDone - 1];
  if (base === undefined) return { dead: true };
  if (retryAfterMs !== undefined) return { dead: false, at: new Date(now.getTime() + retryAfterMs) };
  const jittered = base * 1000 * (1 - JITTER + 2 * JITTER * random());
  return { dead: false, at: new Date(now.getTime() + Math.round(jittered)) };
}
