import type { Executor } from '../db/database.js';

/** How many orders these vendors have (the demo backfills history only for stores with none). */
export async function countOrdersOfVendors(db: Executor, vendorIds: readonly string[]): Promise<number> {
  if (vendorIds.length === 0) return 0;
  const row = await db.selectFrom('orders').select((eb) => eb.fn.countAll().as('n')).where('vendor_id', 'in', vendorIds).executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** True when any of these vendors has an order. */
export async function vendorsHaveOrders(db: Executor, vendorIds: readonly string[]): Promise<boolean> {
  if (vendorIds.length === 0) return false;
  return (await db.selectFrom('orders').select('id').where('vendor_id', 'in', vendorIds).limit(1).executeTakeFirst()) !== undefined;
}
