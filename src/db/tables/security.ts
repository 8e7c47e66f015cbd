import type { NullableTimestamp, Timestamp } from '../types.js';

/** Security tables (migration 0009_security). */
export interface SecurityTables {
  auth_throttles: AuthThrottlesTable;
}

/** Failed logins per key (`portal-login:<e-mail>`, `portal-address:<ip>`, `sftp-login:<user>`, `sftp-address:<ip>`). */
export interface AuthThrottlesTable {
  key: string;
  /** Failures since the counter last went quiet for a whole window. */
  failures: number;
  last_failure_at: Timestamp;
  /** No attempt before this (backoff), or held for a moment by the attempt being checked. */
  blocked_until: NullableTimestamp;
}
