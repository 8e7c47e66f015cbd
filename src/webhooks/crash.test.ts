import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChain } from '../chains/chains.service.js';
import { createOperatorKey } from '../operator/operator-keys.service.js';
import { uuid } from '../platform/secrets.js';
import { envFor, startServerProcess, type ServerProcess } from '../test-support/processes.js';
import { useTestContext } from '../test-support/test-app.js';
import { testDialect, type TestContext } from '../test-support/test-db.js';
import { WebhookReceiver } from '../test-support/webhook-receiver.js';
import { createEndpoint } from './endpoints.service.js';
import { emit } from './events.js';

/**
 * Postgres: this throw-away database skips the WAL fsync at commit. What is tested is our process
 * dying (kill -9), which loses nothing Postgres acknowledged either way; only a Postgres crash could.
 */
async function fastCommits(t: TestContext): Promise<void> {
  if (t.ctx.dialect !== 'postgres') return;
  const name = new URL(t.db.config.databaseUrl!).pathname.slice(1);
  await sql`alter database ${sql.id(name)} set synchronous_commit = off`.execute(t.ctx.db);
}

const TOTAL = 10_000;
const ORDERS = 200;
const BATCH = 50;

describe('webhook durability across kill -9', () => {
  const s = useTestContext({ config: { webhookAllowedHosts: ['127.0.0.1'] } });
  let r: WebhookReceiver;
  let server: ServerProcess | undefined;

  beforeAll(async () => {
    await fastCommits(s.t);
    r = await WebhookReceiver.start();
  });
  afterAll(async () => {
    await server?.kill();
    await r.close();
  });

  it(`delivers every one of ${TOTAL} events at least once, with no sequence gap per order, although the server is killed mid-stream`, { timeout: 600_000 }, async () => {
    const chain = await createChain(s.ctx, { name: 'Crash test', country_code: 'AR', currency: 'ARS' }, 'test');
    const { signing_secret } = await createEndpoint(s.ctx, chain.id, { url: r.url, authorization: 'crash-secret' }, 'test');
    r.setSecrets([signing_secret]);
    const key = (await createOperatorKey(s.ctx, 'crash')).secret;
    const env = envFor(s.t.db.config, { WEBHOOK_ALLOWED_HOSTS: '127.0.0.1', WEBHOOK_POLL_MS: '50', WEBHOOK_LEASE_SECONDS: '2', WEBHOOK_TIMEOUT_MS: '1500', WEBHOOK_RETRY_SCHEDULE: '0.2,0.5,1,1,1,1,1,1,1,1' });
    const orders = Array.from({ length: ORDERS }, () => uuid());

    server = await startServerProcess(env);
    const acked = new Set<string>();
    let killedAt = -1;
    let batchNo = 0;
    while (batchNo * BATCH < TOTAL) {
      const events = Array.from({ length: BATCH }, (_, i) => {
        const n = batchNo * BATCH + i;
        const order = orders[n % ORDERS]!;
        return { type: 'RECEIVED', order_key: order, payload: { order_id: order, n } };
      });
      // Most batches are one transaction (a commit costs an fsync on Postgres); every tenth commits
      // each event on its own, as single order changes do. Kill -9 once, while emits and deliveries flow.
      const kill = killedAt < 0 && batchNo === TOTAL / BATCH / 2;
      const request: Promise<Response | Error> = fetch(`${server.url}/platform/v1/chains/${chain.id}/webhooks/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ events, atomic: batchNo % 10 !== 0 }),
      }).catch((err: Error) => err);
      if (kill) {
        await new Promise((res) => setTimeout(res, 15));
        killedAt = r.requests.length;
        await server.kill();
      }
      try {
        const res = await request;
        if (res instanceof Error) throw res;
        if (res.status !== 201) throw new Error(`emit answered ${res.status}`);
        for (const e of ((await res.json()) as { events: Array<{ event_id: string }> }).events) acked.add(e.event_id);
        batchNo++;
        if (process.env.CRASH_DEBUG) console.log(`batch ${batchNo} acked ${acked.size} received ${r.requests.length}`);
      } catch {
        // Not acknowledged: the client retries the batch on a restarted server (some of it may already be stored).
        // The old one is killed first if it still runs (a 5xx answer): never two servers, never a leaked one.
        await server.kill();
        server = await startServerProcess(env);
      }
    }
    expect(killedAt).toBeGreaterThan(0);
    expect(killedAt).toBeLessThan(TOTAL);
    expect(acked.size).toBeGreaterThanOrEqual(TOTAL);

    const dbg = process.env.CRASH_DEBUG
      ? setInterval(async () => {
          const rows = await s.ctx.db.selectFrom('webhook_deliveries').select(['status', (eb) => eb.fn.countAll().as('n')]).groupBy('status').execute();
          const att = await s.ctx.db.selectFrom('webhook_attempts').select(['outcome', (eb) => eb.fn.countAll().as('n')]).groupBy('outcome').execute();
          console.log('recv', r.requests.length, JSON.stringify(rows), JSON.stringify(att));
        }, 5000)
      : undefined;
    const delivered = () => new Set(r.requests.filter((x) => x.status === 200).map((x) => x.webhookId));
    const undelivered = () => {
      const got = delivered();
      return [...acked].filter((id) => !got.has(id)).length;
    };
    await expect.poll(undelivered, { timeout: 400_000, interval: 500 }).toBe(0);
    expect(r.requests.every((x) => x.verified)).toBe(true);
    // Per order: the sequences seen form 1..max with no gap, and max is what the database allocated.
    const stored = await s.ctx.db.selectFrom('webhook_sequences').selectAll().where('chain_id', '=', chain.id).execute();
    expect(stored).toHaveLength(ORDERS);
    const allocated = stored.reduce((s, x) => s + Number(x.last_sequence), 0);
    await expect.poll(() => delivered().size, { timeout: 60_000, interval: 200 }).toBeGreaterThanOrEqual(allocated);
    clearInterval(dbg);
    for (const row of stored) {
      const seqs = new Set(r.forOrder(row.order_key).map((x) => x.sequence));
      const max = Number(row.last_sequence);
      const gaps = Array.from({ length: max }, (_, i) => i + 1).filter((s) => !seqs.has(s));
      expect(gaps, `order ${row.order_key}`).toEqual([]);
      expect(Math.max(...[...seqs].map(Number))).toBe(max);
    }
    // And in order per order key: each first arrival of sequence s comes after the first arrival of s-1.
    for (const order of orders) {
      const firsts = new Map<number, number>();
      r.forOrder(order).forEach((x, i) => firsts.has(x.sequence!) || firsts.set(x.sequence!, i));
      const positions = [...firsts.entries()].sort((a, b) => a[0] - b[0]).map(([, i]) => i);
      expect(positions).toEqual([...positions].sort((a, b) => a - b));
    }
    await server.stop();
    server = undefined;
  });

});

describe.runIf(testDialect() === 'postgres')('two dispatcher processes on Postgres', () => {
  const s = useTestContext({ config: { webhookAllowedHosts: ['127.0.0.1'] } });
  let r: WebhookReceiver;
  const servers: ServerProcess[] = [];

  beforeAll(async () => {
    await fastCommits(s.t);
    r = await WebhookReceiver.start();
  });
  afterAll(async () => {
    for (const s of servers) await s.stop();
    await r.close();
  });

  it('share the work and deliver no event twice in a healthy run', { timeout: 300_000 }, async () => {
    const chain = await createChain(s.ctx, { name: 'Two dispatchers', country_code: 'AR', currency: 'ARS' }, 'test');
    await createEndpoint(s.ctx, chain.id, { url: r.url, authorization: 'two' }, 'test');
    const env = envFor(s.t.db.config, { WEBHOOK_ALLOWED_HOSTS: '127.0.0.1', WEBHOOK_POLL_MS: '200' });
    servers.push(await startServerProcess(env, 'worker'), await startServerProcess(env, 'worker'));
    const orders = Array.from({ length: 100 }, () => uuid());
    const total = 2000;
    // Ten events per transaction (as a caller changing several orders at once would).
    for (let n = 0; n < total; n += 10) {
      await s.ctx.db.transaction().execute(async (trx) => {
        for (let i = n; i < n + 10; i++) {
          const order = i % 3 === 0 ? undefined : orders[i % orders.length];
          await emit(s.ctx, trx, { chainId: chain.id, type: 'RECEIVED', orderKey: order, payload: { order_id: order, n: i } });
        }
      });
    }
    await r.waitFor(total, { timeoutMs: 240_000 });
    await new Promise((res) => setTimeout(res, 500));
    const ids = r.requests.map((x) => x.webhookId!);
    expect(ids).toHaveLength(total);
    expect(new Set(ids).size).toBe(total);
    // Both processes did part of it (their own metrics).
    const successes = await Promise.all(
      servers.map(async (s) => {
        const text = await (await fetch(`${s.url}/metrics`)).text();
        return Number(/comanda_webhook_attempts_total\{outcome="success"\} (\d+)/.exec(text)?.[1] ?? 0);
      }),
    );
    expect(successes[0]! + successes[1]!).toBe(total);
    expect(Math.min(...successes)).toBeGreaterThan(0);
    for (const order of orders) {
      const seqs = r.forOrder(order).map((x) => x.sequence);
      expect(seqs).toEqual([...seqs].sort((a, b) => a! - b!));
    }
  });
});
