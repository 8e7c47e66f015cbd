import { describe, expect, it } from 'vitest';
import { ManualClock } from '../platform/clock.js';
import { useTestContext } from '../test-support/test-app.js';
import { upsertPromotionHeader } from './promotion-apply.js';
import type { PromotionHeader } from './promotion-input.js';
import { effectivePromotions, recordUse } from './effective.repository.js';
import { upsertItems } from './promotions.repository.js';

const header = (over: Partial<PromotionHeader>): PromotionHeader => ({
  type: 'STRIKETHROUGH',
  active: true,
  reason: 'COMPETITIVENESS',
  displayName: { es_AR: 'Promo' },
  vendors: ['*'],
  startTime: '2026-12-01T00:00:00.000Z',
  endTime: '2026-12-31T00:00:00.000Z',
  purchasedQuantity: null,
  discountedQuantity: null,
  globalLimit: null,
  maxItemsPerOrder: null,
  ...over,
});

describe('the overlap rule: effective promotion of (vendor, sku) at time t', () => {
  const clock = new ManualClock('2026-11-29T00:00:00Z');

  const s = useTestContext({ chains: { f: null }, clock });

  async function promo(h: PromotionHeader, skus: string[], value: number) {
    return s.ctx.db.transaction().execute(async (trx) => {
      const p = await upsertPromotionHeader(s.ctx, trx, s.f.chain.id, h, { bodyHash: 'h', source: 'API', jobId: null });
      await upsertItems(
        trx,
        s.ctx.dialect,
        p.id,
        skus.map((sku) => ({ vendorId: s.f.direct.id, sku, subtype: 'FINAL_PRICE', value })),
      );
      return p;
    });
  }

  it('later start_time wins once started; ended, scheduled and inactive ones are ignored', async () => {
    const a = await promo(header({ displayName: { es_AR: 'A' }, startTime: '2026-12-01T00:00:00Z', endTime: '2026-12-20T00:00:00Z' }), ['S1', 'S2'], 1000);
    const b = await promo(header({ displayName: { es_AR: 'B' }, startTime: '2026-12-05T00:00:00Z', endTime: '2026-12-10T00:00:00Z' }), ['S1'], 900);
    await promo(header({ displayName: { es_AR: 'C' }, active: false, startTime: '2026-12-06T00:00:00Z', endTime: '2026-12-30T00:00:00Z' }), ['S1'], 800);
    const at = async (when: string, sku = 'S1') => (await effectivePromotions(s.ctx.db, s.f.direct.id, [sku, 'S2', 'NOPE'], new Date(when))).get(sku)?.promotionId ?? null;

    expect(await at('2026-11-30T23:59:59Z')).toBeNull(); // nothing started
    expect(await at('2026-12-01T00:00:00Z')).toBe(a.id); // start is inclusive
    expect(await at('2026-12-04T23:59:59Z')).toBe(a.id);
    expect(await at('2026-12-05T00:00:00Z')).toBe(b.id); // B started later: it wins
    expect(await at('2026-12-07T00:00:00Z')).toBe(b.id); // C is inactive: ignored
    expect(await at('2026-12-10T00:00:00Z')).toBe(a.id); // B ended (end exclusive): A again
    expect(await at('2026-12-07T00:00:00Z', 'S2')).toBe(a.id); // B does not cover S2
    expect(await at('2026-12-20T00:00:00Z')).toBeNull(); // everything ended
    const m = await effectivePromotions(s.ctx.db, s.f.direct.id, ['S1'], new Date('2026-12-06T00:00:00Z'), 'es_AR');
    expect(m.get('S1')).toMatchObject({ name: 'B', value: 900, subtype: 'FINAL_PRICE', type: 'STRIKETHROUGH' });
    // Another vendor sees none of it.
    expect((await effectivePromotions(s.ctx.db, s.f.indirect.id, ['S1'], new Date('2026-12-06T00:00:00Z'))).size).toBe(0);
  });

  it('a promotion whose global_limit is used up stops applying; the earlier one applies again', async () => {
    const base = await promo(header({ displayName: { es_AR: 'Base' }, startTime: '2027-01-01T00:00:00Z', endTime: '2027-02-01T00:00:00Z' }), ['L1'], 500);
    const limited = await promo(header({ displayName: { es_AR: 'Limited' }, globalLimit: 2, startTime: '2027-01-02T00:00:00Z', endTime: '2027-02-01T00:00:00Z' }), ['L1'], 400);
    const when = new Date('2027-01-03T00:00:00Z');
    expect((await effectivePromotions(s.ctx.db, s.f.direct.id, ['L1'], when)).get('L1')?.promotionId).toBe(limited.id);
    expect(await recordUse(s.ctx.db, limited.id, 'order-1', when.toISOString())).toBe(true);
    expect(await recordUse(s.ctx.db, limited.id, 'order-1', when.toISOString())).toBe(true); // same order counts once
    expect(await recordUse(s.ctx.db, limited.id, 'order-2', when.toISOString())).toBe(true);
    expect(await recordUse(s.ctx.db, limited.id, 'order-3', when.toISOString())).toBe(false);
    expect((await effectivePromotions(s.ctx.db, s.f.direct.id, ['L1'], when)).get('L1')?.promotionId).toBe(base.id);
  });

  it('the same upsert key modifies the promotion instead of creating another', async () => {
    const h = header({ displayName: { es_AR: 'Same' }, startTime: '2027-03-01T00:00:00Z', endTime: '2027-03-02T00:00:00Z' });
    const first = await promo(h, ['K1'], 100);
    const second = await promo({ ...h, reason: 'OVERSTOCK', active: false }, ['K1'], 90);
    expect(second.id).toBe(first.id);
    const row = await s.ctx.db.selectFrom('promotions').selectAll().where('id', '=', first.id).executeTakeFirstOrThrow();
    expect(row.reason).toBe('OVERSTOCK');
    const items = await s.ctx.db.selectFrom('promotion_items').selectAll().where('promotion_id', '=', first.id).execute();
    expect(items.map((i) => Number(i.value))).toEqual([90]);
  });
});
