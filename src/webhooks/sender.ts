import { Agent, buildConnector } from 'undici';
import type { Config } from '../config.js';
import type { Clock } from '../platform/clock.js';
import type { AttemptOutcome, ClaimedDelivery } from './outbox.repository.js';
import type { AttemptFacts } from './delivery.types.js';
import { refusedHost, refusedTarget } from './ssrf.js';
import { signatureHeader } from './signing.js';

const RESPONSE_KEEP = 2048;
/** Past this much response we stop reading and drop the connection. */
const RESPONSE_DRAIN_LIMIT = 64 * 1024;

export class SsrfBlockedError extends Error {
  readonly code = 'SSRF_BLOCKED';
}

/**
 * A keep-alive connection pool whose connector checks the address each socket actually connected to
 * (so DNS rebinding or a resolver answer that changed since save time cannot reach internal hosts).
 */
export function createWebhookAgent(config: Config): Agent {
  const base = buildConnector({ timeout: config.webhookTimeoutMs });
  const connect: buildConnector.connector = (opts, callback) => {
    // A metadata name or an IP literal is judged before dialling (a metadata address may not even answer).
    const early = refusedHost(config, opts.hostname);
    if (early) return callback(new SsrfBlockedError(`SSRF guard: ${early}`), null);
    base(opts, (err, socket) => {
      if (err || !socket) return callback(err ?? new Error('connect failed'), null);
      const refused = refusedTarget(config, opts.hostname, socket.remoteAddress ?? '');
      if (refused) {
        socket.destroy();
        return callback(new SsrfBlockedError(`SSRF guard: ${refused}`), null);
      }
      return callback(null, socket);
    });
  };
  return new Agent({ connect, connections: 256, pipelining: 1, keepAliveTimeout: 30_000, keepAliveMaxTimeout: 120_000 });
}

export interface SendOutcome extends AttemptFacts {
  retryAfter: string | undefined;
}

function classify(err: unknown): { outcome: AttemptOutcome; error: string } {
  const e = err as { name?: string; code?: string; message?: string; cause?: { code?: string; message?: string } };
  if (err instanceof SsrfBlockedError || e.cause instanceof SsrfBlockedError) return { outcome: 'ssrf_blocked', error: (e.cause as Error | undefined)?.message ?? e.message ?? 'SSRF guard' };
  const code = e.code ?? e.cause?.code;
  if (e.name === 'TimeoutError' || e.name === 'AbortError' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') {
    return { outcome: 'timeout', error: `timeout: ${e.message ?? code}` };
  }
  return { outcome: 'network_error', error: `${code ? `${code}: ` : ''}${e.message ?? String(err)}`.slice(0, 500) };
}

/** One POST of a claimed delivery: signed, Authorization verbatim, no redirects, bounded by the timeout. */
export async function sendDelivery(agent: Agent, config: Config, clock: Clock, d: ClaimedDelivery): Promise<SendOutcome> {
  const startedAt = clock.now();
  const t0 = performance.now();
  const timestamp = Math.floor(startedAt.getTime() / 1000);
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'user-agent': 'Comanda-Webhooks/1',
    'webhook-id': d.eventId,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': signatureHeader(d.signingSecrets, d.eventId, timestamp, d.body),
  };
  if (d.eventType) headers['comanda-event-type'] = d.eventType;
  headers[d.authHeader.toLowerCase()] = d.authSecret;
  try {
    const url = new URL(d.url);
    const res = await agent.request({
      origin: url.origin,
      path: `${url.pathname}${url.search}`,
      method: 'POST',
      headers,
      body: d.body,
      // Connect, headers and body are each bounded by the timeout (connector + these two); no
      // per-request AbortSignal: AbortSignal.any/timeout cost more than the POST itself at this rate.
      headersTimeout: config.webhookTimeoutMs,
      bodyTimeout: config.webhookTimeoutMs,
    });
    let kept = '';
    const length = Number(res.headers['content-length'] ?? NaN);
    if (length <= RESPONSE_DRAIN_LIMIT) {
      // The usual small answer: read it whole (keeps the connection reusable).
      kept = (await res.body.text()).slice(0, RESPONSE_KEEP);
    } else {
      let read = 0;
      for await (const chunk of res.body) {
        const buf = chunk as Buffer;
        if (kept.length < RESPONSE_KEEP) kept += buf.toString('utf8', 0, Math.min(buf.length, RESPONSE_KEEP - kept.length));
        read += buf.length;
        if (read > RESPONSE_DRAIN_LIMIT) {
          res.body.destroy();
          break;
        }
      }
    }
    const ok = res.statusCode >= 200 && res.statusCode < 300;
    const retryAfter = res.headers['retry-after'];
    return {
      startedAt,
      durationMs: performance.now() - t0,
      statusCode: res.statusCode,
      responseBody: kept.slice(0, RESPONSE_KEEP),
      error: ok ? null : `HTTP ${res.statusCode}`,
      outcome: ok ? 'success' : 'http_error',
      retryAfter: Array.isArray(retryAfter) ? retryAfter[0] : retryAfter,
    };
  } catch (err) {
    const c = classify(err);
    return { startedAt, durationMs: performance.now() - t0, statusCode: null, responseBody: null, error: c.error, outcome: c.outcome, retryAfter: undefined };
  }
}
