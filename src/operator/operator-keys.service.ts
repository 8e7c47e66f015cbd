import type { AppContext } from '../platform/context.js';
import { lastUsedIsStale } from '../platform/last-used.js';
import { isWellFormed, mintSecret, redacted, sha256, uuid } from '../platform/secrets.js';

const PREFIX = 'cmd_op';

import type { OperatorPrincipal } from '../platform/access.js';

/** Operator keys are created from the CLI only (whoever runs the CLI owns the database). */
export async function createOperatorKey(ctx: AppContext, name: string): Promise<{ id: string; secret: string }> {
  const secret = mintSecret(PREFIX);
  const { displayPrefix, last4 } = redacted(secret, PREFIX);
  const id = uuid();
  const now = ctx.clock.now().toISOString();
  await ctx.db
    .insertInto('operator_keys')
    .values({ id, name, key_hash: sha256(secret), display_prefix: displayPrefix, last4, created_at: now, last_used_at: null, revoked_at: null })
    .execute();
  return { id, secret };
}

export async function revokeOperatorKey(ctx: AppContext, id: string): Promise<boolean> {
  const res = await ctx.db.updateTable('operator_keys').set({ revoked_at: ctx.clock.now().toISOString() }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

/** Revokes every active key with this name (the demo seed retires a key whose secret it lost). */
export async function revokeOperatorKeysNamed(ctx: AppContext, name: string): Promise<void> {
  await ctx.db.updateTable('operator_keys').set({ revoked_at: ctx.clock.now().toISOString() }).where('name', '=', name).where('revoked_at', 'is', null).execute();
}

export async function operatorKeyIsActive(ctx: AppContext, secret: string): Promise<boolean> {
  return (await authenticateOperatorKey(ctx, secret)) !== undefined;
}

export async function authenticateOperatorKey(ctx: AppContext, secret: string): Promise<OperatorPrincipal | undefined> {
  if (!isWellFormed(secret, PREFIX)) return undefined;
  const row = await ctx.db.selectFrom('operator_keys').select(['id', 'revoked_at', 'last_used_at']).where('key_hash', '=', sha256(secret)).executeTakeFirst();
  if (!row || row.revoked_at) return undefined;
  const now = ctx.clock.now();
  if (lastUsedIsStale(row.last_used_at, now)) {
    await ctx.db.updateTable('operator_keys').set({ last_used_at: now.toISOString() }).where('id', '=', row.id).execute();
  }
  return { kind: 'operator', keyId: row.id };
}
