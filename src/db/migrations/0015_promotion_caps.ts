import type { Kysely } from 'kysely';

/**
 * Promotion caps applied in pricing (partner-api.md §5): `limits.max_discount_per_order` (money one
 * order may save from the promotion, integer thousandths) and `discount[].max_quantity` (discounted
 * units of a SKU per order), stored per promotion item.
 */
export function promotionCaps() {
  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema.alterTable('promotions').addColumn('max_discount_per_order', 'bigint').execute();
      await db.schema.alterTable('promotion_items').addColumn('max_quantity', 'integer').execute();
    },
  };
}
