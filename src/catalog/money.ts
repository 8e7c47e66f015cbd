/**
 * Money in the catalog is stored as integer thousandths of the currency unit ("milli"): prices have at
 * most 3 decimals, extra decimals are truncated (never rounded), and integers never drift.
 */

/** Largest price we accept, in currency units (keeps milli far inside 2^53). */
export const MAX_PRICE_UNITS = 1_000_000_000;

const DECIMAL = /^(\d+)(?:\.(\d*))?$/;

/**
 * A price (JSON number or decimal text) to thousandths, truncating extra decimals. Returns null when it
 * is not a finite non-negative decimal or is above MAX_PRICE_UNITS; the caller decides whether 0 is valid.
 */
export function toMilli(value: number | string): number | null {
  let text: string;
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) return null;
    if (value > MAX_PRICE_UNITS) return null;
    // Fast path: a value with at most 3 decimals comes back exactly from its rounded thousandths.
    const rounded = Math.round(value * 1000);
    if (rounded / 1000 === value) return rounded;
    // String() gives the shortest text that round-trips, so 12.345 stays "12.345" (not 12.3449999…).
    text = String(value);
    if (/e/i.test(text)) text = value < 1 ? '0' : value.toFixed(3);
  } else {
    text = value.trim();
  }
  const m = DECIMAL.exec(text);
  if (!m) return null;
  const units = Number(m[1]);
  if (units > MAX_PRICE_UNITS) return null;
  const frac = ((m[2] ?? '') + '000').slice(0, 3);
  const milli = units * 1000 + Number(frac);
  return milli > MAX_PRICE_UNITS * 1000 ? null : milli;
}

/** Thousandths to the JSON number partners see (1234500 → 1234.5). Exact: milli/1000 prints as the decimal. */
export function fromMilli(milli: number): number {
  return milli / 1000;
}

/** Thousandths as plain decimal text without trailing zeros (CSV): 1234500 → "1234.5". */
export function milliToText(milli: number): string {
  return String(milli / 1000);
}

/** Thousandths to the currency's minor units (e.g. cents), rounding half-up: for order totals. */
export function milliToMinor(milli: number, minorDigits = 2): number {
  const factor = 10 ** (3 - minorDigits);
  return Math.floor((milli + factor / 2) / factor);
}

/** quantity × unit price (both exact), in thousandths, rounded half-up to whole thousandths. */
export function multiplyMilli(unitMilli: number, quantity: number): number {
  return Math.round(unitMilli * quantity);
}
