/**
 * Brute-force brake for portal logins: after `freeAttempts` failures for one e-mail+IP, each further
 * attempt must wait, doubling from `baseDelayMs` up to `maxDelayMs`. Forgotten after `windowMs` of quiet.
 */
export class LoginThrottle {
  private readonly failures = new Map<string, { count: number; last: number }>();
  constructor(
    private readonly freeAttempts = 5,
    private readonly baseDelayMs = 1_000,
    private readonly maxDelayMs = 15 * 60_000,
    private readonly windowMs = 60 * 60_000,
  ) {}

  retryAfterSeconds(key: string, now: number): number {
    const f = this.failures.get(key);
    if (!f) return 0;
    if (now - f.last > this.windowMs) {
      this.failures.delete(key);
      return 0;
    }
    if (f.count < this.freeAttempts) return 0;
    const delay = Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** (f.count - this.freeAttempts));
    const left = f.last + delay - now;
    return left > 0 ? Math.ceil(left / 1000) : 0;
  }

  fail(key: string, now: number): void {
    const f = this.failures.get(key);
    this.failures.set(key, { count: (f?.count ?? 0) + 1, last: now });
    if (this.failures.size > 100_000) this.failures.delete(this.failures.keys().next().value as string);
  }

  reset(key: string): void {
    this.failures.delete(key);
  }
}
