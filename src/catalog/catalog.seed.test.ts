import { describe, expect, it } from 'vitest';
import { seedDemo } from '../demo/demo.seed.js';
import { useTestContext } from '../test-support/test-app.js';
import { findListingsForVendor } from './listings.repository.js';
import { resolveVendor } from '../vendors/vendors.repository.js';

describe('demo catalog', () => {
  const s = useTestContext();

  it('seeds a few hundred unit and weighted products with per-store prices, once', async () => {
    const info = await seedDemo(s.ctx);
    const count = async () => Number((await s.ctx.db.selectFrom('products').select((eb) => eb.fn.countAll<number>().as('n')).where('chain_id', '=', info.chain_id).executeTakeFirstOrThrow()).n);
    const n = await count();
    expect(n).toBeGreaterThanOrEqual(200);
    const weighted = await s.ctx.db.selectFrom('products').select('sku').where('chain_id', '=', info.chain_id).where('is_sold_by_weight', '=', true).execute();
    expect(weighted.length).toBeGreaterThan(30);
    const direct = (await resolveVendor(s.ctx.db, info.chain_id, info.vendors.direct))!;
    const pelican = (await resolveVendor(s.ctx.db, info.chain_id, info.vendors.indirect))!;
    const sku = weighted[0]!.sku;
    const [d, p] = [(await findListingsForVendor(s.ctx.db, direct.id, [sku])).get(sku)!, (await findListingsForVendor(s.ctx.db, pelican.id, [sku])).get(sku)!];
    expect(d.isSoldByWeight).toBe(true);
    expect(p.priceMilli).toBeGreaterThan(d.priceMilli);
    const categories = await s.ctx.db.selectFrom('categories').select('path').where('chain_id', '=', info.chain_id).execute();
    expect(categories.map((c) => c.path)).toContain('Almacén/Infusiones/Yerba mate');
    // Idempotent: a second run adds nothing and keeps partner changes.
    await s.ctx.db.updateTable('listings').set({ price_milli: 1 }).where('vendor_id', '=', direct.id).where('sku', '=', sku).execute();
    await seedDemo(s.ctx);
    expect(await count()).toBe(n);
    expect((await findListingsForVendor(s.ctx.db, direct.id, [sku])).get(sku)!.priceMilli).toBe(1);
  });
});
