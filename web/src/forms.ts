/**
 * Strict readers for what people type in forms. Each returns the value, or null when the text is not
 * one: a mistyped number is a field error in the form, never a silently different value (NaN is sent
 * as JSON null, which the API reads as "remove").
 */

/** A whole number ≥ min ("12"; not "1.5", "abc" or ""). */
export function parseWholeNumber(text: string, min = 1, max = 1_000_000): number | null {
  const s = text.trim();
  if (!/^\d{1,9}$/.test(s)) return null;
  const n = Number(s);
  return n >= min && n <= max ? n : null;
}

/**
 * A money amount > 0 with at most 3 decimals, typed either way: "1300.25", "1300,25" or "1.300,25".
 */
export function parseAmount(text: string): number | null {
  let s = text.trim().replace(/\s/g, '');
  if (/^\d{1,3}(\.\d{3})+(,\d+)?$/.test(s)) s = s.replace(/\./g, '').replace(',', '.');
  else if (/^\d+,\d+$/.test(s)) s = s.replace(',', '.');
  if (!/^\d{1,10}(\.\d{1,3})?$/.test(s)) return null;
  const n = Number(s);
  return n > 0 ? n : null;
}

/** A percentage change such as "-10" or "5,5" within [min, max], not 0. */
export function parsePercent(text: string, min = -99, max = 1000): number | null {
  const s = text.trim().replace(',', '.');
  if (!/^[-+]?\d{1,4}(\.\d{1,2})?$/.test(s)) return null;
  const n = Number(s);
  return n !== 0 && n >= min && n <= max ? n : null;
}

/** A price changed by a percentage, rounded to cents. */
export function withPercent(price: number, percent: number): number {
  return Math.round(price * (100 + percent)) / 100;
}

/** SKUs typed one per line or separated by commas/spaces, de-duplicated, in the order given. */
export function parseSkuList(text: string): string[] {
  return [...new Set(text.split(/[\s,;]+/).map((s) => s.trim()).filter(Boolean))];
}

/** An ISO instant as a `datetime-local` value on the wall clock of `timeZone` ("2026-03-01T09:30"). */
export function isoToZonedInput(iso: string, timeZone: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  let zone = timeZone;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
  } catch {
    zone = 'UTC';
  }
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }).formatToParts(d);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}T${get('hour')}:${get('minute')}`;
}
