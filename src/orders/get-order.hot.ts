import type BetterSqlite3 from 'better-sqlite3';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AppContext } from '../platform/context.js';
import { bool, iso } from '../db/rows.js';
import { openSqliteReader } from '../db/sqlite-driver.js';
import { countRequest, partnerRateLimitKey, type PartnerRateLimit } from '../platform/http/rate-limit-store.js';
import { requestIdOf } from '../platform/http/request-id.js';
import { lazyChildLogger } from '../platform/logger.js';
import { findOrderSnapshot } from './orders.repository.js';
import { partnerMaySee, type PartnerPrincipal } from '../platform/access.js';
import { cachedVendor } from './orders.service.js';

/**
 * The hot read of the partner API, GET /v2/chains/{chain_id}/orders/{order_id} (and its documented
 * variant GET /v2/orders/{order_id}), answered in front of Fastify when the answer is the plain one:
 * the credential cache vouches for the token (orders.routes.ts's route would not touch the database
 * for it either), the path names the token's chain, the order exists, the token may see it and its
 * stored snapshot is current for the cached vendor. Then the response is exactly the route's (the
 * snapshot text; Content-Type, Content-Length, X-Request-Id, the RateLimit headers) and so is
 * everything around it (the request id rule, the per-token rate-limit counter, the duration metric).
 *
 * Everything else is handed to Fastify untouched, before anything was written or counted: other
 * methods and paths, query strings (the tolerant reader reports them), bodies, percent-encoded or
 * over-long ids (validation, the text guard), cache misses and due last_used_at writes, another
 * chain, a missing or invisible order, a stale snapshot, an exhausted rate limit, a closing server,
 * any error. Those answers are the generic route's by construction. At info the request log lines
 * are Fastify's own.
 *
 * On SQLite the order is read through a second, read-only connection (openSqliteReader): no wait on
 * Kysely's single connection, and never the writes of a transaction still open on it. Every PUT is
 * answered after its commit, so a GET sent after a PUT's 200 sees it.
 */

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** What the fast path did, for tests and diagnostics. */
export interface HotGetStats {
  served: number;
  handedOver: number;
}

const ORDER_PATH = /^\/v2\/chains\/([\w-]{1,64})\/orders\/([\w-]{1,64})$/;
const TOKEN_ORDER_PATH = /^\/v2\/orders\/([\w-]{1,64})$/;
const ROUTE_LABELS = {
  chain: { method: 'GET', route: '/v2/chains/:chain_id/orders/:order_id', status: '200' },
  token: { method: 'GET', route: '/v2/orders/:order_id', status: '200' },
} as const;

interface SnapshotRow {
  chain_id: string;
  vendor_id: string;
  is_test: unknown;
  updated_at: unknown;
  snapshot: string;
}

const stats = new WeakMap<FastifyInstance, HotGetStats>();

export function hotGetStats(app: FastifyInstance): HotGetStats | undefined {
  return stats.get(app);
}

/**
 * Puts the hot GET in front of the app's request handler (the app's own HTTP server; inject() keeps
 * going straight to Fastify). Call once, in buildApp, before listen.
 */
/** The partner an Authorization header speaks for when no database access is needed to know it (else undefined). */
export type CachedPartner = (ctx: AppContext, authorization: string | undefined) => PartnerPrincipal | undefined;

