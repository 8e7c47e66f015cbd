import type { Kysely } from 'kysely';
import type { ColumnTypes } from '../column-types.js';

/** Store status, opening hours and check-in per vendor. */
export function outlets(t: ColumnTypes) {
  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('vendor_status')
        .addColumn('vendor_id', 'text', (c) => c.primaryKey().references('vendors.id'))
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('closed_until', t.timestamp)
        .addColumn('closed_reason', 'text')
        .addColumn('closed_on', 'text')
        .addColumn('opening_hours', t.json, (c) => c.notNull())
        .addColumn('checkin_required', t.boolean, (c) => c.notNull())
        .addColumn('checkin_opening', 'text')
        .addColumn('checked_in_at', t.timestamp)
        .addColumn('updated_at', t.timestamp, (c) => c.notNull())
        .addColumn('updated_by', 'text', (c) => c.notNull())
        .execute();
    },
  };
}
