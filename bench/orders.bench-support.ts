import type { AppContext } from '../src/context.js';

/** A webhook endpoint for the bench chain so every PUT writes its outbox row (wired once webhooks land). */
export async function benchWebhookEndpoint(_ctx: AppContext, _chainId: string): Promise<void> {}
