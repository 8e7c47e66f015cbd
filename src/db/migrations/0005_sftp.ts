import { sql, type Kysely } from 'kysely';
import type { ColumnTypes } from '../column-types.js';
import type { Dialect } from '../database.js';

/**
 * SFTP: one login per chain, the shared host key, and the virtual file system (files + chunks stored
 * in the database so that every node sees the same files and an upload survives a process restart).
 */
export function sftp(t: ColumnTypes, dialect: Dialect) {
  const bytes = dialect === 'postgres' ? sql`bytea` : sql`blob`;
  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('sftp_users')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('chain_id', 'text', (c) => c.notNull().unique().references('chains.id'))
        .addColumn('username', 'text', (c) => c.notNull().unique())
        .addColumn('password_hash', 'text')
        .addColumn('public_keys', t.json, (c) => c.notNull())
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('updated_at', t.timestamp, (c) => c.notNull())
        .addColumn('last_login_at', t.timestamp)
        .addColumn('disabled_at', t.timestamp)
        .execute();

      await db.schema
        .createTable('sftp_host_keys')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('private_key', 'text', (c) => c.notNull())
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('sftp_files')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('chain_id', 'text', (c) => c.notNull().references('chains.id'))
        .addColumn('folder', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('size', t.bigint, (c) => c.notNull())
        .addColumn('uploaded_by', 'text')
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addColumn('updated_at', t.timestamp, (c) => c.notNull())
        .addColumn('sealed_at', t.timestamp)
        .execute();
      await db.schema.createIndex('sftp_files_dir_idx').on('sftp_files').columns(['chain_id', 'folder', 'name', 'status']).execute();
      await db.schema.createIndex('sftp_files_status_idx').on('sftp_files').columns(['status', 'updated_at']).execute();

      await db.schema
        .createTable('sftp_file_chunks')
        .addColumn('file_id', 'text', (c) => c.notNull().references('sftp_files.id').onDelete('cascade'))
        .addColumn('pos', t.bigint, (c) => c.notNull())
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('len', 'integer', (c) => c.notNull())
        .addColumn('data', bytes, (c) => c.notNull())
        .addPrimaryKeyConstraint('sftp_file_chunks_pk', ['file_id', 'pos', 'seq'])
        .execute();
    },
    async down(db: Kysely<any>): Promise<void> {
      await db.schema.dropTable('sftp_file_chunks').execute();
      await db.schema.dropTable('sftp_files').execute();
      await db.schema.dropTable('sftp_host_keys').execute();
      await db.schema.dropTable('sftp_users').execute();
    },
  };
}
