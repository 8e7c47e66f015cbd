/** Weekly opening hours in the vendor's time zone, and the check-in window around each opening. */

export interface OpeningSlot {
  /** 0 = Sunday … 6 = Saturday (vendor local). */
  day: number;
  /** "HH:MM" local. */
  opens: string;
  /** "HH:MM" local, after opens; "24:00" for midnight. */
  closes: string;
}

export interface LocalTime {
  /** YYYY-MM-DD local. */
  date: string;
  day: number;
  /** Minutes since local midnight. */
  minutes: number;
}

const WEEKDAYS: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };
const formatters = new Map<string, Intl.DateTimeFormat>();

/** The local date, weekday and minute of `at` in `timeZone`. */
export function localTime(at: Date, timeZone: string): LocalTime {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', weekday: 'short', hour: '2-digit', minute: '2-digit' });
    formatters.set(timeZone, f);
  }
  const parts: Record<string, string> = {};
  for (const p of f.formatToParts(at)) parts[p.type] = p.value;
  return { date: `${parts.year}-${parts.month}-${parts.day}`, day: WEEKDAYS[parts.weekday!]!, minutes: Number(parts.hour) * 60 + Number(parts.minute) };
}

export function toMinutes(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h! * 60 + m!;
}

/** The slot open at this local time, if any. */
export function currentSlot(hours: readonly OpeningSlot[], t: LocalTime): OpeningSlot | undefined {
  return hours.find((s) => s.day === t.day && toMinutes(s.opens) <= t.minutes && t.minutes < toMinutes(s.closes));
}

/** The slot a check-in now is for: the open one, or one opening within `windowMinutes`. */
export function checkinSlot(hours: readonly OpeningSlot[], t: LocalTime, windowMinutes: number): OpeningSlot | undefined {
  return (
    currentSlot(hours, t) ??
    hours.find((s) => s.day === t.day && toMinutes(s.opens) > t.minutes && toMinutes(s.opens) - t.minutes <= windowMinutes)
  );
}

/** Key of one opening occurrence ("YYYY-MM-DD HH:MM" local), or the day when there is no schedule. */
export function openingKey(t: LocalTime, slot: OpeningSlot | undefined): string {
  return slot ? `${t.date} ${slot.opens}` : t.date;
}

/** Problems with a schedule (field-named), empty when valid. */
export function validateHours(hours: readonly OpeningSlot[]): string[] {
  const problems: string[] = [];
  hours.forEach((s, i) => {
    const o = toMinutes(s.opens);
    const c = toMinutes(s.closes);
    if (c <= o) problems.push(`body.opening_hours[${i}].closes must be after opens`);
    for (const [j, other] of hours.entries()) {
      if (j <= i || other.day !== s.day) continue;
      if (toMinutes(other.opens) < c && o < toMinutes(other.closes)) problems.push(`body.opening_hours[${j}] overlaps body.opening_hours[${i}]`);
    }
  });
  return problems;
}
