import { describe, expect, it } from 'vitest';
import { ERRORS } from '../../src/platform/errors.js';
import { ApiError } from './api';
import { describeError } from './errors';
import { interpolate } from './i18n';
import { en, es, type MessageKey } from './messages';

const tr = (dict: Record<string, string>) => (key: MessageKey, vars?: Record<string, string | number>) => interpolate(dict[key] ?? key, vars);

describe('portal error texts', () => {
  it('have words for every error code of the API, in Spanish and English', () => {
    const missing = Object.keys(ERRORS).filter((code) => !(`error.code.${code}` in es) || !(`error.code.${code}` in en));
    expect(missing).toEqual([]);
  });

  it('name the SKU, the field and the stores, and never show the English server message in Spanish', () => {
    const sku = new ApiError(422, 'SKU_NOT_IN_ASSORTMENT', 'body.items[0].sku: "YERBA-9" is not listed at vendor V1', null, { field: 'body.items[0].sku', sku: 'YERBA-9' });
    expect(describeError(tr(es), sku)).toEqual({ text: 'El SKU YERBA-9 no está en el surtido de la tienda.', retry: false, field: 'body.items[0].sku' });
    expect(describeError(tr(en), sku).text).toBe("The SKU YERBA-9 is not in the store's assortment.");
    const field = new ApiError(400, 'VALIDATION_FAILED', 'body.products[0].maximum_sales_quantity must be integer', null, { fields: [{ field: 'body.products[0].maximum_sales_quantity', problem: 'must be integer' }] });
    expect(describeError(tr(es), field).text).toBe('Revisá el dato de body.products[0].maximum_sales_quantity.');
    expect(describeError(tr(es), field).text).not.toContain('must be');
    const vendors = new ApiError(422, 'UNKNOWN_VENDORS', 'body.vendors: not stores of this chain: X1, X2', null, { invalid_vendors: ['X1', 'X2'] });
    expect(describeError(tr(es), vendors).text).toBe('Estas tiendas no son de la cadena: X1, X2.');
  });

  it('suggest trying again only for server trouble, the network and rate limits', () => {
    expect(describeError(tr(es), new ApiError(409, 'LAST_ADMIN', 'x')).retry).toBe(false);
    expect(describeError(tr(es), new ApiError(404, 'ORDER_NOT_FOUND', 'x')).retry).toBe(false);
    expect(describeError(tr(es), new ApiError(422, 'SOME_NEW_CODE', 'x'))).toEqual({ text: 'No se pudo completar la acción (SOME_NEW_CODE).', retry: false });
    for (const text of Object.values(es).filter((v, i) => Object.keys(es)[i]!.startsWith('error.code.') && !/INTERNAL_ERROR|SERVICE_UNAVAILABLE|TOO_MANY_REQUESTS/.test(Object.keys(es)[i]!))) {
      expect(text).not.toMatch(/Probá de nuevo/);
    }
    const server = describeError(tr(es), new ApiError(500, 'INTERNAL_ERROR', 'Internal error'));
    expect(server).toMatchObject({ retry: true });
    expect(server.text).toContain('Probá de nuevo');
    expect(describeError(tr(es), new ApiError(502, 'HTTP_502', 'Bad gateway')).text).toBe('El servidor tuvo un problema (HTTP_502). Probá de nuevo en un momento.');
    expect(describeError(tr(en), new ApiError(429, 'TOO_MANY_REQUESTS', 'x', 7)).text).toBe('Too many requests in a row. Try again in 7 s.');
    expect(describeError(tr(es), new ApiError(0, 'NETWORK', 'network error')).retry).toBe(true);
  });
});
