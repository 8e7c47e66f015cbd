import type { Kysely } from 'kysely';
import type { ColumnTypes } from '../column-types.js';

/**
 * Generic jobs (catalog updates, product creation, exports, promotions, SFTP files): the job row,
 * its input stored in chunks (any worker can run any job), per-row results stored per processed
 * chunk, and output chunks (export files) so any API node can serve a download.
 */
export function jobs(t: ColumnTypes) {
  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('jobs')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('chain_id', 'text', (c) => c.notNull().references('chains.id'))
        .addColumn('vendor_id', 'text', (c) => c.references('vendors.id'))
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('params', t.json, (c) => c.notNull())
        // False while input is still being appended: the runner never claims such a job.
        .addColumn('input_complete', t.boolean, (c) => c.notNull())
        .addColumn('total_rows', 'integer', (c) => c.notNull())
        .addColumn('processed_rows', 'integer', (c) => c.notNull())
        .addColumn('error_rows', 'integer', (c) => c.notNull())
        .addColumn('counts', t.json, (c) => c.notNull())
        // Where the next step starts (next input chunk, last exported key…), written in the step's transaction.
        .addColumn('cursor', 'text')
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('lease_owner', 'text')
        .addColumn('lease_expires_at', t.timestamp)
        .addColumn('error', 'text')
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addColumn('started_at', t.timestamp)
        .addColumn('finished_at', t.timestamp)
        .addColumn('updated_at', t.timestamp, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('jobs_claim_idx').on('jobs').columns(['status', 'created_at']).execute();
      await db.schema.createIndex('jobs_chain_idx').on('jobs').columns(['chain_id', 'created_at']).execute();

      await db.schema
        .createTable('job_inputs')
        .addColumn('job_id', 'text', (c) => c.notNull().references('jobs.id').onDelete('cascade'))
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('first_row', 'integer', (c) => c.notNull())
        .addColumn('row_count', 'integer', (c) => c.notNull())
        .addColumn('rows', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('job_inputs_pk', ['job_id', 'seq'])
        .execute();

      await db.schema
        .createTable('job_results')
        .addColumn('job_id', 'text', (c) => c.notNull().references('jobs.id').onDelete('cascade'))
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('first_row', 'integer', (c) => c.notNull())
        .addColumn('row_count', 'integer', (c) => c.notNull())
        .addColumn('error_count', 'integer', (c) => c.notNull())
        .addColumn('results', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('job_results_pk', ['job_id', 'seq'])
        .execute();
      await db.schema.createIndex('job_results_row_idx').on('job_results').columns(['job_id', 'first_row']).execute();

      await db.schema
        .createTable('job_outputs')
        .addColumn('job_id', 'text', (c) => c.notNull().references('jobs.id').onDelete('cascade'))
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('data', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('job_outputs_pk', ['job_id', 'seq'])
        .execute();
    },
  };
}
