import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext } from '../../src/bootstrap.js';
import { loadConfig, type Config } from '../../src/config.js';
import type { AppContext } from '../../src/platform/context.js';
import { createLogger } from '../../src/platform/logger.js';
import { operatorKey, seedChain, type ChainFixture } from '../../src/test-support/fixtures.js';
import { CUSTOMER, seedCatalog } from '../../src/test-support/order-fixtures.js';
import { PrivatePostgres } from '../../src/test-support/private-postgres.js';
import { envFor, startServerProcess, type ServerProcess } from '../../src/test-support/processes.js';
import { WebhookReceiver } from '../../src/test-support/webhook-receiver.js';
import { createEndpoint } from '../../src/webhooks/endpoints.service.js';

/** Every HTTP answer the stream got, and how long it took. */
interface Outcome {
  at: number;
  what: 'intake' | 'put' | 'live' | 'ready';
  status: number | 'timeout' | 'network';
  ms: number;
  retryAfter: string | null;
  code: string | undefined;
}

const REQUEST_TIMEOUT_MS = 15_000;
const WORKERS = 4;
const BEFORE_MS = 5_000;
const DOWN_MS = 5_000;
const AFTER_MS = 8_000;

/**
 * Database faults: PostgreSQL is stopped in the middle of a stream of orders (intake + PUT) and their
 * webhooks, stays away for a few seconds and comes back. The server must keep answering (503
 * SERVICE_UNAVAILABLE with Retry-After, never a 500, a crash or a hung request), reconnect by itself,
 * and lose or reorder nothing that was committed. Runs on a private throw-away cluster (never the
 * shared test server), serially after the main suite: `npm run test:faults`.
 */
