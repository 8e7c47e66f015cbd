/** Ends in a zone designator: `Z`, `+02:00`, `-0300`, `+05`. */
const HAS_ZONE = /(?:[zZ]|[+-]\d{2}(?::?\d{2})?)$/;

/**
 * A request time as a Date: ISO-8601 with a zone, or without one — read as UTC, not as the server's
 * local time (the real platform's documentation sends `2024-09-11T10:40:00`). A space may stand for
 * the `T`. Invalid input gives an invalid Date (check with Number.isNaN(d.getTime())).
 */
export function parseUtcTime(value: string): Date {
  const iso = value.trim().replace(' ', 'T');
  return new Date(HAS_ZONE.test(iso) ? iso : `${iso}Z`);
}

/** The same time as a canonical ISO string with `Z` (what Comanda stores and answers). */
export function utcIso(value: string): string {
  return parseUtcTime(value).toISOString();
}
