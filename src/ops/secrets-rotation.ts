import type { AppContext } from '../platform/context.js';
import type { Db } from '../db/database.js';
import { hostKeySecrets, resealHostKeys } from '../sftp/index.js';
import { endpointSecrets, resealEndpointSecrets } from '../webhooks/index.js';
import { sealedKeyId, SecretKeyError, type ResealCount, type SecretBox } from '../platform/secret-box.js';

const KEYRING_ROW = 'current';

/**
 * Boot check: the database records which key its secrets are sealed with. A process that can open
 * neither that key nor its own previous keys would fail on every webhook; it refuses to start instead
 * (typically a second node that generated its own key file instead of sharing COMANDA_SECRET_KEY).
 */
export async function assertKeyringMatches(db: Db, box: SecretBox, now: Date): Promise<void> {
  await db.insertInto('secret_keyring').values({ id: KEYRING_ROW, key_id: box.currentKeyId, updated_at: now.toISOString() }).onConflict((oc) => oc.column('id').doNothing()).execute();
  const row = await db.selectFrom('secret_keyring').select('key_id').where('id', '=', KEYRING_ROW).executeTakeFirstOrThrow();
  if (!box.keyIds().includes(row.key_id)) {
    throw new SecretKeyError(
      `the secrets in this database are encrypted with key ${row.key_id}, but this process has ${box.keyIds().join(', ')}. ` +
        'Give every process the same COMANDA_SECRET_KEY (or copy the first node\'s data-dir secret.key); during a rotation put the old key in COMANDA_SECRET_KEY_PREVIOUS',
    );
  }
}

export interface RotationReport {
  key_id: string;
  webhook_endpoints: ResealCount;
  sftp_host_keys: ResealCount;
}

/**
 * `comanda secrets rotate`: re-encrypts every stored secret that is not sealed with the current key
 * (older keys from COMANDA_SECRET_KEY_PREVIOUS, or plaintext), each domain its own rows, then records
 * the current key as the database's key. Safe to run again or while servers run.
 */
export async function rotateSecrets(ctx: AppContext): Promise<RotationReport> {
  const report: RotationReport = { key_id: ctx.secrets.currentKeyId, webhook_endpoints: await resealEndpointSecrets(ctx), sftp_host_keys: await resealHostKeys(ctx) };
  await ctx.db.updateTable('secret_keyring').set({ key_id: ctx.secrets.currentKeyId, updated_at: ctx.clock.now().toISOString() }).where('id', '=', KEYRING_ROW).execute();
  return report;
}

/** `comanda secrets status`: how many stored secrets each key (or plaintext) holds. */
export async function secretsStatus(ctx: AppContext): Promise<{ current_key_id: string; database_key_id: string | null; values_by_key: Record<string, number> }> {
  const counts: Record<string, number> = {};
  const count = (v: string) => {
    const kid = sealedKeyId(v) ?? 'plaintext';
    counts[kid] = (counts[kid] ?? 0) + 1;
  };
  for (const v of [...(await endpointSecrets(ctx)), ...(await hostKeySecrets(ctx))]) count(v);
  const row = await ctx.db.selectFrom('secret_keyring').select('key_id').where('id', '=', KEYRING_ROW).executeTakeFirst();
  return { current_key_id: ctx.secrets.currentKeyId, database_key_id: row?.key_id ?? null, values_by_key: counts };
}
