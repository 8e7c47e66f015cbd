/** A delivery claimed by one dispatcher, with everything needed to POST it. */
export interface ClaimedDelivery {
  id: string;
  eventId: string;
  /** The event type (RECEIVED, CATALOG_JOB_COMPLETED, …), sent as the Comanda-Event-Type header (outbox deliveries always have it). */
  eventType?: string;
  endpointId: string;
  chainId: string;
  orderKey: string | null;
  /** Attempts already made in the current schedule. */
  attempts: number;
  /** Attempts made before the current schedule (replays): the next attempt is number attemptBase + attempts + 1. */
  attemptBase: number;
  /** The exact body POSTed (this delivery's sys.sequence in it). */
  body: string;
  url: string;
  authHeader: string;
  authSecret: string;
  /** Secrets that sign (current first; the previous one during its grace period). */
  signingSecrets: string[];
  /** When the event was written (commit → receipt latency). */
  createdAt: string;
}

export type AttemptOutcome = 'success' | 'http_error' | 'timeout' | 'network_error' | 'ssrf_blocked';

/** What one HTTP attempt came to, as the sender saw it. */
export interface AttemptFacts {
  startedAt: Date;
  durationMs: number;
  statusCode: number | null;
  responseBody: string | null;
  error: string | null;
  outcome: AttemptOutcome;
}

/** One finished attempt and what it means for its delivery. */
export interface AttemptResult extends AttemptFacts {
  delivery: ClaimedDelivery;
  /** What to do next: done, retry at a time, or dead-letter. */
  next: { kind: 'succeeded' } | { kind: 'retry'; at: Date } | { kind: 'dead' };
  /** 410 Gone: the endpoint asked to be disabled. */
  gone: boolean;
}
