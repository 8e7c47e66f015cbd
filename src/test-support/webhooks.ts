import { createChain } from '../chains/chains.service.js';
import type { AppContext } from '../platform/context.js';
import type { Config } from '../config.js';
import type { WebhookEventType } from '../webhooks/event-types.js';
import { createEndpoint } from '../webhooks/endpoints.service.js';
import { emit, type EmittedEvent } from '../webhooks/events.js';
import type { CreateEndpointBody } from '../webhooks/webhooks.schemas.js';

/** Settings for delivery tests: loopback allowed explicitly, fast retries, fast polling. */
export const FAST_WEBHOOKS: Partial<Config> = {
  webhookAllowedHosts: ['127.0.0.1'],
  webhookRetrySchedule: [0.1, 0.1, 0.1, 0.1, 0.1],
  webhookPollMs: 25,
  webhookTimeoutMs: 2000,
};

let n = 0;

/** A fresh chain with one endpoint pointing at `url`. */
export async function chainWithEndpoint(ctx: AppContext, url: string, extra: Partial<CreateEndpointBody> = {}) {
  const chain = await createChain(ctx, { name: `Webhooks ${++n} ${Date.now()}`, country_code: 'AR', currency: 'ARS' }, 'test');
  const { endpoint, signing_secret } = await createEndpoint(ctx, chain.id, { url, authorization: 'Basic dXNlcjpwYXNz', ...extra }, 'test');
  return { chainId: chain.id, endpoint, secret: signing_secret };
}

/** Emits one event in its own transaction. */
export async function emitOne(ctx: AppContext, chainId: string, type: WebhookEventType, orderKey?: string, payload: Record<string, unknown> = {}): Promise<EmittedEvent> {
  return ctx.db.transaction().execute((trx) => emit(ctx, trx, { chainId, type, orderKey, payload: { ...(orderKey ? { order_id: orderKey } : {}), status: type, ...payload } }));
}
