import type { Kysely } from 'kysely';
import type { ColumnTypes } from '../column-types.js';

/**
 * Certification runs (src/certify): one row per run of the kit against a chain's test store, with
 * its report (JSON text, as produced), listed by date. jobs.results_read_at records when the owner of
 * a finished job first read its per-row results through the Partner API (the kit's catalog check).
 */
export function certifications(t: ColumnTypes) {
  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('certifications')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('chain_id', 'text', (c) => c.notNull().references('chains.id'))
        .addColumn('vendor_id', 'text', (c) => c.notNull().references('vendors.id'))
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('passed_checks', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('failed_checks', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('report', 'text')
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('started_at', t.timestamp, (c) => c.notNull())
        .addColumn('finished_at', t.timestamp)
        .execute();
      await db.schema.createIndex('certifications_chain_idx').on('certifications').columns(['chain_id', 'started_at']).execute();
      await db.schema.alterTable('jobs').addColumn('results_read_at', t.timestamp).execute();
    },
  };
}
