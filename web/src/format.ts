/**
 * Dates and money in the store's conventions: the UI language picks the words, the store's country
 * picks the number/date layout (es_AR → es-AR, English UI → en-AR), the store's time zone the clock.
 */

export interface Place {
  /** e.g. es_AR (the vendor's locale) */
  locale: string;
  /** IANA zone, e.g. America/Argentina/Buenos_Aires */
  timeZone: string;
  /** ISO 4217, e.g. ARS */
  currency: string;
}

/** BCP 47 tag for the UI language in the place's country: ('en', 'es_AR') → 'en-AR'. */
export function localeTag(lang: string, vendorLocale: string): string {
  const country = /^[a-z]{2}[_-]([A-Z]{2})$/.exec(vendorLocale)?.[1];
  const tag = country ? `${lang}-${country}` : lang;
  try {
    return Intl.DateTimeFormat.supportedLocalesOf([tag]).length ? tag : lang;
  } catch {
    return lang;
  }
}

function safeZone(timeZone: string): string | undefined {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    return timeZone;
  } catch {
    return undefined;
  }
}

/** "29/11/2026, 14:03" in the place's zone (24-hour clock, as back offices read); '' for null. */
export function formatDateTime(iso: string | null, lang: string, place: Place): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(localeTag(lang, place.locale), {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone: safeZone(place.timeZone),
  }).format(d);
}

/** Money from a decimal amount in the place's currency, e.g. 1234.5 → "$ 1.234,50" for es-AR/ARS. */
export function formatMoney(amount: number, lang: string, place: Place): string {
  return new Intl.NumberFormat(localeTag(lang, place.locale), { style: 'currency', currency: place.currency }).format(amount);
}

/**
 * The chain-wide place for pages that are not about one store (tokens, audit): the zone most of the
 * chain's stores use, so "last used 14:03" reads in the chain's own clock.
 */
export function chainPlace(vendors: ReadonlyArray<{ locale: string; time_zone: string; currency: string }>, fallbackCurrency: string): Place {
  const counts = new Map<string, number>();
  for (const v of vendors) counts.set(v.time_zone, (counts.get(v.time_zone) ?? 0) + 1);
  let zone = '';
  let best = 0;
  for (const [z, n] of counts) if (n > best) [zone, best] = [z, n];
  const first = vendors.find((v) => v.time_zone === zone);
  return {
    locale: first?.locale ?? 'es_AR',
    timeZone: zone || Intl.DateTimeFormat().resolvedOptions().timeZone,
    currency: first?.currency ?? fallbackCurrency,
  };
}
