import type { Kysely } from 'kysely';
import type { ColumnTypes } from '../column-types.js';

/**
 * Portal user management: a chain admin deactivates a member of their chain (the person may work for
 * other chains too, so it is the membership that ends), and one-time links to set a password
 * (invitations and resets; only the link's hash is stored).
 */
export function portalUsers(t: ColumnTypes) {
  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema.alterTable('chain_memberships').addColumn('disabled_at', t.timestamp).execute();
      await db.schema
        .createTable('password_links')
        .addColumn('token_hash', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('chain_id', 'text', (c) => c.references('chains.id'))
        .addColumn('purpose', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addColumn('expires_at', t.timestamp, (c) => c.notNull())
        .addColumn('used_at', t.timestamp)
        .execute();
      await db.schema.createIndex('password_links_user_idx').on('password_links').column('user_id').execute();
    },
  };
}
