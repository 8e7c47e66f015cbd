import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../demo/demo.seed.js';
import { createTestContext, type TestContext } from '../test-support/test-db.js';
import { findListingsForVendor } from './listings.repository.js';
import { resolveVendor } from '../vendors/vendors.repository.js';

describe('demo catalog', () => {
  let t: TestContext;
  beforeAll(async () => {
    t = await createTestContext();
  });
  afterAll(async () => t.close());

  it('seeds a few hundred unit and weighted products with per-store prices, once', async () => {
    const info = await seedDemo(t.ctx);
    const count = async () => Number((await t.ctx.db.selectFrom('products').select((eb) => eb.fn.countAll<number>().as('n')).where('chain_id', '=', info.chain_id).executeTakeFirstOrThrow()).n);
    const n = await count();
    expect(n).toBeGreaterThanOrEqual(200);
    const weighted = await t.ctx.db.selectFrom('products').select('sku').where('chain_id', '=', info.chain_id).where('is_sold_by_weight', '=', true).execute();
    expect(weighted.length).toBeGreaterThan(30);
    const direct = (await resolveVendor(t.ctx.db, info.chain_id, info.vendors.direct))!;
    const pelican = (await resolveVendor(t.ctx.db, info.chain_id, info.vendors.indirect))!;
    const sku = weighted[0]!.sku;
    const [d, p] = [(await findListingsForVendor(t.ctx.db, direct.id, [sku])).get(sku)!, (await findListingsForVendor(t.ctx.db, pelican.id, [sku])).get(sku)!];
    expect(d.isSoldByWeight).toBe(true);
    expect(p.priceMilli).toBeGreaterThan(d.priceMilli);
    const categories = await t.ctx.db.selectFrom('categories').select('path').where('chain_id', '=', info.chain_id).execute();
    expect(categories.map((c) => c.path)).toContain('Almacén/Infusiones/Yerba mate');
    // Idempotent: a second run adds nothing and keeps partner changes.
    await t.ctx.db.updateTable('listings').set({ price_milli: 1 }).where('vendor_id', '=', direct.id).where('sku', '=', sku).execute();
    await seedDemo(t.ctx);
    expect(await count()).toBe(n);
    expect((await findListingsForVendor(t.ctx.db, direct.id, [sku])).get(sku)!.priceMilli).toBe(1);
  });
});
