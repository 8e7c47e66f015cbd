/**
 * Row mappers' helpers: SQLite and Postgres return the same column differently
 * (0/1 vs boolean, text vs Date, text vs parsed jsonb). Repositories normalise with these.
 */
export function bool(value: unknown): boolean {
  return value === true || value === 1 || value === '1' || value === 't';
}

export function iso(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'string') return value.includes('T') ? value : new Date(value).toISOString();
  throw new TypeError(`not a timestamp: ${String(value)}`);
}

export function isoOrNull(value: unknown): string | null {
  return value === null || value === undefined ? null : iso(value);
}

export function json<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

export function num(value: unknown): number {
  return typeof value === 'number' ? value : Number(value);
}

/** JSON for a write: text works for SQLite TEXT and Postgres jsonb alike. */
export function toJson(value: unknown): string {
  return JSON.stringify(value);
}
