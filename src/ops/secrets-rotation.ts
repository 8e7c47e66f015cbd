import type { AppContext } from '../platform/context.js';
import type { Db } from '../db/database.js';
import { HOST_KEY_PURPOSE } from '../sftp/index.js';
import { WEBHOOK_AUTH_PURPOSE, WEBHOOK_SIGNING_PURPOSE } from '../webhooks/index.js';
import { sealedKeyId, SecretKeyError, type SecretBox } from '../platform/secret-box.js';

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
  webhook_endpoints: { resealed: number; already_current: number };
  sftp_host_keys: { resealed: number; already_current: number };
}

/** One column's value sealed again with the current key (plaintext and previous keys alike). */
function resealed(box: SecretBox, value: string | null, purpose: string): string | null {
  return value === null || box.isCurrent(value) ? value : box.reseal(value, purpose);
}

/**
 * `comanda secrets rotate`: re-encrypts every stored secret that is not sealed with the current key
 * (older keys from COMANDA_SECRET_KEY_PREVIOUS, or plaintext), one row per transaction, then records
 * the current key as the database's key. Safe to run again or while servers run.
 */
export async function rotateSecrets(ctx: AppContext): Promise<RotationReport> {
  const box = ctx.secrets;
  const report: RotationReport = { key_id: box.currentKeyId, webhook_endpoints: { resealed: 0, already_current: 0 }, sftp_host_keys: { resealed: 0, already_current: 0 } };
  const ids = await ctx.db.selectFrom('webhook_endpoints').select('id').orderBy('id').execute();
  for (const { id } of ids) {
    await ctx.db.transaction().execute(async (trx) => {
      const q = trx.selectFrom('webhook_endpoints').select(['auth_secret', 'signing_secret', 'previous_signing_secret']).where('id', '=', id);
      const e = ctx.dialect === 'postgres' ? await q.forUpdate().executeTakeFirst() : await q.executeTakeFirst();
      if (!e) return;
      const next = {
        auth_secret: resealed(box, e.auth_secret, WEBHOOK_AUTH_PURPOSE(id))!,
        signing_secret: resealed(box, e.signing_secret, WEBHOOK_SIGNING_PURPOSE(id))!,
        previous_signing_secret: resealed(box, e.previous_signing_secret, WEBHOOK_SIGNING_PURPOSE(id)),
      };
      if (next.auth_secret === e.auth_secret && next.signing_secret === e.signing_secret && next.previous_signing_secret === e.previous_signing_secret) {
        report.webhook_endpoints.already_current++;
        return;
      }
      await trx.updateTable('webhook_endpoints').set(next).where('id', '=', id).execute();
      report.webhook_endpoints.resealed++;
    });
  }
  for (const k of await ctx.db.selectFrom('sftp_host_keys').select(['id', 'private_key']).execute()) {
    const next = resealed(box, k.private_key, HOST_KEY_PURPOSE(k.id))!;
    if (next === k.private_key) {
      report.sftp_host_keys.already_current++;
      continue;
    }
    await ctx.db.updateTable('sftp_host_keys').set({ private_key: next }).where('id', '=', k.id).where('private_key', '=', k.private_key).execute();
    report.sftp_host_keys.resealed++;
  }
  await ctx.db.updateTable('secret_keyring').set({ key_id: box.currentKeyId, updated_at: ctx.clock.now().toISOString() }).where('id', '=', KEYRING_ROW).execute();
  return report;
}

/** `comanda secrets status`: how many stored secrets each key (or plaintext) holds. */
export async function secretsStatus(ctx: AppContext): Promise<{ current_key_id: string; database_key_id: string | null; values_by_key: Record<string, number> }> {
  const counts: Record<string, number> = {};
  const count = (v: string | null) => {
    if (v === null) return;
    const kid = sealedKeyId(v) ?? 'plaintext';
    counts[kid] = (counts[kid] ?? 0) + 1;
  };
  for (const e of await ctx.db.selectFrom('webhook_endpoints').select(['auth_secret', 'signing_secret', 'previous_signing_secret']).execute()) {
    count(e.auth_secret);
    count(e.signing_secret);
    count(e.previous_signing_secret);
  }
  for (const k of await ctx.db.selectFrom('sftp_host_keys').select('private_key').execute()) count(k.private_key);
  const row = await ctx.db.selectFrom('secret_keyring').select('key_id').where('id', '=', KEYRING_ROW).executeTakeFirst();
  return { current_key_id: ctx.secrets.currentKeyId, database_key_id: row?.key_id ?? null, values_by_key: counts };
}
