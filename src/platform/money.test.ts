import { describe, expect, it } from 'vitest';
import { fromMilli, milliToMinor, milliToText, toMilli } from './money.js';

describe('money in thousandths', () => {
  it('truncates (never rounds) to 3 decimals, from numbers and text', () => {
    expect(toMilli(10.9999)).toBe(10_999);
    expect(toMilli(4599.9999)).toBe(4_599_999);
    expect(toMilli(0.0019)).toBe(1);
    expect(toMilli(201.25)).toBe(201_250);
    expect(toMilli(1e-7)).toBe(0);
    expect(toMilli('12.3456')).toBe(12_345);
    expect(toMilli(' 7 ')).toBe(7000);
    expect(toMilli(0.1 + 0.2)).toBe(300); // 0.30000000000000004
  });
  it('refuses what is not a non-negative decimal', () => {
    for (const bad of [-1, Number.NaN, Infinity, '1,5', 'abc', '', '-2', 2e9]) expect(toMilli(bad as number | string)).toBeNull();
  });
  it('formats exactly and rounds to minor units half-up', () => {
    expect(fromMilli(1_899_500)).toBe(1899.5);
    expect(milliToText(10_999)).toBe('10.999');
    expect(milliToMinor(10_995)).toBe(1100);
    expect(milliToMinor(10_994)).toBe(1099);
  });
});
