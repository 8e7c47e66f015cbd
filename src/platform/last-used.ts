import { iso } from '../db/rows.js';

/** last_used_at is written at most once a minute per credential, so authenticated reads stay reads. */
const RESOLUTION_MS = 60_000;

export function lastUsedIsStale(lastUsedAt: unknown, now: Date): boolean {
  const last = lastUsedAt === null || lastUsedAt === undefined ? 0 : new Date(iso(lastUsedAt)).getTime();
  return now.getTime() - last >= RESOLUTION_MS;
}

/** The same test for a time already in epoch ms (the credential cache's). */
export function lastUsedMsIsStale(lastUsedMs: number, nowMs: number): boolean {
  return nowMs - lastUsedMs >= RESOLUTION_MS;
}
