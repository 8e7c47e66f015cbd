import type { AppContext } from '../platform/context.js';

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
