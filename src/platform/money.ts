/**
 * Exact money. Inside Comanda: catalog prices in integer thousandths of the currency unit ("milli"),
 * weights in integer grams, line totals and payment fields in integer minor units of the currency.
 * Floats only appear at the JSON boundary (toMilli / fromMilli for catalog prices, toThousandths /
 * thousandthsToUnits / scaled for orders).
 */

const minorDigitsCache = new Map<string, number>();

/** Digits of the currency's minor unit (ARS 2, CLP 0, KWD 3), from the ICU data Node ships. */
export function minorDigits(currency: string): number {
  let d = minorDigitsCache.get(currency);
  if (d === undefined) {
    try {
      d = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    } catch {
      d = 2;
    }
    d = Math.min(Math.max(d, 0), 3);
    minorDigitsCache.set(currency, d);
  }
  return d;
}

/** A decimal price from the wire (at most 3 decimals kept, the rest truncated, not rounded) → thousandths. */
export function toThousandths(price: number): number {
  // Go through the shortest decimal text of the double so 19.99 is 19990, not 19989.
  const [int, frac = ''] = Math.abs(price).toString().includes('e') ? Math.abs(price).toFixed(6).split('.') : Math.abs(price).toString().split('.');
  const value = Number(int) * 1000 + Number((frac + '000').slice(0, 3));
  return price < 0 ? -value : value;
}

/** A weight in kg from the wire → integer grams, rounded half-up to the gram. */
export function toGrams(kg: number): number {
  const [int, frac = ''] = kg.toFixed(6).split('.');
  const grams = Number(int) * 1000 + Number(frac.slice(0, 3));
  return Number(frac[3] ?? '0') >= 5 ? grams + 1 : grams;
}

/** Integer `amount` scaled by 10^-digits, as the exact JSON number (19990, 3) → 19.99. */
export function scaled(amount: number, digits: number): number {
  if (digits === 0) return amount;
  return Number((amount / 10 ** digits).toFixed(digits));
}

export const thousandthsToUnits = (t: number): number => scaled(t, 3);
export const gramsToKg = (g: number): number => scaled(g, 3);

/** Integer division rounding half-up (away from zero for positive values; money here is never negative). */
export function divHalfUp(numerator: bigint, denominator: bigint): bigint {
  if (numerator < 0n) return -divHalfUp(-numerator, denominator);
  return (numerator * 2n + denominator) / (denominator * 2n);
}

// Catalog prices: at most 3 decimals, extra decimals truncated (never rounded), integers never drift.

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
