import { Type } from 'typebox';
import { describe, expect, it } from 'vitest';
import { distinctFields, ignoredHeaderValue, keySegment, stripUnknown } from './tolerant-reader.js';

const Item = Type.Object(
  {
    sku: Type.String(),
    pricing: Type.Optional(Type.Object({ quantity: Type.Optional(Type.Integer()) }, { additionalProperties: false })),
    title: Type.Optional(Type.Record(Type.String({ pattern: '^[a-z]{2}_[A-Z]{2}$' }), Type.String())),
    spec: Type.Optional(Type.Union([Type.Object({ base: Type.Number() }, { additionalProperties: false }), Type.Null()])),
    meta: Type.Optional(Type.Object({ a: Type.String() })),
  },
  { additionalProperties: false },
);
const Body = Type.Object({ items: Type.Array(Item), note: Type.Optional(Type.String()) }, { additionalProperties: false });

describe('tolerant reader walk', () => {
  it('removes undeclared fields at any depth and names them', () => {
    const body = {
      items: [
        { sku: 'A', barcode: ['1'], pricing: { quantity: 1, unit_price: 2, total_price: 2 }, spec: { base: 1, unit: 'kg' } },
        { sku: 'B', name: 'x' },
      ],
      order_id: 'o',
    };
    const { value, ignored } = stripUnknown(Body, body, 'body');
    expect(ignored).toEqual([
      'body.items[0].barcode',
      'body.items[0].pricing.unit_price',
      'body.items[0].pricing.total_price',
      'body.items[0].spec.unit',
      'body.items[1].name',
      'body.order_id',
    ]);
    expect(value).toEqual({ items: [{ sku: 'A', pricing: { quantity: 1 }, spec: { base: 1 } }, { sku: 'B' }] });
  });

  it('keeps the keys of maps (locale records) and of open objects: there a key is data', () => {
    const body = { items: [{ sku: 'A', title: { es_AR: 'x', 'es-AR': 'y' }, meta: { a: 'x', b: 'y' } }] };
    const { value, ignored } = stripUnknown(Body, body, 'body');
    expect(ignored).toEqual([]);
    // Nothing to remove: the very same object comes back.
    expect(value).toBe(body);
    expect(body.items[0]!.title).toEqual({ es_AR: 'x', 'es-AR': 'y' });
    expect(body.items[0]!.meta).toEqual({ a: 'x', b: 'y' });
  });

  it('leaves values of the wrong type for the validator to refuse', () => {
    const body = { items: 'nope', extra: 1 };
    expect(stripUnknown(Body, body, 'body')).toEqual({ value: { items: 'nope' }, ignored: ['body.extra'] });
    const bad = [1, 2];
    expect(stripUnknown(Body, bad, 'body')).toEqual({ value: bad, ignored: [] });
  });

  it('treats null in an optional field that cannot be null as not sent; keeps null where it is a value', () => {
    const S = Type.Object(
      {
        when: Type.Optional(Type.String()),
        cap: Type.Optional(Type.Union([Type.Integer(), Type.Null()])),
        anything: Type.Optional(Type.Unknown()),
        must: Type.String(),
      },
      { additionalProperties: false },
    );
    const body = { when: null, cap: null, anything: null, must: null };
    expect(stripUnknown(S, body, 'body')).toEqual({ value: { cap: null, anything: null, must: null }, ignored: ['body.when'] });
  });

  it('strips an own "__proto__" key like any other', () => {
    const body = JSON.parse('{"items":[{"sku":"A","__proto__":{"polluted":1}}]}');
    const { value, ignored } = stripUnknown(Body, body, 'body') as { value: any; ignored: string[] };
    expect(ignored).toEqual(['body.items[0].__proto__']);
    expect(Object.keys(value.items[0])).toEqual(['sku']);
    expect(Object.getPrototypeOf(value.items[0])).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('renders odd keys percent-encoded so the header stays one safe line', () => {
    expect(keySegment('locale')).toBe('.locale');
    expect(keySegment('a,b\r\nX-Evil: 1')).toBe('[a%2Cb%0D%0AX-Evil%3A%201]');
    expect(keySegment('é')).toBe('[%C3%A9]');
  });

  it('reports a field once however many items repeat it, and caps the header', () => {
    const paths = Array.from({ length: 500 }, (_, i) => `body.items[${i}].barcode`);
    expect(distinctFields([...paths, 'query.locale'])).toEqual(['body.items[0].barcode', 'query.locale']);
    const many = Array.from({ length: 200 }, (_, i) => `body.field_number_${i}`);
    const value = ignoredHeaderValue(many);
    expect(value.length).toBeLessThan(1100);
    expect(value).toMatch(/^body\.field_number_0, body\.field_number_1, .*, \.\.\. \(\+\d+ more\)$/);
  });
});
