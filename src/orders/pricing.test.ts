import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { minorDigits, scaled, thousandthsToUnits, toGrams, toThousandths } from '../platform/money.js';
import type { ItemStatus, OrderLine } from './orders.model.js';
import { computeTotals, includedTax, isDelivered, lineTotal, NO_FEES } from './pricing.js';

function line(p: Partial<OrderLine> & Pick<OrderLine, 'pricing_type' | 'unit_price' | 'quantity' | 'grams' | 'status'>): OrderLine {
  return {
    id: 'x', sku: 's', barcodes: [], name: 'n', replaced_id: null, instructions: '', image_url: null, container_deposit: 0,
    min_quantity: 1, max_quantity: p.quantity, vat_percent: 21, original: { unit_price: p.unit_price, quantity: p.quantity, grams: p.grams, total: 0 },
    discount: 0, promotions: [], added: false, ...p,
  };
}

describe('money', () => {
  it('truncates catalog prices to 3 decimals and reads them exactly', () => {
    expect(toThousandths(19.99)).toBe(19990);
    expect(toThousandths(1899.9999)).toBe(1899999);
    expect(toThousandths(0.1 + 0.2)).toBe(300);
    expect(toThousandths(1234.5678)).toBe(1234567);
    expect(thousandthsToUnits(1899999)).toBe(1899.999);
  });
  it('rounds weights to the gram', () => {
    expect(toGrams(0.85)).toBe(850);
    expect(toGrams(0.8525)).toBe(853);
    expect(toGrams(1.2344)).toBe(1234);
  });
  it('knows minor units per currency', () => {
    expect(minorDigits('ARS')).toBe(2);
    expect(minorDigits('CLP')).toBe(0);
    expect(minorDigits('KWD')).toBe(3);
    expect(scaled(123456, 2)).toBe(1234.56);
  });
});

describe('line totals', () => {
  it('unit lines: price × quantity, rounded half-up once', () => {
    // 650.755 × 3 = 1952.265 → 1952.27 (half-up), not 3 × 650.76 = 1952.28
    expect(lineTotal({ pricing_type: 'UNIT', unit_price: 650755, quantity: 3, grams: null }, 2)).toBe(195227);
    expect(lineTotal({ pricing_type: 'UNIT', unit_price: 1005, quantity: 1, grams: null }, 2)).toBe(101);
    expect(lineTotal({ pricing_type: 'UNIT', unit_price: 1004, quantity: 1, grams: null }, 2)).toBe(100);
  });
  it('KG lines: price per kg × weight', () => {
    // 8999.9/kg × 0.853 kg = 7676.9147 → 7676.91
    expect(lineTotal({ pricing_type: 'KG', unit_price: 8999900, quantity: 1, grams: 853 }, 2)).toBe(767691);
    // 1899.999 × 0.75 = 1424.99925 → 1425.00
    expect(lineTotal({ pricing_type: 'KG', unit_price: 1899999, quantity: 1, grams: 750 }, 2)).toBe(142500);
    // CLP: no minor unit; 999.5 → 1000
    expect(lineTotal({ pricing_type: 'KG', unit_price: 1999000, quantity: 1, grams: 500 }, 0)).toBe(1000);
  });
  it('VAT included, per line, half-up', () => {
    expect(includedTax(12100, 21)).toBe(2100);
    expect(includedTax(10000, 0)).toBe(0);
    expect(includedTax(11050, 10.5)).toBe(1050);
  });
});

const statusArb = fc.constantFrom<ItemStatus>('NOT_PROCESSED', 'IN_CART', 'NOT_FOUND', 'REPLACED', 'ADDITION');
const lineArb = fc.oneof(
  fc.record({ pricing_type: fc.constant('UNIT' as const), unit_price: fc.integer({ min: 1, max: 50_000_000 }), quantity: fc.integer({ min: 1, max: 100 }), grams: fc.constant(null), status: statusArb }),
  fc.record({ pricing_type: fc.constant('KG' as const), unit_price: fc.integer({ min: 1, max: 50_000_000 }), quantity: fc.constant(1), grams: fc.integer({ min: 1, max: 20_000 }), status: statusArb }),
);

describe('totals (property-based)', () => {
  it('sub_total is exactly the sum of the delivered lines, and order_total adds fees', () => {
    fc.assert(
      fc.property(fc.array(lineArb, { minLength: 1, maxLength: 40 }), fc.constantFrom(0, 2, 3), fc.integer({ min: 0, max: 100_000 }), (specs, digits, fee) => {
        const lines = specs.map((s) => line(s));
        const totals = computeTotals(lines, { ...NO_FEES, delivery_fee: fee }, digits);
        const expected = lines.filter(isDelivered).reduce((sum, l) => sum + lineTotal(l, digits), 0);
        expect(totals.sub_total).toBe(expected);
        expect(Number.isInteger(totals.sub_total)).toBe(true);
        expect(totals.order_total).toBe(expected + fee);
        expect(totals.discount).toBe(0);
        // Rounding happens once per line: each line is within half a minor unit of the exact value.
        for (const l of lines) {
          const exact = l.pricing_type === 'KG' ? (l.unit_price * l.grams!) / 10 ** (6 - digits) : (l.unit_price * l.quantity) / 10 ** (3 - digits);
          expect(Math.abs(lineTotal(l, digits) - exact)).toBeLessThanOrEqual(0.5);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('NOT_FOUND and REPLACED lines never count; original_sub_total keeps what was ordered', () => {
    fc.assert(
      fc.property(fc.array(lineArb, { minLength: 1, maxLength: 20 }), (specs) => {
        const lines = specs.map((s) => line(s)).map((l) => ({ ...l, original: { ...l.original, total: lineTotal(l, 2) } }));
        const removed = lines.map((l) => ({ ...l, status: 'NOT_FOUND' as const }));
        expect(computeTotals(removed, NO_FEES, 2).sub_total).toBe(0);
        expect(computeTotals(removed, NO_FEES, 2).original_sub_total).toBe(lines.reduce((s, l) => s + l.original.total, 0));
      }),
    );
  });
});
