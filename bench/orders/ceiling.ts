/**
 * The realistic ceilings for the order hot paths (a child process of the bench), on their own copy of
 * the bench database, through the raw driver with statements prepared once:
 *   GET  /v2/chains/:chain_id/orders/:order_id — sha256(bearer token) + token-row lookup + one
 *        primary-key select, answering the stored JSON snapshot as is;
 *   PUT  /v2/chains/:chain_id/orders/:order_id — one transaction: UPDATE the order row with a new
 *        snapshot (the stored order object re-serialised with the new status) + INSERT a timeline row.
 * Bare Fastify 5, no validation, no lifecycle, no outbox. Usage: ceiling.ts <sqlite file | postgres URL>.
 * Prints {"ready":true,"url":"…"} once listening.
 */
import BetterSqlite3 from 'better-sqlite3';
import crypto from 'node:crypto';
import Fastify from 'fastify';
import pg from 'pg';

const target = process.argv[2]!;
const sha256 = (s: string) => crypto.createHash('sha256').update(s).digest('hex');

interface Store {
  token(hash: string): Promise<{ chain_id: string; revoked_at: unknown; expires_at: unknown } | undefined>;
  order(id: string): Promise<{ chain_id: string; snapshot: string } | undefined>;
  write(id: string, status: string, snapshot: string, now: string): Promise<boolean>;
  template(): Promise<string>;
}

function sqliteStore(file: string): Store {
  const db = new BetterSqlite3(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  db.pragma('cache_size = -65536');
  const token = db.prepare('select chain_id, revoked_at, expires_at from api_tokens where token_hash = ?');
  const order = db.prepare('select chain_id, snapshot from orders where id = ?');
  const update = db.prepare('update orders set status = ?, snapshot = ?, version = version + 1, updated_at = ? where id = ?');
  const event = db.prepare('insert into order_events (id, order_id, version, type, status, actor, webhook, details, created_at) values (?, ?, 2, ?, ?, ?, 0, ?, ?)');
  const write = db.transaction((id: string, status: string, snapshot: string, now: string) => {
    const r = update.run(status, snapshot, now, id);
    if (r.changes === 0) return false;
    event.run(crypto.randomUUID(), id, status, status, 'ceiling', '{}', now);
    return true;
  });
  return {
    token: async (h) => token.get(h) as never,
    order: async (id) => order.get(id) as never,
    write: async (...a) => write(...a),
    template: async () => (db.prepare('select snapshot from orders limit 1').get() as { snapshot: string }).snapshot,
  };
}

function postgresStore(url: string): Store {
  // The same pool size as comanda's.
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  return {
    token: async (h) => (await pool.query({ name: 'token', text: 'select chain_id, revoked_at, expires_at from api_tokens where token_hash = $1', values: [h] })).rows[0],
    order: async (id) => (await pool.query({ name: 'order', text: 'select chain_id, snapshot from orders where id = $1', values: [id] })).rows[0],
    write: async (id, status, snapshot, now) => {
      const c = await pool.connect();
      try {
        await c.query('begin');
        const r = await c.query({ name: 'update', text: 'update orders set status = $1, snapshot = $2, version = version + 1, updated_at = $3 where id = $4', values: [status, snapshot, now, id] });
        if (r.rowCount === 0) {
          await c.query('rollback');
          return false;
        }
        await c.query({ name: 'event', text: "insert into order_events (id, order_id, version, type, status, actor, webhook, details, created_at) values ($1, $2, 2, $3, $3, 'ceiling', false, '{}', $4)", values: [crypto.randomUUID(), id, status, now] });
        await c.query('commit');
        return true;
      } finally {
        c.release();
      }
    },
    template: async () => (await pool.query('select snapshot from orders limit 1')).rows[0].snapshot,
  };
}

const store = target.startsWith('postgres') ? postgresStore(target) : sqliteStore(target);
const template = JSON.parse(await store.template()) as Record<string, unknown>;
const app = Fastify();

app.get<{ Params: { chain_id: string; order_id: string } }>('/v2/chains/:chain_id/orders/:order_id', async (request, reply) => {
  const header = request.headers.authorization ?? '';
  const row = header.startsWith('Bearer ') ? await store.token(sha256(header.slice(7))) : undefined;
  if (!row || row.revoked_at) return reply.status(401).send({ error: { code: 'INVALID_TOKEN' } });
  if (row.chain_id !== request.params.chain_id) return reply.status(404).send({ error: { code: 'CHAIN_NOT_FOUND' } });
  const order = await store.order(request.params.order_id);
  if (!order || order.chain_id !== row.chain_id) return reply.status(404).send({ error: { code: 'ORDER_NOT_FOUND' } });
  return reply.type('application/json; charset=utf-8').send(order.snapshot);
});

app.put<{ Params: { chain_id: string; order_id: string }; Body: { status: string } }>('/v2/chains/:chain_id/orders/:order_id', async (request, reply) => {
  const id = request.params.order_id;
  const now = new Date().toISOString();
  const snapshot = JSON.stringify({ ...template, order_id: id, status: request.body.status, updated_at: now });
  if (!(await store.write(id, request.body.status, snapshot, now))) return reply.status(404).send({ error: { code: 'ORDER_NOT_FOUND' } });
  return reply.type('application/json; charset=utf-8').send(snapshot);
});

await app.listen({ port: 0, host: '127.0.0.1' });
process.stdout.write(`${JSON.stringify({ ready: true, url: `http://127.0.0.1:${(app.server.address() as { port: number }).port}` })}\n`);
process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
