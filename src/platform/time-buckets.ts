/**
 * Whole UTC hours, for hourly rollups (orders per store, webhook deliveries per endpoint): the hour of a
 * time, and a time window cut into whole hours plus its partial ends.
 */

export const HOUR_MS = 3_600_000;

/** UTC hour (hours since the epoch) of an ISO time. */
export const hourOf = (isoTime: string): number => Math.floor(Date.parse(isoTime) / HOUR_MS);

/**
 * A window [from, to) split into whole UTC hours [fromHour, toHour) (read from a rollup) and the partial
 * hours at its ends (read from the rows themselves); `edges` empty when both ends fall on hour starts, one
 * edge when the window holds no whole hour.
 */
export function splitWindow(from: string, to: string): { fromHour: number; toHour: number; edges: Array<{ from: string; to: string }> } {
  const f = Date.parse(from);
  const t = Date.parse(to);
  const fromHour = Math.ceil(f / HOUR_MS);
  const toHour = Math.floor(t / HOUR_MS);
  if (fromHour >= toHour) return { fromHour: 0, toHour: 0, edges: f < t ? [{ from, to }] : [] };
  const edges: Array<{ from: string; to: string }> = [];
  if (f < fromHour * HOUR_MS) edges.push({ from, to: new Date(fromHour * HOUR_MS).toISOString() });
  if (toHour * HOUR_MS < t) edges.push({ from: new Date(toHour * HOUR_MS).toISOString(), to });
  return { fromHour, toHour, edges };
}
