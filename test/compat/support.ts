import type { Logger } from 'pino';
import type { Config } from '../../src/config.js';
import { JobRunner } from '../../src/jobs/job-runner.js';
import { JOB_TYPES } from '../../src/jobs-list.js';
import { putStoreStatus } from '../../src/outlets/outlets.service.js';
import { startServer, type RunningServer, type ServerRole } from '../../src/server.js';
import { operatorKey, seedChain, type ChainFixture } from '../../src/test-support/fixtures.js';
import { CUSTOMER, seedCatalog, type IntakeItemInput } from '../../src/test-support/order-fixtures.js';
import { createTestContext, type TestContext } from '../../src/test-support/test-db.js';
import { WebhookReceiver } from '../../src/test-support/webhook-receiver.js';
import { FAST_WEBHOOKS } from '../../src/test-support/webhooks.js';
import { createEndpoint } from '../../src/webhooks/endpoints.service.js';
import type { CreateEndpointBody } from '../../src/webhooks/webhooks.schemas.js';

type EndpointEvents = NonNullable<CreateEndpointBody['events']>;

/**
 * Shared set-up for the compatibility suite (test/compat/): a real listening server, a chain with a
 * Partner Picking store (mapped to an external id), a Pelican store and a test store, the small test
 * assortment listed on the Partner Picking and test stores, an API token and an operator key.
 * Requests go over real HTTP with `fetch`, byte for byte as a partner's client sends them.
 */
export interface CompatEnv {
  t: TestContext;
  server: RunningServer;
  /** Base URL of the server, e.g. http://127.0.0.1:41234. */
  url: string;
  fx: ChainFixture;
  chainId: string;
  token: string;
  /** Operator key for /platform/v1 (order intake, platform transitions). */
  op: string;
  /** Only when started with `webhooks`: the receiver the chain's endpoint points at. */
  receiver: WebhookReceiver | undefined;
  /** A partner call (Bearer token) over HTTP; `path` is absolute (/v2/…). */
  call(method: string, path: string, opts?: CallOptions): Promise<CompatResponse>;
  /** Places an order on a store (default: the Partner Picking store) through the operator intake. */
  placeOrder(items: IntakeItemInput[], opts?: { transport?: 'LOGISTICS_DELIVERY' | 'VENDOR_DELIVERY'; vendorCode?: string }): Promise<any>;
  /** Runs queued jobs (catalog, promotions, exports) until none is left; answers how many steps ran. */
  runJobs(): Promise<number>;
  close(): Promise<void>;
}

export interface CallOptions {
  /** A JSON body: serialised with JSON.stringify, sent with `Content-Type: application/json`. */
  json?: unknown;
  /** A body sent exactly as given (no Content-Type added: pass it in `headers` when wanted). */
  raw?: string;
  /** Extra or replacing headers; a header set to undefined is not sent. */
  headers?: Record<string, string | undefined>;
  /** Another token (default: the chain's). */
  token?: string;
}

export interface CompatResponse {
  status: number;
  headers: Headers;
  text: string;
  /** The parsed JSON body (undefined when the body is not JSON). */
  body: any;
  /** The `Comanda-Ignored-Fields` header split into its entries ([] when absent). */
  ignored: string[];
}

export interface CompatOptions {
  /** Settings overrides for the test database / server. */
  config?: Partial<Config>;
  /** Also start the worker role (job runner, webhook dispatcher). Jobs can always be run with runJobs(). */
  worker?: boolean;
  /** Start a webhook receiver and subscribe the chain's endpoint to these event types (dispatcher included). */
  webhooks?: EndpointEvents | true;
  /** Chain name (must differ between files that share nothing; defaults to a unique one). */
  name?: string;
  /** The server's logger (default: silent). */
  log?: Logger;
}

let seq = 0;

/** The entries of a `Comanda-Ignored-Fields` header value. */
export function ignoredFields(header: string | null | undefined): string[] {
  if (!header) return [];
  return header
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

export async function startCompat(opts: CompatOptions = {}): Promise<CompatEnv> {
  const withWebhooks = opts.webhooks !== undefined;
  const t = await createTestContext({ config: { port: 0, ...(withWebhooks ? FAST_WEBHOOKS : {}), ...opts.config }, ...(opts.log ? { log: opts.log } : {}) });
  const fx = await seedChain(t.ctx, opts.name ?? `Compat ${process.pid} ${++seq}`);
  await seedCatalog(t.ctx, [fx.direct, fx.test]);
  for (const v of [fx.direct, fx.test]) await putStoreStatus(t.ctx, v, { status: 'OPEN' }, 'test');
  const op = await operatorKey(t.ctx);
  let receiver: WebhookReceiver | undefined;
  if (withWebhooks) {
    receiver = await WebhookReceiver.start();
    const events = opts.webhooks === true ? undefined : opts.webhooks;
    const { signing_secret } = await createEndpoint(t.ctx, fx.chain.id, { url: receiver.url, authorization: 'Basic dXNlcjpwYXNz', ...(events ? { events } : {}) }, 'test');
    receiver.setSecrets([signing_secret]);
  }
  // The portal role too: some compatibility tests check that the portal API stays strict.
  const roles: ServerRole[] = opts.worker || withWebhooks ? ['api', 'portal', 'worker'] : ['api', 'portal'];
  const server = await startServer(t.ctx, roles);
  const runner = new JobRunner(t.ctx, JOB_TYPES, { owner: 'compat-test' });

  const call = async (method: string, path: string, o: CallOptions = {}): Promise<CompatResponse> => {
    const headers: Record<string, string> = { authorization: `Bearer ${o.token ?? fx.token}` };
    let body: string | undefined;
    if (o.json !== undefined) {
      body = JSON.stringify(o.json);
      headers['content-type'] = 'application/json';
    } else if (o.raw !== undefined) {
      body = o.raw;
    }
    for (const [k, v] of Object.entries(o.headers ?? {})) {
      if (v === undefined) delete headers[k.toLowerCase()];
      else headers[k.toLowerCase()] = v;
    }
    const res = await fetch(`${server.url}${path}`, { method, headers, body });
    const text = await res.text();
    let parsed: any;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    return { status: res.status, headers: res.headers, text, body: parsed, ignored: ignoredFields(res.headers.get('comanda-ignored-fields')) };
  };

  const placeOrder: CompatEnv['placeOrder'] = async (items, o = {}) => {
    const res = await fetch(`${server.url}/platform/v1/orders`, {
      method: 'POST',
      headers: { authorization: `Bearer ${op}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        vendor_id: o.vendorCode ?? fx.direct.code,
        transport_type: o.transport ?? 'LOGISTICS_DELIVERY',
        order_type: 'DELIVERY',
        items,
        customer: CUSTOMER,
      }),
    });
    const text = await res.text();
    if (res.status !== 201) throw new Error(`intake failed: ${res.status} ${text}`);
    return JSON.parse(text);
  };

  let closed = false;
  return {
    t,
    server,
    url: server.url,
    fx,
    chainId: fx.chain.id,
    token: fx.token,
    op,
    receiver,
    call,
    placeOrder,
    runJobs: () => runner.runUntilIdle(),
    close: async () => {
      if (closed) return;
      closed = true;
      await server.stop();
      await receiver?.close();
      // server.stop() closed the database handle; drop the database itself.
      await t.db.drop();
    },
  };
}
