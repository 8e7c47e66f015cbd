import type { components } from './generated/partner-api.js';
import { header, verifyAuthorization, verifySignature, WebhookVerificationError, type HeadersLike } from './webhook-verify.js';

export type Order = components['schemas']['Order'];

export const ORDER_EVENT_TYPES = ['RECEIVED', 'ACCEPTED', 'READY_FOR_PICKUP', 'DISPATCHED', 'DELIVERED', 'CANCELLED', 'UPDATE_CART'] as const;
export const JOB_EVENT_TYPES = ['CATALOG_JOB_COMPLETED', 'PRODUCT_JOB_COMPLETED', 'EXPORT_JOB_COMPLETED', 'PROMOTION_JOB_COMPLETED', 'SFTP_FILE_PROCESSED'] as const;
export type OrderEventType = (typeof ORDER_EVENT_TYPES)[number];
export type JobEventType = (typeof JOB_EVENT_TYPES)[number];
export type WebhookEventType = OrderEventType | JobEventType | 'TEST';

/** The body of a job completion event (catalog, product, export, promotion, SFTP file). */
export type JobCompletion = components['schemas']['JobCompletedEvent'];

/** The body of a "send test event". */
export type TestPayload = components['schemas']['TestEvent'];

export interface OrderEvent {
  kind: 'order';
  type: OrderEventType;
  eventId: string;
  /** Per endpoint and order: 1, 2, 3… with no gap (see SequenceTracker). */
  sequence: number;
  order: Order;
}
export interface JobEvent {
  kind: 'job';
  type: JobEventType;
  eventId: string;
  job: JobCompletion;
}
export interface TestEvent {
  kind: 'test';
  type: 'TEST';
  eventId: string;
  test: TestPayload;
}
/** Every event a webhook endpoint receives; switch on `kind` or `type`. */
export type WebhookEvent = OrderEvent | JobEvent | TestEvent;

const JOB_TYPE_EVENTS: Record<string, JobEventType> = {
  catalog_update: 'CATALOG_JOB_COMPLETED',
  product_create: 'PRODUCT_JOB_COMPLETED',
  catalog_export: 'EXPORT_JOB_COMPLETED',
  promotion_upsert: 'PROMOTION_JOB_COMPLETED',
  sftp_file: 'SFTP_FILE_PROCESSED',
};

const isIn = <T extends string>(list: readonly T[], v: unknown): v is T => typeof v === 'string' && (list as readonly string[]).includes(v);

/**
 * Parses a webhook body into the typed event union. The type comes from the `comanda-event-type`
 * header when present, else from the body (an order's `status`, a job's `job_type`, a test's `type`).
 */
export function parseWebhookEvent(body: string | Uint8Array | Record<string, unknown>, headers?: HeadersLike): WebhookEvent {
  let json: Record<string, unknown>;
  if (typeof body === 'string' || body instanceof Uint8Array) {
    try {
      json = JSON.parse(typeof body === 'string' ? body : Buffer.from(body).toString('utf8')) as Record<string, unknown>;
    } catch {
      throw new WebhookVerificationError('body', 'the webhook body is not JSON');
    }
  } else json = body;
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new WebhookVerificationError('body', 'the webhook body is not a JSON object');
  const sys = (json.sys ?? {}) as { event_id?: unknown; sequence?: unknown };
  const eventId = String(sys.event_id ?? (headers && header(headers, 'webhook-id')) ?? '');
  const told = (headers && header(headers, 'comanda-event-type')) ?? json.event_type;

  if (told === 'TEST' || json.type === 'TEST') return { kind: 'test', type: 'TEST', eventId, test: json as unknown as TestPayload };
  const jobType = isIn(JOB_EVENT_TYPES, told) ? told : typeof json.job_type === 'string' ? JOB_TYPE_EVENTS[json.job_type] : undefined;
  if (jobType) return { kind: 'job', type: jobType, eventId, job: json as unknown as JobCompletion };
  const orderType = isIn(ORDER_EVENT_TYPES, told) ? told : json.status;
  if (typeof json.order_id === 'string' && isIn(ORDER_EVENT_TYPES, orderType)) {
    return { kind: 'order', type: orderType, eventId, sequence: typeof sys.sequence === 'number' ? sys.sequence : 0, order: json as unknown as Order };
  }
  throw new WebhookVerificationError('body', `unknown webhook event${typeof told === 'string' ? ` "${told.slice(0, 50)}"` : ''}`);
}

export interface VerifyWebhookOptions {
  /** The raw body as received. */
  body: string | Uint8Array;
  headers: HeadersLike;
  /** The endpoint's Authorization secret; checked when given. */
  authorization?: string;
  /** The header the secret comes in (default `authorization`; an endpoint may name another). */
  authorizationHeader?: string;
  /** The endpoint's `whsec_` signing secret(s); checked when given. */
  signingSecret?: string | readonly string[];
  toleranceSeconds?: number;
  now?: Date;
}

/**
 * Checks what is configured (Authorization secret, Standard Webhooks signature; at least one) and
 * parses the event. Throws WebhookVerificationError: answer 401 and ignore the body.
 */
export function verifyWebhook(options: VerifyWebhookOptions): WebhookEvent {
  if (options.authorization === undefined && options.signingSecret === undefined) throw new TypeError('verifyWebhook: give authorization, signingSecret or both');
  if (options.authorization !== undefined && !verifyAuthorization(header(options.headers, options.authorizationHeader ?? 'authorization'), options.authorization)) {
    throw new WebhookVerificationError('authorization', 'the Authorization secret does not match');
  }
  if (options.signingSecret !== undefined) {
    verifySignature({ body: options.body, headers: options.headers, secret: options.signingSecret, ...(options.toleranceSeconds !== undefined ? { toleranceSeconds: options.toleranceSeconds } : {}), ...(options.now ? { now: options.now } : {}) });
  }
  return parseWebhookEvent(options.body, options.headers);
}
