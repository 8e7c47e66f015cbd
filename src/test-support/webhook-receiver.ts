import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

export { drainWebhooks } from '../webhooks/drain.js';

/** One request the receiver got. */
export interface ReceivedWebhook {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** Parsed body (undefined when not JSON). */
  json: any;
  webhookId: string | undefined;
  /** `order_id` of the body, if any. */
  orderId: string | undefined;
  sequence: number | undefined;
  /** Standard Webhooks verification with the official library against the configured secret(s). */
  verified: boolean;
  verifyError: string | undefined;
  /** Status the receiver answered. */
  status: number;
  receivedAt: number;
}

/** A scripted answer: status (default 200), optional delay, headers (e.g. Retry-After), body. */
export interface ScriptedResponse {
  status?: number;
  delayMs?: number;
  headers?: Record<string, string>;
  body?: string;
}

export interface ReceiverOptions {
  /** Signing secrets to verify with (whsec_…): verified is true if any of them verifies. */
  secrets?: string[];
  /** Listen on this port (default: a random free one). */
  port?: number;
  /**
   * Keep every request in `requests` (default). false: answer 200 at once and only count them, for a
   * benchmark's sink (bench/webhook-sink.ts), where parsing and keeping 100,000 bodies would be measured.
   */
  record?: boolean;
  /** Called the moment a request arrives, before its body is read. */
  onArrival?: (req: http.IncomingMessage) => void;
}

/**
 * A real HTTP webhook receiver for tests: listens on 127.0.0.1, records every request, verifies
 * signatures with the official `standardwebhooks` package, and answers as scripted: per request
 * (FIFO queue), per order (FIFO queue per order_id), or by a function.
 */
export class WebhookReceiver {
  readonly requests: ReceivedWebhook[] = [];
  /** Requests answered so far (also when not recording); may be reset. */
  count = 0;
  private server: http.Server | undefined;
  private secrets: string[];
  private queue: ScriptedResponse[] = [];
  private perOrder = new Map<string, ScriptedResponse[]>();
  private responder: ((req: ReceivedWebhook) => ScriptedResponse | undefined) | undefined;
  private waiters: Array<{ filter: (r: ReceivedWebhook) => boolean; count: number; n: number; resolve: () => void }> = [];
  private readonly record: boolean;
  private readonly onArrival: ((req: http.IncomingMessage) => void) | undefined;
  port = 0;

  private constructor(opts: ReceiverOptions) {
    this.secrets = opts.secrets ?? [];
    this.record = opts.record ?? true;
    this.onArrival = opts.onArrival;
  }

