import crypto from 'node:crypto';

/** Headers as Node gives them (`req.headers`), a Fetch `Headers`, or a plain record. */
export type HeadersLike = Headers | Record<string, string | string[] | undefined>;

export function header(headers: HeadersLike, name: string): string | undefined {
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const record = headers as Record<string, string | string[] | undefined>;
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(record)) if (k.toLowerCase() === lower) return Array.isArray(v) ? v[0] : v;
  return undefined;
}

/** Why a webhook was refused: answer 401 and do not act on it. */
export class WebhookVerificationError extends Error {
  override readonly name = 'WebhookVerificationError';
  constructor(
    readonly reason: 'authorization' | 'missing_headers' | 'timestamp' | 'signature' | 'body',
    message: string,
  ) {
    super(message);
  }
}

/**
 * True when the received Authorization value is the secret configured on the webhook endpoint
 * (sent verbatim: any string or a ready `Basic …` value). Constant-time: both sides are hashed first,
 * so neither the content nor the length of the secret leaks through timing.
 */
export function verifyAuthorization(received: string | null | undefined, expected: string): boolean {
  if (!expected) throw new TypeError('verifyAuthorization: the expected secret is empty');
  const a = crypto.createHash('sha256').update(received ?? '').digest();
  const b = crypto.createHash('sha256').update(expected).digest();
  return crypto.timingSafeEqual(a, b) && received !== undefined && received !== null;
}

function signingKey(secret: string): Buffer {
  return Buffer.from(secret.startsWith('whsec_') ? secret.slice(6) : secret, 'base64');
}

export interface SignatureInput {
  /** The raw request body, exactly as received (bytes or text): never a re-serialised object. */
  body: string | Uint8Array;
  headers: HeadersLike;
  /** The endpoint's signing secret (`whsec_…`); during a rotation, several. */
  secret: string | readonly string[];
  /** Largest accepted distance between webhook-timestamp and now (default 300 s: replay protection). */
  toleranceSeconds?: number;
  /** For tests: now. */
  now?: Date;
}

/**
 * Verifies the Standard Webhooks signature (`webhook-id`, `webhook-timestamp`,
 * `webhook-signature: v1,<base64 HMAC-SHA256(id.timestamp.body)>`, several space-separated during a
 * rotation). Throws WebhookVerificationError; returns the webhook-id (the event id) when valid.
 */
export function verifySignature(input: SignatureInput): string {
  const id = header(input.headers, 'webhook-id');
  const timestamp = header(input.headers, 'webhook-timestamp');
  const signatures = header(input.headers, 'webhook-signature');
  if (!id || !timestamp || !signatures) throw new WebhookVerificationError('missing_headers', 'webhook-id, webhook-timestamp and webhook-signature are required');
  if (!/^\d+$/.test(timestamp)) throw new WebhookVerificationError('timestamp', 'webhook-timestamp is not a number of seconds');
  const now = Math.floor((input.now ?? new Date()).getTime() / 1000);
  const tolerance = input.toleranceSeconds ?? 300;
  if (Math.abs(now - Number(timestamp)) > tolerance) throw new WebhookVerificationError('timestamp', `webhook-timestamp is more than ${tolerance} s away from now`);
  const body = typeof input.body === 'string' ? Buffer.from(input.body, 'utf8') : Buffer.from(input.body);
  const offered = signatures
    .split(' ')
    .filter((s) => s.startsWith('v1,'))
    .map((s) => Buffer.from(s.slice(3), 'base64'));
  for (const secret of typeof input.secret === 'string' ? [input.secret] : input.secret) {
    const expected = crypto.createHmac('sha256', signingKey(secret)).update(`${id}.${timestamp}.`).update(body).digest();
    if (offered.some((o) => o.length === expected.length && crypto.timingSafeEqual(o, expected))) return id;
  }
  throw new WebhookVerificationError('signature', 'no webhook-signature matches the signing secret');
}
