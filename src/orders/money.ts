/**
 * Exact money. Inside Comanda: catalog prices in integer thousandths of the currency unit, weights in
 * integer grams, line totals and payment fields in integer minor units of the currency. Floats only
 * appear at the JSON boundary (toUnits / thousandthsToUnits).
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
