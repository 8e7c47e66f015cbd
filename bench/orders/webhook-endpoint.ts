import type { AppContext } from '../../src/platform/context.js';
import { createEndpoint } from '../../src/webhooks/endpoints.service.js';

/** A webhook endpoint for the bench chain so every order change writes its outbox row (no dispatcher runs in the bench). */
export async function benchWebhookEndpoint(ctx: AppContext, chainId: string): Promise<void> {
  await createEndpoint(ctx, chainId, { url: 'http://127.0.0.1:9/hook', authorization: 'Basic YmVuY2g6YmVuY2g=' }, 'bench');
}
