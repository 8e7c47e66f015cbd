import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_RETRY_SCHEDULE, loadConfig } from '../config.js';
import { nextRetry, parseRetryAfter } from './retry.js';

describe('retry policy', () => {
  it('defaults to at least 10 attempts spread over at least 3 days', () => {
    const attempts = DEFAULT_RETRY_SCHEDULE.length + 1;
    const seconds = DEFAULT_RETRY_SCHEDULE.reduce((a, b) => a + b, 0);
    expect(attempts).toBeGreaterThanOrEqual(10);
    expect(seconds).toBeGreaterThanOrEqual(3 * 86400);
    expect(loadConfig({}).webhookRetrySchedule).toEqual([...DEFAULT_RETRY_SCHEDULE]);
  });

  it('backs off with ±20 % jitter, then dead-letters', () => {
    const now = new Date('2026-01-01T00:00:00Z');
    const low = nextRetry([10, 60], 1, now, undefined, () => 0);
    const high = nextRetry([10, 60], 1, now, undefined, () => 1);
    expect(low).toEqual({ dead: false, at: new Date(now.getTime() + 8000) });
    expect(high).toEqual({ dead: false, at: new Date(now.getTime() + 12000) });
    expect(nextRetry([10, 60], 2, now, undefined, () => 0.5)).toEqual({ dead: false, at: new Date(now.getTime() + 60000) });
    expect(nextRetry([10, 60], 3, now)).toEqual({ dead: true });
  });

  it('lets Retry-After (seconds or HTTP date, capped at a day) replace the delay', () => {
    const now = new Date('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('9999999', now)).toBe(86_400_000);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(nextRetry([5], 1, now, 120_000)).toEqual({ dead: false, at: new Date(now.getTime() + 120_000) });
  });

  it('validates the webhook settings, naming the variable', () => {
    expect(() => loadConfig({ WEBHOOK_RETRY_SCHEDULE: '5,x' })).toThrow(/WEBHOOK_RETRY_SCHEDULE/);
    expect(loadConfig({ WEBHOOK_RETRY_SCHEDULE: '1, 2.5,60' }).webhookRetrySchedule).toEqual([1, 2.5, 60]);
    expect(() => loadConfig({ WEBHOOK_LEASE_SECONDS: '10', WEBHOOK_TIMEOUT_MS: '15000' })).toThrow(ConfigError);
    expect(() => loadConfig({ WEBHOOK_TIMEOUT_MS: '5' })).toThrow(/WEBHOOK_TIMEOUT_MS/);
  });
});