export function installHotGetOrder(ctx: AppContext, app: FastifyInstance, limit: PartnerRateLimit | undefined, cachedPartner: CachedPartner): void {
  const server = app.server;
  const listeners = server.listeners('request');
  if (listeners.length !== 1) return;
  const fastify = listeners[0] as Handler;
  const counters: HotGetStats = { served: 0, handedOver: 0 };
  stats.set(app, counters);

  let reader: BetterSqlite3.Database | undefined;
  let byId: BetterSqlite3.Statement<[string], SnapshotRow> | undefined;
  if (ctx.dialect === 'sqlite' && fs.existsSync(ctx.config.sqlitePath)) {
    reader = openSqliteReader(ctx.config.sqlitePath);
    byId = reader.prepare<[string], SnapshotRow>('select chain_id, vendor_id, is_test, updated_at, snapshot from orders where id = ?');
  }
  let closing = false;
  app.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  app.addHook('onClose', (_instance, done) => {
    reader?.close();
    done();
  });

  /**
   * At info, Fastify's two lines per request, the same as its own: "incoming request" (through the
   * app's request serializer, which redacts the URL) and "request completed", on a request logger
   * bound to the request id. Written only for requests the fast path answers, once it knows it will.
   */
  const logRequest = (req: IncomingMessage, requestId: string): FastifyBaseLogger | undefined => {
    const parent = app.log as Logger;
    if (!parent.isLevelEnabled('info')) return undefined;
    const log = lazyChildLogger(parent, { reqId: requestId }, {}) as FastifyBaseLogger;
    const socket = req.socket;
    log.info({ req: { method: req.method, url: req.url, headers: req.headers, host: req.headers.host, ip: socket.remoteAddress, socket } }, 'incoming request');
    return log;
  };

  const handOver = (req: IncomingMessage, res: ServerResponse): void => {
    counters.handedOver++;
    fastify(req, res);
  };

  /** Sends the snapshot when everything allows it; false (nothing sent or counted) hands the request over. */
  const answer = (req: IncomingMessage, res: ServerResponse, principal: PartnerPrincipal, row: SnapshotRow | undefined, requestId: string, labels: (typeof ROUTE_LABELS)[keyof typeof ROUTE_LABELS], started: number): boolean => {
    if (!row || !partnerMaySee(principal, { chain_id: row.chain_id, is_test: bool(row.is_test) })) return false;
    const vendor = cachedVendor(ctx, row.vendor_id);
    if (!vendor || vendor.updated_at > iso(row.updated_at)) return false;
    const headers: Record<string, string | number> = {};
    if (limit) {
      const counted = countRequest(limit, partnerRateLimitKey(principal));
      if (!counted) return false;
      headers['ratelimit-limit'] = counted.limit;
      headers['ratelimit-remaining'] = counted.remaining;
      headers['ratelimit-reset'] = counted.reset;
    }
    headers['content-type'] = 'application/json; charset=utf-8';
    headers['x-request-id'] = requestId;
    headers['content-length'] = Buffer.byteLength(row.snapshot);
    const log = logRequest(req, requestId);
    res.writeHead(200, headers);
    res.end(row.snapshot);
    counters.served++;
    const elapsedMs = performance.now() - started;
    ctx.metrics.httpDuration.observe(labels, elapsedMs / 1000);
    if (log) log.info({ res: { statusCode: 200 }, responseTime: elapsedMs }, 'request completed');
    return true;
  };

  const hot: Handler = (req, res) => {
    const url = req.url;
    if (req.method !== 'GET' || url === undefined || !url.startsWith('/v2/') || closing) return handOver(req, res);
    const h = req.headers;
    if (h['content-length'] !== undefined || h['transfer-encoding'] !== undefined) return handOver(req, res);
    let chainId: string | undefined;
    let orderId: string;
    let labels: (typeof ROUTE_LABELS)[keyof typeof ROUTE_LABELS];
    let m = ORDER_PATH.exec(url);
    if (m) {
      chainId = m[1]!;
      orderId = m[2]!;
      labels = ROUTE_LABELS.chain;
    } else if ((m = TOKEN_ORDER_PATH.exec(url))) {
      orderId = m[1]!;
      labels = ROUTE_LABELS.token;
    } else return handOver(req, res);
    const started = performance.now();
    let principal: PartnerPrincipal | undefined;
    try {
      principal = cachedPartner(ctx, h.authorization);
    } catch {
      principal = undefined;
    }
    if (!principal || (chainId !== undefined && chainId !== principal.chainId)) return handOver(req, res);
    const requestId = requestIdOf(h['x-request-id']);
    if (byId) {
      let served = false;
      try {
        served = answer(req, res, principal, byId.get(orderId), requestId, labels, started);
      } catch {
        served = res.headersSent;
      }
      if (!served) handOver(req, res);
      return;
    }
    // Postgres (or a database without a file): the read goes through the pool, like the route's.
    const p = principal;
    findOrderSnapshot(ctx.db, ctx.dialect, orderId).then(
      (row) => {
        let served = false;
        try {
          served = answer(req, res, p, row as SnapshotRow | undefined, requestId, labels, started);
        } catch {
          served = res.headersSent;
        }
        if (!served) handOver(req, res);
      },
      () => handOver(req, res),
    );
  };

  server.removeListener('request', fastify);
  server.on('request', hot);
}
