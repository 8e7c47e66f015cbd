import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createPartnerClient,
  SequenceTracker,
  unwrap,
  verifySignature,
  verifyWebhook,
  parseWebhookEvent,
  WebhookVerificationError,
  type operations,
  type Order,
  type WebhookEvent,
} from '@comanda/partner-sdk';

type PutBody = operations['updateOrder']['requestBody']['content']['application/json'];
type PutItem = NonNullable<PutBody['items']>[number];
type OrderItem = Order['items'][number];

export interface PickerOptions {
  /** The Comanda server, e.g. http://127.0.0.1:8080. */
  baseUrl: string;
  chainId: string;
  /** The store as the partner names it in paths: its external id (TEST-900) or platform code. */
  vendorId: string;
  /** An API token (cmd_live_… or a sandbox cmd_test_…), or OAuth client credentials. */
  auth: { token: string } | { clientId: string; clientSecret: string };
  /** What the webhook endpoint was configured to send in Authorization. */
  authorization: string;
  /** The endpoint's signing secret (whsec_…), shown once when the endpoint was created. */
  signingSecret: string;
  port?: number;
  host?: string;
  /**
   * The deliberately broken variant: it checks the signature but not the Authorization secret, so it
   * accepts a request with a wrong one. The certification kit's WEBHOOK_WRONG_SECRET check fails.
   */
  broken?: boolean;
  log?: (line: string) => void;
}

export interface CatalogSync {
  jobId: string;
  status: string;
  results: Array<{ row: number; sku?: string; result: string; message?: string }>;
}

export interface PartnerPicker {
  /** The webhook URL to configure on the endpoint. */
  url: string;
  /** Orders this picker finished, by order id: what it sent last. */
  picked: Map<string, string>;
  /** Pushes prices and availability of a few products (a bulk update job), waits for it, reads its per-row results. */
  syncCatalog(): Promise<CatalogSync>;
  close(): Promise<void>;
}

const round3 = (n: number) => Math.round(n * 1000) / 1000;

/**
 * A small partner integration on @comanda/partner-sdk: receives webhooks (Authorization and
 * signature verified, redeliveries ignored), picks each RECEIVED order and reports with PUT. A
 * certification order says in its comment what to do (`CERT:<scenario> …`); other orders are picked
 * as a store would: weights varied, the last of three or more lines not found.
 */
