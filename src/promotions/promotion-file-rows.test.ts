import { beforeAll, describe, expect, it } from 'vitest';
import { applyProductRows } from '../catalog/products.repository.js';
import { useTestContext } from '../test-support/test-app.js';
import { applyPromotionFileRows, type PromotionFileRow } from './promotion-file-rows.js';
import { effectivePromotions } from './effective.repository.js';

describe('promotion rows from files (the SFTP importer entry point)', () => {
  const s = useTestContext({ chains: { f: null } });

  beforeAll(async () => {
    await s.ctx.db.transaction().execute((trx) =>
      applyProductRows(s.ctx, trx, s.f.chain.id, [s.f.direct.id], [
        { sku: 'A1', title: { es_AR: 'Agua' }, price: 10, barcode: ['7790000000011'] },
        { sku: 'B2', title: { es_AR: 'Bizcochos' }, price: 5 },
      ], 0),
    );
  });

  const base: PromotionFileRow = {
    campaignName: 'Semana del agua',
    reason: 'COMPETITIVENESS',
    startTime: '2030-01-01T03:00:00.000Z',
    endTime: '2030-01-08T03:00:00.000Z',
    active: true,
    type: 'STRIKETHROUGH',
    subType: 'FINAL_PRICE',
  };
  const apply = (rows: PromotionFileRow[]) => s.ctx.db.transaction().execute((trx) => applyPromotionFileRows(s.ctx, trx, s.f.chain.id, s.f.direct, rows));
  const at = new Date('2030-01-02T00:00:00Z');

  it('applies valid rows and reports each bad one, in order', async () => {
    const results = await apply([
      { ...base, barcode: '7790000000011', discountValue: 8.5 },
      { ...base, sku: 'B2', discountValue: 6 },
      { ...base, sku: 'NOPE', discountValue: 1 },
      { ...base, sku: 'A1', subType: 'FREE_ITEM' },
      { ...base, barcode: '000' },
    ]);
    expect(results.map((r) => r.result)).toEqual(['UPDATED', 'INVALID_DISCOUNTED_SKU', 'SKU_NOT_FOUND', 'INVALID_PROMOTION', 'SKU_NOT_FOUND']);
    expect(results[1]!.message).toBe('FINAL_PRICE_NOT_BELOW_LISTING_PRICE');
    const eff = await effectivePromotions(s.ctx.db, s.f.direct.id, ['A1', 'B2'], at, s.f.direct.locale);
    expect(eff.get('A1')).toMatchObject({ value: 8500, name: 'Semana del agua' });
    expect(eff.has('B2')).toBe(false);
    const row = await s.ctx.db.selectFrom('promotions').select(['source', 'vendors']).where('chain_id', '=', s.f.chain.id).executeTakeFirstOrThrow();
    expect(row.source).toBe('SFTP');
  });

  it('the same rows with campaign_status 0 deactivate; bundles default to 2×1', async () => {
    expect((await apply([{ ...base, sku: 'A1', discountValue: 8.5, active: false }])).map((r) => r.result)).toEqual(['DEACTIVATED']);
    expect((await effectivePromotions(s.ctx.db, s.f.direct.id, ['A1'], at)).size).toBe(0);
    const res = await apply([{ ...base, campaignName: '2x1 bizcochos', type: 'SAME_ITEM_BUNDLE', subType: 'FREE_ITEM', sku: 'B2', globalLimit: 10, maxItemsPerOrder: 4 }]);
    expect(res).toEqual([{ result: 'UPDATED' }]);
    expect((await effectivePromotions(s.ctx.db, s.f.direct.id, ['B2'], at)).get('B2')).toMatchObject({ type: 'SAME_ITEM_BUNDLE', purchasedQuantity: 2, discountedQuantity: 1, globalLimit: 10, maxItemsPerOrder: 4 });
  });
});
