/**
 * Dates and money in the store's conventions, whatever the UI language: the vendor's locale picks the
 * layout (es_AR → 29/11/2026, 14:03 and $ 1.234,50), its time zone the clock, its currency the money.
 * The formats are numeric, so they read the same in a Spanish or an English UI; browsers do not all
 * ship data for mixed tags such as en-AR (Chromium falls back to US order), so we do not mix.
 */

export interface Place {
  /** e.g. es_AR (the vendor's locale) */
  locale: string;
  /** IANA zone, e.g. America/Argentina/Buenos_Aires */
  timeZone: string;
  /** ISO 4217, e.g. ARS */
  currency: string;
}

/** BCP 47 tag of a vendor locale: 'es_AR' → 'es-AR'; anything unusable → 'es-AR' (the platform default). */
export function localeTag(vendorLocale: string): string {
  const m = /^([a-z]{2})[_-]([A-Z]{2})$/.exec(vendorLocale);
  if (!m) return 'es-AR';
  const tag = `${m[1]}-${m[2]}`;
  try {
    return Intl.DateTimeFormat.supportedLocalesOf([tag]).length ? tag : 'es-AR';
  } catch {
    return 'es-AR';
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
export function formatDateTime(iso: string | null, place: Place): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(localeTag(place.locale), {
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
export function formatMoney(amount: number, place: Place): string {
  return new Intl.NumberFormat(localeTag(place.locale), { style: 'currency', currency: place.currency }).format(amount);
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

/**
 * A `datetime-local` (or `date`) input value read as wall-clock time in `timeZone`, as an ISO instant;
 * undefined for ''. Two passes settle DST edges.
 */
export function zonedInputToIso(value: string, timeZone: string): string | undefined {
  if (!value) return undefined;
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}))?$/.exec(value);
  if (!m) return undefined;
  const wall = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +(m[4] ?? 0), +(m[5] ?? 0));
  const zone = safeZone(timeZone) ?? 'UTC';
  const offset = (at: number) => {
    const parts = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' }).formatToParts(new Date(at));
    const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
    return Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second')) - at;
  };
  let at = wall - offset(wall);
  at = wall - offset(at);
  return new Date(at).toISOString();
}