export async function startPartnerPicker(opts: PickerOptions): Promise<PartnerPicker> {
  const log = opts.log ?? (() => {});
  const client = createPartnerClient({ baseUrl: opts.baseUrl, auth: opts.auth });
  const chain_id = opts.chainId;
  const sequences = new SequenceTracker();
  const seenEvents = new Set<string>();
  const picked = new Map<string, string>();
  const pending = new Set<Promise<void>>();
  let spareSkus: Promise<Array<{ sku: string; weighted: boolean }>> | undefined;

  /** Products of the store to add or substitute: active unit products, read once from the catalog. */
  const spares = () =>
    (spareSkus ??= (async () => {
      const page = unwrap(await client.GET('/v2/chains/{chain_id}/vendors/{vendor_id}/catalog', { params: { path: { chain_id, vendor_id: opts.vendorId }, query: { is_active: true, page_size: 100 } } }));
      return page.products.map((p) => ({ sku: p.sku, weighted: p.is_sold_by_weight }));
    })());
  const spareFor = async (order: Order) => {
    const inOrder = new Set(order.items.map((i) => i.sku));
    const spare = (await spares()).find((p) => !p.weighted && !inOrder.has(p.sku));
    if (!spare) throw new Error('no product left in the catalog to add or substitute');
    return spare.sku;
  };

  const put = async (order: Order, body: PutBody) => {
    const res = await client.PUT('/v2/chains/{chain_id}/orders/{order_id}', { params: { path: { chain_id, order_id: order.order_id } }, body });
    unwrap(res);
    log(`${order.order_code}: ${body.status}${body.items ? ` (${body.items.map((i) => `${i.sku ?? i._id} ${i.status ?? 'IN_CART'}`).join(', ')})` : ''}`);
  };
  const units = (o: Order) => o.items.filter((i) => i.pricing.pricing_type === 'UNIT');
  const asOrdered = (i: OrderItem): PutItem => ({ _id: i._id, status: 'IN_CART' });
  const reweigh = (i: OrderItem, factor: number): PutItem => ({ _id: i._id, status: 'IN_CART', pricing: { weight: round3((i.pricing.weight ?? 1) * factor) } });
  /** Closes the cart: READY_FOR_PICKUP, or ACCEPTED then DISPATCHED when the store delivers itself. */
  const finish = async (order: Order, items: PutItem[]) => {
    if (order.transport_type === 'VENDOR_DELIVERY') {
      // The store delivers itself: it says when the order will reach the customer.
      await put(order, { status: 'ACCEPTED', accepted_for: new Date(Date.now() + 20 * 60_000).toISOString() });
      await put(order, { status: 'DISPATCHED', items });
    } else await put(order, { status: 'READY_FOR_PICKUP', items });
    picked.set(order.order_id, order.transport_type === 'VENDOR_DELIVERY' ? 'DISPATCHED' : 'READY_FOR_PICKUP');
  };

  async function pick(order: Order): Promise<void> {
    const scenario = /^CERT:([A-Z_]+)/.exec(order.comment)?.[1];
    const items = order.items;
    switch (scenario) {
      case 'FULL':
        // Everything as ordered; a weighed line weighs a little more than asked (within the tolerance).
        return finish(order, items.map((i) => (i.pricing.pricing_type === 'KG' ? reweigh(i, 1.03) : asOrdered(i))));
      case 'PARTIAL':
        return finish(order, items.map((i, n) => (n === 0 ? { _id: i._id, status: 'NOT_FOUND' } : asOrdered(i))));
      case 'MODIFY': {
        const line = units(order).find((i) => i.pricing.quantity > 1);
        return finish(order, items.map((i) => (i === line ? { _id: i._id, status: 'IN_CART', pricing: { quantity: i.pricing.quantity - 1 } } : asOrdered(i))));
      }
      case 'WEIGHT':
        return finish(order, items.map((i) => (i.pricing.pricing_type === 'KG' ? reweigh(i, 0.92) : asOrdered(i))));
      case 'REPLACEMENT': {
        const first = items[0]!;
        return finish(order, [...items.slice(1).map(asOrdered), { sku: await spareFor(order), replaced_id: first._id, pricing: { quantity: first.pricing.quantity } }]);
      }
      case 'ADDITION':
        return finish(order, [...items.map(asOrdered), { sku: await spareFor(order), status: 'ADDITION', pricing: { quantity: 1 } }]);
      case 'UPDATE_CART': {
        // The customer is asked first (UPDATE_CART), then the cart closes as reviewed.
        const review = items.map((i, n) => (n === 0 && i.pricing.pricing_type === 'UNIT' && i.pricing.quantity > 1 ? { _id: i._id, status: 'IN_CART' as const, pricing: { quantity: i.pricing.quantity - 1 } } : asOrdered(i)));
        await put(order, { status: 'UPDATE_CART', items: review });
        return finish(order, review);
      }
      case 'CANCEL':
        await put(order, { status: 'CANCELLED', cancellation: { reason: 'ITEM_UNAVAILABLE' } });
        picked.set(order.order_id, 'CANCELLED');
        return;
      default: {
        // A regular order: weights vary by a few percent, the last of three or more lines is not found.
        const edits = items.map((i, n): PutItem => {
          if (items.length >= 3 && n === items.length - 1) return { _id: i._id, status: 'NOT_FOUND' };
          return i.pricing.pricing_type === 'KG' ? reweigh(i, n % 2 ? 0.95 : 1.05) : asOrdered(i);
        });
        return finish(order, edits);
      }
    }
  }

  async function handle(event: WebhookEvent): Promise<void> {
    if (event.kind !== 'order') return;
    const seq = await sequences.observe(event);
    log(`${event.order.order_code}: ${event.type} #${event.sequence} (${seq.status}, order ${event.order.status})`);
    if (seq.status === 'duplicate') return log(`${event.order.order_code}: ${event.type} #${event.sequence} again — ignored`);
    if (event.type !== 'RECEIVED' || event.order.status !== 'RECEIVED') return;
    // A pick that failed (the platform briefly unavailable, a timeout) is tried again a few times, on the
    // order as it is then: a store's system does not drop an order because one call failed.
    let order = event.order;
    for (let attempt = 1; ; attempt++) {
      try {
        return await pick(order);
      } catch (err) {
        if (attempt === 4) throw err;
        log(`${order.order_code}: pick failed (${(err as Error).message}), trying again`);
        await new Promise((r) => setTimeout(r, 500 * 2 ** attempt));
        order = unwrap(await client.GET('/v2/chains/{chain_id}/orders/{order_id}', { params: { path: { chain_id, order_id: order.order_id } } }));
        if (order.status !== 'RECEIVED') return;
      }
    }
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let event: WebhookEvent;
      try {
        if (opts.broken) {
          verifySignature({ body, headers: req.headers, secret: opts.signingSecret });
          event = parseWebhookEvent(body, req.headers);
        } else event = verifyWebhook({ body, headers: req.headers, authorization: opts.authorization, signingSecret: opts.signingSecret });
      } catch (err) {
        res.writeHead(err instanceof WebhookVerificationError ? 401 : 400).end();
        return;
      }
      // Answer at once; pick in the background. A redelivered event (same webhook-id) is answered and ignored.
      res.writeHead(200).end();
      if (seenEvents.has(event.eventId)) return;
      seenEvents.add(event.eventId);
      const p = handle(event)
        .catch((err: unknown) => log(`error: ${(err as Error).message}`))
        .finally(() => pending.delete(p));
      pending.add(p);
    });
  });
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', resolve));
  const address = server.address() as AddressInfo;

  async function syncCatalog(): Promise<CatalogSync> {
    // Prices and availability of three products as the store's system has them, plus one the platform does not know.
    const page = unwrap(await client.GET('/v2/chains/{chain_id}/vendors/{vendor_id}/catalog', { params: { path: { chain_id, vendor_id: opts.vendorId }, query: { is_active: true, page_size: 3 } } }));
    const rows = [...page.products.map((p) => ({ sku: p.sku, price: p.price, active: true })), { sku: 'NOT-IN-THE-CATALOG-1', price: 100, active: true }];
    const job = unwrap(await client.PUT('/v2/chains/{chain_id}/vendors/{vendor_id}/catalog', { params: { path: { chain_id, vendor_id: opts.vendorId } }, body: { products: rows } }));
    const path = { chain_id, job_id: job.job_id };
    let status: string = job.job_status;
    for (let i = 0; i < 600 && status !== 'COMPLETED' && status !== 'FAILED'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      status = unwrap(await client.GET('/v2/chains/{chain_id}/catalog/jobs/{job_id}', { params: { path } })).job_status;
    }
    const out = unwrap(await client.GET('/v2/chains/{chain_id}/catalog/jobs/{job_id}/results', { params: { path } })) as { results: CatalogSync['results'] };
    for (const r of out.results) if (r.result !== 'UPDATED' && r.result !== 'UNCHANGED') log(`catalog row ${r.row} (${r.sku ?? '?'}): ${r.result} ${r.message ?? ''}`);
    return { jobId: job.job_id, status, results: out.results };
  }

  return {
    url: `http://${address.address}:${address.port}/webhooks/comanda`,
    picked,
    syncCatalog,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.allSettled([...pending]);
    },
  };
}
