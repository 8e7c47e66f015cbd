import { sql, type Kysely } from 'kysely';

/**
 * Webhook dispatch rework.
 * - Replay keeps a delivery's attempt history: `attempt_base` counts the attempts made before the
 *   current retry schedule (a replay adds `attempts` to it and starts a fresh schedule), so attempt
 *   numbers continue across replays and the retry schedule still restarts.
 * - Fewer index writes per delivery: the per-order index no longer holds the status (a status change
 *   does not touch it; it serves the open-delivery check, the per-endpoint sequence and the next
 *   waiting one), and the claim index holds only claimable rows (pending, in flight), so a finished
 *   delivery leaves it instead of moving inside it. Plain SQL both dialects run.
 */
export function webhookDispatch() {
  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema.alterTable('webhook_deliveries').addColumn('attempt_base', 'integer', (c) => c.notNull().defaultTo(0)).execute();
      await db.schema.dropIndex('webhook_deliveries_due_idx').execute();
      await db.schema.dropIndex('webhook_deliveries_order_idx').execute();
      // OR-connected (not IN) so SQLite can prove that `status = 'pending'` in the claim implies it.
      await sql`create index webhook_deliveries_claim_idx on webhook_deliveries (status, next_attempt_at) where status = 'pending' or status = 'in_flight'`.execute(db);
      await db.schema.createIndex('webhook_deliveries_order_seq_idx').on('webhook_deliveries').columns(['endpoint_id', 'order_key', 'sequence']).execute();
    },
  };
}
