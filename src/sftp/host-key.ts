import type { AppContext } from '../platform/context.js';
import type { ResealCount } from '../platform/secret-box.js';

const HOST_KEY_ID = 'default';

/** Authenticated data of the stored (encrypted) private key. */
export const HOST_KEY_PURPOSE = (id: string) => `sftp-host-key:${id}`;

/**
 * The SSH host key: generated once and stored in the database (encrypted with the secret key), so
 * every node (and every restart) presents the same key and clients' known_hosts stay valid.
 * Concurrent first starts race on the insert; the loser reads the winner's key.
 */
export async function ensureHostKey(ctx: AppContext): Promise<string> {
  const existing = await ctx.db.selectFrom('sftp_host_keys').select('private_key').where('id', '=', HOST_KEY_ID).executeTakeFirst();
  if (existing) return ctx.secrets.open(existing.private_key, HOST_KEY_PURPOSE(HOST_KEY_ID));
  const { default: ssh2 } = await import('ssh2');
  const { private: privateKey } = ssh2.utils.generateKeyPairSync('ed25519');
  await ctx.db
    .insertInto('sftp_host_keys')
    .values({ id: HOST_KEY_ID, private_key: ctx.secrets.seal(privateKey, HOST_KEY_PURPOSE(HOST_KEY_ID)), created_at: ctx.clock.now().toISOString() })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
  const row = await ctx.db.selectFrom('sftp_host_keys').select('private_key').where('id', '=', HOST_KEY_ID).executeTakeFirstOrThrow();
  return ctx.secrets.open(row.private_key, HOST_KEY_PURPOSE(HOST_KEY_ID));
}

/** Seals every stored host key again with the current secret key (see ops/secrets-rotation.ts). */
export async function resealHostKeys(ctx: AppContext): Promise<ResealCount> {
  const count: ResealCount = { resealed: 0, already_current: 0 };
  for (const k of await ctx.db.selectFrom('sftp_host_keys').select(['id', 'private_key']).execute()) {
    const next = ctx.secrets.reseal(k.private_key, HOST_KEY_PURPOSE(k.id));
    if (next === k.private_key) {
      count.already_current++;
      continue;
    }
    await ctx.db.updateTable('sftp_host_keys').set({ private_key: next }).where('id', '=', k.id).where('private_key', '=', k.private_key).execute();
    count.resealed++;
  }
  return count;
}

/** Every sealed (or legacy plaintext) value the host keys hold, for `comanda secrets status`. */
export async function hostKeySecrets(ctx: AppContext): Promise<string[]> {
  return (await ctx.db.selectFrom('sftp_host_keys').select('private_key').execute()).map((k) => k.private_key);
}
