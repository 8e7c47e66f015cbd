import { describe, expect, it } from 'vitest';
import { zonedLocalToUtc } from './time-zone.js';

describe('zonedLocalToUtc', () => {
  it.each([
    ['2026-12-01T00:00:00', 'America/Argentina/Buenos_Aires', '2026-12-01T03:00:00.000Z'],
    ['2026-07-15T12:30:00', 'Europe/Madrid', '2026-07-15T10:30:00.000Z'],
    ['2026-01-15T12:30:00', 'Europe/Madrid', '2026-01-15T11:30:00.000Z'],
    ['2026-06-01T09:00:00', 'UTC', '2026-06-01T09:00:00.000Z'],
    ['2026-03-08T03:30:00', 'America/New_York', '2026-03-08T07:30:00.000Z'],
  ])('%s in %s is %s', (local, tz, utc) => {
    expect(zonedLocalToUtc(local, tz)).toBe(utc);
  });

  it('refuses garbage', () => {
    expect(() => zonedLocalToUtc('tomorrow', 'UTC')).toThrow(RangeError);
  });
});
