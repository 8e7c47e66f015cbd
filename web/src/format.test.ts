import { describe, expect, it } from 'vitest';
import { chainPlace, formatDateTime, formatMoney, localeTag } from './format';

const ar = { locale: 'es_AR', timeZone: 'America/Argentina/Buenos_Aires', currency: 'ARS' };
const mx = { locale: 'es_MX', timeZone: 'America/Mexico_City', currency: 'MXN' };

describe('portal formatting', () => {
  it("uses the vendor's locale", () => {
    expect(localeTag('es_AR')).toBe('es-AR');
    expect(localeTag('pt_BR')).toBe('pt-BR');
    expect(localeTag('garbage')).toBe('es-AR');
  });

  it("shows times in the store's zone, not the browser's", () => {
    // 15:30 UTC is 12:30 in Buenos Aires (UTC-3) and 09:30 in Mexico City (UTC-6).
    expect(formatDateTime('2026-11-29T15:30:00.000Z', ar)).toBe('29/11/2026, 12:30');
    expect(formatDateTime('2026-11-29T15:30:00.000Z', mx)).toBe('29/11/2026, 09:30');
    expect(formatDateTime(null, ar)).toBe('');
  });

  it("formats money in the store's currency and separators", () => {
    expect(formatMoney(1234.5, ar).replace(/\s/g, ' ')).toMatch(/^\$ ?1\.234,50$/);
    expect(formatMoney(1234.5, mx)).toMatch(/1,234\.50/);
    expect(formatMoney(1234.5, { ...mx, locale: 'en_US', currency: 'USD' })).toBe('$1,234.50');
  });

  it("picks the chain's most common zone", () => {
    const v = (tz: string) => ({ locale: 'es_AR', time_zone: tz, currency: 'ARS' });
    expect(chainPlace([v('A/B'), v('America/Argentina/Cordoba'), v('America/Argentina/Cordoba')], 'ARS').timeZone).toBe('America/Argentina/Cordoba');
    expect(chainPlace([], 'ARS').currency).toBe('ARS');
  });
});
