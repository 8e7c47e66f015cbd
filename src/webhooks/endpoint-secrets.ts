import type { AppContext } from '../platform/context.js';
import type { ResealCount } from '../platform/secret-box.js';
import { WEBHOOK_AUTH_PURPOSE, WEBHOOK_SIGNING_PURPOSE } from './endpoints.repository.js';

/**
 * Seals every endpoint's Authorization and signing secrets again with the current secret key, one
 * endpoint per transaction (row locked on Postgres), so it can run while servers run.
 */
export async function resealEndpointSecrets(ctx: AppContext): Promise<ResealCount> {
  const box = ctx.secrets;
  const count: ResealCount = { resealed: 0, already_current: 0 };
  const ids = await ctx.db.selectFrom('webhook_endpoints').select('id').orderBy('id').execute();
  for (const { id } of ids) {
    await ctx.db.transaction().execute(async (trx) => {
      const q = trx.selectFrom('webhook_endpoints').select(['auth_secret', 'signing_secret', 'previous_signing_secret']).where('id', '=', id);
      const e = ctx.dialect === 'postgres' ? await q.forUpdate().executeTakeFirst() : await q.executeTakeFirst();
      if (!e) return;
      const next = {
        auth_secret: box.reseal(e.auth_secret, WEBHOOK_AUTH_PURPOSE(id)),
        signing_secret: box.reseal(e.signing_secret, WEBHOOK_SIGNING_PURPOSE(id)),
        previous_signing_secret: e.previous_signing_secret === null ? null : box.reseal(e.previous_signing_secret, WEBHOOK_SIGNING_PURPOSE(id)),
      };
      if (next.auth_secret === e.auth_secret && next.signing_secret === e.signing_secret && next.previous_signing_secret === e.previous_signing_secret) {
        count.already_current++;
        return;
      }
      await trx.updateTable('webhook_endpoints').set(next).where('id', '=', id).execute();
      count.resealed++;
    });
  }
  return count;
}

/** Every sealed (or legacy plaintext) secret the endpoints hold, for `comanda secrets status`. */
export async function endpointSecrets(ctx: AppContext): Promise<string[]> {
  const rows = await ctx.db.selectFrom('webhook_endpoints').select(['auth_secret', 'signing_secret', 'previous_signing_secret']).execute();
  return rows.flatMap((e) => [e.auth_secret, e.signing_secret, e.previous_signing_secret].filter((v): v is string => v !== null));
}
