import type { Kysely } from 'kysely';
import type { SecretBox } from '../../platform/secret-box.js';
import type { ColumnTypes } from '../column-types.js';

/**
 * Security: shared brute-force counters (portal and SFTP logins, per login and per address, the same
 * for every process on the database), the id of the key stored secrets are encrypted with, and the
 * one-time encryption of the secrets earlier versions stored in plain text (webhook Authorization
 * and signing secrets, the SSH host key).
 */
export function security(t: ColumnTypes, secrets: SecretBox | undefined) {
  return {
    async up(db: Kysely<any>): Promise<void> {
      if (!secrets) throw new Error('0009_security needs the secret key ring to encrypt stored secrets');
      await db.schema
        .createTable('auth_throttles')
        // e.g. `portal-login:ana@example.com`, `sftp-address:203.0.113.7`
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('failures', 'integer', (c) => c.notNull())
        .addColumn('last_failure_at', t.timestamp, (c) => c.notNull())
        // No attempt before this time; also held briefly by the one attempt being checked right now.
        .addColumn('blocked_until', t.timestamp)
        .execute();
      await db.schema.createIndex('auth_throttles_last_failure').on('auth_throttles').column('last_failure_at').execute();

      await db.schema
        .createTable('secret_keyring')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('key_id', 'text', (c) => c.notNull())
        .addColumn('updated_at', t.timestamp, (c) => c.notNull())
        .execute();

      // Purposes are bound into each ciphertext (see SecretBox); they must match the repositories'.
      const plain = (v: unknown): v is string => typeof v === 'string' && !v.startsWith('enc:');
      const endpoints = await db.selectFrom('webhook_endpoints').select(['id', 'auth_secret', 'signing_secret', 'previous_signing_secret']).execute();
      for (const e of endpoints) {
        const patch: Record<string, string> = {};
        if (plain(e.auth_secret)) patch.auth_secret = secrets.seal(e.auth_secret, `webhook-auth:${e.id}`);
        if (plain(e.signing_secret)) patch.signing_secret = secrets.seal(e.signing_secret, `webhook-signing:${e.id}`);
        if (plain(e.previous_signing_secret)) patch.previous_signing_secret = secrets.seal(e.previous_signing_secret, `webhook-signing:${e.id}`);
        if (Object.keys(patch).length) await db.updateTable('webhook_endpoints').set(patch).where('id', '=', e.id).execute();
      }
      for (const k of await db.selectFrom('sftp_host_keys').select(['id', 'private_key']).execute()) {
        if (plain(k.private_key)) await db.updateTable('sftp_host_keys').set({ private_key: secrets.seal(k.private_key, `sftp-host-key:${k.id}`) }).where('id', '=', k.id).execute();
      }
      await db.insertInto('secret_keyring').values({ id: 'current', key_id: secrets.currentKeyId, updated_at: new Date().toISOString() }).execute();
    },
  };
}
