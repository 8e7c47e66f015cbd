import { afterAll, beforeAll } from 'vitest';
import { createChain } from '../chains/chains.service.js';
import type { AppContext } from '../platform/context.js';
import type { Config } from '../config.js';
import type { WebhookEventType } from '../webhooks/event-types.js';
import { createEndpoint } from '../webhooks/endpoints.service.js';
import { emit, type EmittedEvent } from '../webhooks/events.js';
import { WebhookDispatcher } from '../webhooks/dispatcher.js';
import type { CreateEndpointBody, WebhookEndpoint } from '../webhooks/webhooks.schemas.js';
import { WebhookReceiver, type ReceiverOptions } from './webhook-receiver.js';

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

export interface UseWebhooksOptions {
  /** An endpoint of this chain (its id, read once the chains exist) pointing at the receiver; the receiver verifies with its signing secret. */
  endpointFor?: () => string;
  /** The endpoint's Authorization (default `Basic dXNlcjpwYXNz`). */
  authorization?: string;
  /** `start` (default): a running WebhookDispatcher on the context; `create`: built, not started; `none`. */
  dispatcher?: 'start' | 'create' | 'none';
  receiver?: ReceiverOptions;
}

export interface WebhookSetup {
  receiver: WebhookReceiver;
  dispatcher: WebhookDispatcher;
  endpoint: WebhookEndpoint;
  /** The endpoint's signing secret (whsec_…). */
  secret: string;
}

/**
 * A webhook receiver (and a dispatcher, and an endpoint at the receiver) for the enclosing describe, on
 * the context of `useTestApp` / `useTestContext`: call it after that one, so that it starts after the
 * context exists and stops (dispatcher, then receiver) before the context closes.
 */
export function useWebhooks(on: { ctx: AppContext }, options: UseWebhooksOptions = {}): WebhookSetup {
  const value: Partial<WebhookSetup> = {};
  const mode = options.dispatcher ?? 'start';
  beforeAll(async () => {
    value.receiver = await WebhookReceiver.start(options.receiver);
    if (options.endpointFor) {
      const { endpoint, signing_secret } = await createEndpoint(on.ctx, options.endpointFor(), { url: value.receiver.url, authorization: options.authorization ?? 'Basic dXNlcjpwYXNz' }, 'test');
      value.endpoint = endpoint;
      value.secret = signing_secret;
      value.receiver.setSecrets([signing_secret]);
    }
    if (mode !== 'none') {
      value.dispatcher = new WebhookDispatcher(on.ctx);
      if (mode === 'start') await value.dispatcher.start();
    }
  });
  afterAll(async () => {
    try {
      await value.dispatcher?.stop();
    } finally {
      await value.receiver?.close();
    }
  });
  return new Proxy(value, {
    get(target, key) {
      if (typeof key === 'string' && ['receiver', 'dispatcher', 'endpoint', 'secret'].includes(key) && !(key in target)) throw new Error(`useWebhooks: \`${key}\` is not set (read before beforeAll, or not asked for)`);
      return Reflect.get(target, key);
    },
  }) as WebhookSetup;
}

/**
 * Receivers the tests start themselves (`receiver()`), all closed after the enclosing describe. Call it
 * before the describe's own hooks: vitest runs after-hooks last-registered first, so the receivers close last.
 */
export function useReceivers(): { receiver(options?: ReceiverOptions): Promise<WebhookReceiver> } {
  const started: WebhookReceiver[] = [];
  afterAll(async () => {
    for (const r of started) await r.close();
  });
  return {
    receiver: async (options) => {
      const r = await WebhookReceiver.start(options);
      started.push(r);
      return r;
    },
  };
}
