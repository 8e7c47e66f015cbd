import type { Kysely } from 'kysely';

/**
 * `webhook_deliveries.lease_until` was written on every claim and never read: a claimed delivery's lease
 * is its `next_attempt_at` (a dispatcher that dies leaves it due again when the lease runs out).
 */
export function dropDeliveryLeaseUntil() {
  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema.alterTable('webhook_deliveries').dropColumn('lease_until').execute();
    },
  };
}