  static async start(opts: ReceiverOptions = {}): Promise<WebhookReceiver> {
    const r = new WebhookReceiver(opts);
    await r.listen(opts.port ?? 0);
    return r;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/hook`;
  }

  /** Verify with these secrets from now on. */
  setSecrets(secrets: string[]): void {
    this.secrets = secrets;
  }

  /** Answers for the next requests, in order (then 200s again). */
  enqueue(...responses: ScriptedResponse[]): void {
    this.queue.push(...responses);
  }

  /** Answers for the next requests of one order (matched on body.order_id). */
  enqueueForOrder(orderId: string, ...responses: ScriptedResponse[]): void {
    this.perOrder.set(orderId, [...(this.perOrder.get(orderId) ?? []), ...responses]);
  }

  /** A function deciding every answer (queues still win); return undefined for 200. */
  respondWith(fn: ((req: ReceivedWebhook) => ScriptedResponse | undefined) | undefined): void {
    this.responder = fn;
  }

  /** Requests of one order, in arrival order. */
  forOrder(orderId: string): ReceivedWebhook[] {
    return this.requests.filter((r) => r.orderId === orderId);
  }

  /** Resolves once at least `n` requests (matching `filter`) arrived; rejects after timeoutMs. */
  async waitFor(n: number, opts: { timeoutMs?: number; filter?: (r: ReceivedWebhook) => boolean } = {}): Promise<ReceivedWebhook[]> {
    const filter = opts.filter ?? (() => true);
    const count = this.requests.reduce((c, r) => c + (filter(r) ? 1 : 0), 0);
    if (count >= n) return this.requests.filter(filter);
    const timeoutMs = opts.timeoutMs ?? 10_000;
    await new Promise<void>((resolve, reject) => {
      // Counted incrementally as requests arrive (waiting for 10,000 requests stays linear).
      const waiter = { filter, count, n, resolve };
      this.waiters.push(waiter);
      setTimeout(() => {
        const i = this.waiters.indexOf(waiter);
        if (i >= 0) {
          this.waiters.splice(i, 1);
          reject(new Error(`waitFor(${n}): only ${waiter.count} requests after ${timeoutMs} ms`));
        }
      }, timeoutMs).unref();
    });
    return this.requests.filter(filter);
  }

  private verify(body: string, headers: http.IncomingHttpHeaders): { ok: boolean; error?: string } {
    if (this.secrets.length === 0) return { ok: false, error: 'no secret configured' };
    const h = {
      'webhook-id': String(headers['webhook-id'] ?? ''),
      'webhook-timestamp': String(headers['webhook-timestamp'] ?? ''),
      'webhook-signature': String(headers['webhook-signature'] ?? ''),
    };
    let error = '';
    for (const s of this.secrets) {
      try {
        new Webhook(s).verify(body, h);
        return { ok: true };
      } catch (err) {
        error = (err as Error).message;
      }
    }
    return { ok: false, error };
  }

  private listen(port: number): Promise<void> {
    this.server = http.createServer((req, res) => {
      this.onArrival?.(req);
      // A sender killed mid-request (crash tests) resets the socket: not the receiver's error.
      req.on('error', () => {});
      res.on('error', () => {});
      if (!this.record) {
        req.resume();
        req.on('end', () => {
          this.count++;
          res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '2' });
          res.end('ok');
        });
        return;
      }
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        let parsed: any;
        try {
          parsed = JSON.parse(body);
        } catch {
          parsed = undefined;
        }
        const v = this.verify(body, req.headers);
        const rec: ReceivedWebhook = {
          method: req.method ?? '',
          path: req.url ?? '',
          headers: req.headers,
          body,
          json: parsed,
          webhookId: req.headers['webhook-id'] as string | undefined,
          orderId: typeof parsed?.order_id === 'string' ? parsed.order_id : undefined,
          sequence: typeof parsed?.sys?.sequence === 'number' ? parsed.sys.sequence : undefined,
          verified: v.ok,
          verifyError: v.error,
          status: 200,
          receivedAt: Date.now(),
        };
        const orderQueue = rec.orderId ? this.perOrder.get(rec.orderId) : undefined;
        const scripted = (orderQueue && orderQueue.length ? orderQueue.shift() : undefined) ?? this.queue.shift() ?? this.responder?.(rec) ?? {};
        rec.status = scripted.status ?? 200;
        this.requests.push(rec);
        this.count++;
        for (const w of [...this.waiters]) {
          if (w.filter(rec)) w.count++;
          if (w.count >= w.n) {
            this.waiters.splice(this.waiters.indexOf(w), 1);
            w.resolve();
          }
        }
        const answer = () => {
          if (res.destroyed) return;
          res.writeHead(rec.status, { 'content-type': 'text/plain', ...scripted.headers });
          res.end(scripted.body ?? 'ok');
        };
        if (scripted.delayMs) setTimeout(answer, scripted.delayMs);
        else answer();
      });
    });
    this.server.keepAliveTimeout = 60_000;
    this.server.on('clientError', (_err, socket) => socket.destroy());
    return new Promise((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, '127.0.0.1', () => {
        this.port = (this.server!.address() as AddressInfo).port;
        resolve();
      });
    });
  }

  /** Stops listening and drops open connections. */
  async close(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    if (!s) return;
    s.closeAllConnections();
    await new Promise<void>((r) => s.close(() => r()));
  }
}

/** A port with nothing listening (for connection-refused tests). */
export { freePort } from './processes.js';
