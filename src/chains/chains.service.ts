import { writeAudit } from '../audit/index.js';
import type { AppContext } from '../platform/context.js';
import { uuid } from '../platform/secrets.js';
import { insertChain } from './chains.repository.js';
import type { Chain, CreateChainBody } from './chains.schemas.js';

export async function createChain(ctx: AppContext, input: CreateChainBody, actor: string): Promise<Chain> {
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const chain = await insertChain(trx, {
      id: uuid(),
      name: input.name,
      country_code: input.country_code ?? 'AR',
      currency: input.currency ?? 'ARS',
      created_at: now.toISOString(),
    });
    await writeAudit(trx, { chainId: chain.id, actor, action: 'chain.create', targetType: 'chain', targetId: chain.id, details: { name: chain.name } }, now);
    return chain;
  });
}
