import { describe, expect, it } from 'vitest';
import { parseUtcTime, utcIso } from './utc-time.js';

describe('parseUtcTime', () => {
  it('reads a time without a zone as UTC, whatever the server time zone', () => {
    expect(utcIso('2024-09-11T10:40:00')).toBe('2024-09-11T10:40:00.000Z');
    expect(utcIso('2024-09-11 10:40:00')).toBe('2024-09-11T10:40:00.000Z');
    expect(utcIso('2024-09-11T10:40:00.5')).toBe('2024-09-11T10:40:00.500Z');
  });
  it('keeps an explicit zone', () => {
    expect(utcIso('2024-09-11T10:40:00Z')).toBe('2024-09-11T10:40:00.000Z');
    expect(utcIso('2024-09-11T10:40:00+02:00')).toBe('2024-09-11T08:40:00.000Z');
    expect(utcIso('2024-09-11T10:40:00-0300')).toBe('2024-09-11T13:40:00.000Z');
  });
  it('gives an invalid Date for garbage', () => {
    expect(Number.isNaN(parseUtcTime('yesterday').getTime())).toBe(true);
  });
});
