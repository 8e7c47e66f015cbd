import pg from 'pg';
import { sql } from 'kysely';
import type { AppContext } from '../platform/context.js';
import { LIVE_CHANNEL } from '../db/migrations/0014_dashboard.js';
import { webhookChangesSince, webhookMarks, type WebhookMarks } from '../webhooks/index.js';

/** What changed in a chain: any order, a new order, webhook deliveries (and their attempts), endpoints. */
export type LiveKind = 'orders' | 'new_order' | 'deliveries' | 'endpoints';
type Listener = (kind: LiveKind) => void;

/** How often the SQLite watcher looks for new rows (ms) while someone listens. */
export const SQLITE_WATCH_MS = 200;

/**
 * The portal's change feed, one per process (per AppContext). Postgres: one LISTEN connection hears the
 * triggers of migration 0011 (any process's commits). SQLite: while a stream is open, a timer reads the
 * rows added since it last looked (orders, order timeline rows, deliveries, attempts — rowid ranges, a few
 * index probes) and endpoint updates; it sees the writes of any process on the same file.
 */
export class LiveHub {
  private readonly listeners = new Map<string, Set<Listener>>();
  private pgClient: pg.Client | undefined;
  private timer: NodeJS.Timeout | undefined;
  private retry: NodeJS.Timeout | undefined;
  private marks: { orders: number; events: number; webhooks: WebhookMarks } | undefined;
  private watching = false;
  private closed = false;

  constructor(private readonly ctx: AppContext) {}

  subscribe(chainId: string, fn: Listener): () => void {
    let set = this.listeners.get(chainId);
    if (!set) this.listeners.set(chainId, (set = new Set()));
    set.add(fn);
    this.start();
    return () => {
      set.delete(fn);
      if (set.size === 0) this.listeners.delete(chainId);
      if (this.listeners.size === 0) this.stopTimer();
    };
  }

  /** Resolves once the feed hears changes (tests wait on it before committing). */
  async ready(): Promise<void> {
    if (this.ctx.dialect === 'postgres') this.start();
    else if (!this.marks) await this.watch();
    for (let i = 0; i < 100 && !(this.pgClient || this.marks); i++) await new Promise((r) => setTimeout(r, 20));
  }

  publish(chainId: string, kind: LiveKind): void {
    for (const fn of this.listeners.get(chainId) ?? []) fn(kind);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.stopTimer();
    if (this.retry) clearTimeout(this.retry);
    const c = this.pgClient;
    this.pgClient = undefined;
    await c?.end().catch(() => {});
  }

  private start(): void {
    if (this.closed) return;
    if (this.ctx.dialect === 'postgres') {
      if (!this.pgClient && !this.retry) void this.listen();
    } else if (!this.timer && this.listeners.size > 0) {
      this.timer = setInterval(() => void this.watch(), SQLITE_WATCH_MS);
      this.timer.unref();
      void this.watch();
    }
  }

  private stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.marks = undefined;
  }

  private async listen(): Promise<void> {
    const client = new pg.Client({ connectionString: this.ctx.config.databaseUrl, keepAlive: true });
    const again = () => {
      if (this.pgClient === client) this.pgClient = undefined;
      client.end().catch(() => {});
      if (this.closed || this.retry) return;
      this.retry = setTimeout(() => {
        this.retry = undefined;
        if (this.listeners.size > 0) void this.listen();
      }, 1000);
      this.retry.unref();
    };
    client.on('error', again);
    client.on('end', again);
    client.on('notification', (n) => {
      const [chainId, kind, isNew] = (n.payload ?? '').split(':');
      if (!chainId || !kind) return;
      this.publish(chainId, kind as LiveKind);
      if (isNew) this.publish(chainId, 'new_order');
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${LIVE_CHANNEL}`);
      if (this.closed) return void client.end().catch(() => {});
      this.pgClient = client;
    } catch (err) {
      this.ctx.log.warn({ err }, 'live updates: LISTEN failed, retrying');
      again();
    }
  }

  private async watch(): Promise<void> {
    if (this.watching) return;
    this.watching = true;
    try {
      const db = this.ctx.db;
      const maxOf = async (table: string) => Number((await sql<{ r: unknown }>`select coalesce(max(rowid), 0) as r from ${sql.table(table)}`.execute(db)).rows[0]?.r ?? 0);
      if (!this.marks) {
        this.marks = { orders: await maxOf('orders'), events: await maxOf('order_events'), webhooks: await webhookMarks(db) };
        return;
      }
      const m = this.marks;
      const changed = new Map<string, Set<LiveKind>>();
      const add = (chain: string, kind: LiveKind) => {
        let s = changed.get(chain);
        if (!s) changed.set(chain, (s = new Set()));
        s.add(kind);
      };
      const newOrders = await sql<{ chain_id: string; r: unknown }>`select chain_id, max(rowid) as r from orders where rowid > ${m.orders} group by chain_id`.execute(db);
      for (const x of newOrders.rows) {
        add(x.chain_id, 'new_order');
        add(x.chain_id, 'orders');
        m.orders = Math.max(m.orders, Number(x.r));
      }
      const events = await sql<{ chain_id: string; r: unknown }>`select o.chain_id, max(e.rowid) as r from order_events e join orders o on o.id = e.order_id where e.rowid > ${m.events} group by o.chain_id`.execute(db);
      for (const x of events.rows) {
        add(x.chain_id, 'orders');
        m.events = Math.max(m.events, Number(x.r));
      }
      // The webhook tables are the webhooks domain's: it reports which chains changed.
      const hooks = await webhookChangesSince(db, m.webhooks);
      for (const chain of hooks.deliveries) add(chain, 'deliveries');
      for (const chain of hooks.endpoints) add(chain, 'endpoints');
      // Rows deleted at the top (retention) would hide new ones below the mark: follow the table down.
      for (const [table, key] of [['orders', 'orders'], ['order_events', 'events']] as const) {
        const top = await maxOf(table);
        if (top < m[key]) m[key] = top;
      }
      for (const [chain, kinds] of changed) for (const k of kinds) this.publish(chain, k);
    } catch (err) {
      this.ctx.log.warn({ err }, 'live updates: watch failed');
    } finally {
      this.watching = false;
    }
  }
}

const hubs = new WeakMap<AppContext, LiveHub>();

/** The process's change feed for this context (created on first use). */
export function liveHub(ctx: AppContext): LiveHub {
  let hub = hubs.get(ctx);
  if (!hub) hubs.set(ctx, (hub = new LiveHub(ctx)));
  return hub;
}