describe('PostgreSQL restart in the middle of orders and webhooks', { timeout: 600_000 }, () => {
  let cluster: PrivatePostgres;
  let config: Config;
  let ctx: AppContext;
  let receiver: WebhookReceiver;
  let server: ServerProcess;
  let a: ChainFixture;
  let op: string;
  let dataDir: string;

  beforeAll(async () => {
    cluster = await PrivatePostgres.create();
    const admin = new pg.Client({ connectionString: cluster.url() });
    await admin.connect();
    await admin.query('create database comanda_faults');
    await admin.end();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'comanda-faults-'));
    config = loadConfig({ DATABASE_URL: cluster.url('comanda_faults'), COMANDA_DATA_DIR: dataDir, COMANDA_ENV: 'test', LOG_LEVEL: 'silent', WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' });
    ctx = await createContext(config, { log: createLogger({ logLevel: 'silent' }) });
    a = await seedChain(ctx, 'Faults');
    await seedCatalog(ctx, [a.direct]);
    op = await operatorKey(ctx);
    receiver = await WebhookReceiver.start();
    const { signing_secret } = await createEndpoint(ctx, a.chain.id, { url: receiver.url, authorization: 'Bearer faults-0001', events: ['RECEIVED', 'READY_FOR_PICKUP'] }, 'test');
    receiver.setSecrets([signing_secret]);
    server = await startServerProcess(
      envFor(config, { WEBHOOK_ALLOWED_HOSTS: '127.0.0.1', WEBHOOK_POLL_MS: '200', WEBHOOK_TIMEOUT_MS: '3000', WEBHOOK_RETRY_SCHEDULE: '0.2,0.5,1,1,1,2,2,2,2,2,2,2', SIMULATORS: 'off' }),
      'api,worker',
    );
  });
  afterAll(async () => {
    await server?.kill();
    await receiver?.close();
    await ctx?.handle.close();
    cluster?.destroySync();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps answering (503 + Retry-After while the database is away), reconnects by itself, and loses or reorders nothing committed', async () => {
    const outcomes: Outcome[] = [];
    const t0 = Date.now();
    async function call(what: Outcome['what'], method: string, url: string, headers: Record<string, string> = {}, body?: unknown): Promise<{ status: number; json: any } | undefined> {
      const start = Date.now();
      try {
        const res = await fetch(`${server.url}${url}`, {
          method,
          headers: { ...headers, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
          ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
          signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        });
        const text = await res.text();
        let json: any;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        outcomes.push({ at: start - t0, what, status: res.status, ms: Date.now() - start, retryAfter: res.headers.get('retry-after'), code: json?.error?.code });
        return { status: res.status, json };
      } catch (err) {
        outcomes.push({ at: start - t0, what, status: (err as Error).name === 'TimeoutError' ? 'timeout' : 'network', ms: Date.now() - start, retryAfter: null, code: (err as Error).message });
        return undefined;
      }
    }
    const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

    const placed = new Set<string>(); // intake answered 201
    const picked = new Set<string>(); // PUT answered 200
    let stopAt = Number.POSITIVE_INFINITY;
    const worker = async (w: number) => {
      for (let n = 0; Date.now() < stopAt; n++) {
        const intake = await call('intake', 'POST', '/platform/v1/orders', { authorization: `Bearer ${op}` }, {
          vendor_id: a.direct.code,
          transport_type: 'LOGISTICS_DELIVERY',
          order_type: 'DELIVERY',
          items: [{ sku: 'LECHE-1L', quantity: 1 + (n % 3) }, { sku: 'PAN-LACTAL', quantity: 1 }],
          customer: CUSTOMER,
        });
        if (intake?.status !== 201) {
          await pause(intake?.status === 503 ? 250 : 100);
          continue;
        }
        const id = intake.json.order_id as string;
        placed.add(id);
        // The partner marks it picked, retrying with the same Idempotency-Key until it is acknowledged.
        for (let attempt = 0; ; attempt++) {
          const res = await call('put', 'PUT', `/v2/chains/${a.chain.id}/orders/${id}`, { authorization: `Bearer ${a.token}`, 'idempotency-key': `w${w}-${id}` }, { order_id: id, status: 'READY_FOR_PICKUP' });
          if (res?.status === 200) {
            picked.add(id);
            break;
          }
          if (attempt > 200) throw new Error(`PUT ${id} never succeeded; last answer ${res?.status} ${JSON.stringify(res?.json)}`);
          await pause(250);
        }
      }
    };
    const probe = async () => {
      while (Date.now() < stopAt) {
        await call('live', 'GET', '/health/live');
        await call('ready', 'GET', '/health/ready');
        await pause(300);
      }
    };

    const running = [...Array.from({ length: WORKERS }, (_, w) => worker(w)), probe()];
    await pause(BEFORE_MS);
    const placedBefore = placed.size;
    const downAt = Date.now() - t0;
    await cluster.stop();
    await pause(DOWN_MS);
    await cluster.start();
    const upAt = Date.now() - t0;
    await pause(AFTER_MS);
    stopAt = Date.now();
    await Promise.all(running);

    // The server process is still the same one, and healthy.
    expect(server.child.exitCode).toBeNull();
    expect((await fetch(`${server.url}/health/ready`)).status).toBe(200);

    // Never a 500, never a hung request; while the database was away: 503 SERVICE_UNAVAILABLE with Retry-After.
    const summary = (list: Outcome[]) => list.reduce<Record<string, number>>((m, o) => ({ ...m, [`${o.what}:${o.status}`]: (m[`${o.what}:${o.status}`] ?? 0) + 1 }), {});
    const report = JSON.stringify({ downAt, upAt, placedBefore, placed: placed.size, picked: picked.size, statuses: summary(outcomes) });
    expect(outcomes.filter((o) => o.status === 'timeout' || o.status === 'network'), report).toEqual([]);
    expect(outcomes.filter((o) => typeof o.status === 'number' && o.status >= 500 && o.status !== 503), report).toEqual([]);
    const unavailable = outcomes.filter((o) => o.status === 503 && o.what !== 'ready');
    expect(unavailable.length, report).toBeGreaterThan(0);
    for (const o of unavailable) {
      expect(o.code).toBe('SERVICE_UNAVAILABLE');
      expect(Number(o.retryAfter)).toBeGreaterThan(0);
    }
    expect(Math.max(...outcomes.map((o) => o.ms)), report).toBeLessThan(REQUEST_TIMEOUT_MS);
    expect(outcomes.filter((o) => o.what === 'live').every((o) => o.status === 200), report).toBe(true);
    expect(outcomes.some((o) => o.what === 'ready' && o.status === 503 && o.at >= downAt && o.at <= upAt), report).toBe(true);
    // Reconnected by itself: orders were placed after the restart.
    expect(placedBefore, report).toBeGreaterThan(0);
    expect(outcomes.some((o) => o.what === 'intake' && o.status === 201 && o.at > upAt), report).toBe(true);
    console.log(`postgres restart: ${report}`);

    // Nothing acknowledged is lost.
    const rows = await ctx.db.selectFrom('orders').select(['id', 'status']).where('vendor_id', '=', a.direct.id).execute();
    const stored = new Map(rows.map((r) => [r.id, r.status]));
    for (const id of placed) expect(stored.has(id), `order ${id} answered 201`).toBe(true);
    for (const id of picked) expect(stored.get(id), `order ${id} answered 200 to READY_FOR_PICKUP`).toBe('READY_FOR_PICKUP');

    // Every committed event is delivered, and in order per order.
    await expect
      .poll(async () => (await ctx.db.selectFrom('webhook_deliveries').select('status').where('chain_id', '=', a.chain.id).where('status', '!=', 'succeeded').execute()).length, { timeout: 180_000, interval: 500 })
      .toBe(0);
    const events = await ctx.db.selectFrom('webhook_events').select(['id', 'order_key', 'sequence', 'type']).where('chain_id', '=', a.chain.id).execute();
    const received = new Set(receiver.requests.filter((r) => r.status === 200).map((r) => r.webhookId));
    expect(events.filter((e) => !received.has(e.id)).map((e) => `${e.type} ${e.order_key}`)).toEqual([]);
    expect(receiver.requests.every((r) => r.verified && r.headers.authorization === 'Bearer faults-0001')).toBe(true);
    for (const id of stored.keys()) {
      const firsts = new Map<number, number>();
      receiver.forOrder(id).forEach((x, i) => firsts.has(x.sequence!) || firsts.set(x.sequence!, i));
      const positions = [...firsts.entries()].sort((x, y) => x[0] - y[0]).map(([, i]) => i);
      expect(positions, `order ${id}`).toEqual([...positions].sort((x, y) => x - y));
      const types = [...firsts.keys()].sort((x, y) => x - y).map((s) => receiver.forOrder(id).find((r) => r.sequence === s)!.json.status);
      expect(types[0], `order ${id}`).toBe('RECEIVED');
      if (picked.has(id)) expect(types, `order ${id}`).toContain('READY_FOR_PICKUP');
    }
  });
});
