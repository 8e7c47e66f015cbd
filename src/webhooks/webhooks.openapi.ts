import type { Json } from '../platform/http/openapi-components.js';
import { JOB_EVENT_TYPES, ORDER_EVENT_TYPES } from './event-types.js';

/**
 * The `webhooks` section of the partner document: what Comanda POSTs to a partner's endpoint, one
 * entry per event type (docs/webhooks.md tells the delivery rules).
 */

const JOB_TYPES: Record<(typeof JOB_EVENT_TYPES)[number], string> = {
  CATALOG_JOB_COMPLETED: 'catalog_update',
  PRODUCT_JOB_COMPLETED: 'product_create',
  EXPORT_JOB_COMPLETED: 'catalog_export',
  PROMOTION_JOB_COMPLETED: 'promotion_upsert',
  SFTP_FILE_PROCESSED: 'sftp_file',
};

const ORDER_EVENT_WORDS: Record<(typeof ORDER_EVENT_TYPES)[number], string> = {
  RECEIVED: 'A new order (Partner Picking stores): pick it and answer with PUT.',
  ACCEPTED: 'Opt-in: the order was accepted (vendor delivery); carries accepted_for.',
  READY_FOR_PICKUP: 'Picking finished (the partner’s PUT, or the platform picker for Pelican stores).',
  DISPATCHED: 'The order left the store.',
  DELIVERED: 'Opt-in: the order was handed to the customer.',
  CANCELLED: 'The order was cancelled; carries cancellation { reason, cancelled_by }.',
  UPDATE_CART: 'Opt-in event type; a PUT with UPDATE_CART itself sends no webhook.',
};

const EventSys = {
  type: 'object',
  required: ['event_id', 'sequence'],
  properties: { event_id: { type: 'string', format: 'uuid', description: 'the webhook-id' }, sequence: { type: 'null' } },
};

const REFUSED_ROW: Json = {
  type: 'object',
  required: ['sku', 'code', 'message'],
  properties: {
    row: { type: 'integer', description: '1-based input row (file line for SFTP files); absent for promotion pairs' },
    sku: { type: 'string' },
    barcode: { type: 'string' },
    vendor: { type: 'string', description: 'the store the refusal concerns (multi-vendor rows, promotions)' },
    code: { type: 'string', description: 'the row result code (SKU_NOT_FOUND, INVALID_PRICE, MISSING_SKU, INVALID_DISCOUNTED_SKU, …)' },
    message: { type: 'string' },
  },
};

export const JOB_COMPLETED_EVENT: Json = {
  title: 'JobCompletedEvent',
  type: 'object',
  description:
    'A finished job (COMPLETED or FAILED), announced once from the transaction that finishes it. A job that refused rows lists them (the first 1,000 in refused_rows; all of them at results_url): a COMPLETED job may have refused every row.',
  required: ['event_type', 'job_id', 'job_type', 'job_status', 'status', 'total_rows', 'processed_rows', 'error_rows', 'counts', 'error', 'finished_at', 'refused_rows', 'refused_count', 'refused_rows_truncated', 'results_url', 'download_url'],
  properties: {
    event_type: { enum: [...JOB_EVENT_TYPES], description: 'the event type, also in the Comanda-Event-Type header' },
    job_id: { type: 'string', format: 'uuid' },
    job_type: { enum: Object.values(JOB_TYPES) },
    job_status: { enum: ['COMPLETED', 'FAILED'] },
    status: { enum: ['COMPLETED', 'FAILED'], description: 'the same as job_status' },
    total_rows: { type: 'integer' },
    processed_rows: { type: 'integer' },
    error_rows: { type: 'integer' },
    counts: { type: 'object', additionalProperties: { type: 'integer' }, description: 'rows per result code' },
    error: { type: ['string', 'null'], description: 'why the whole job failed (FAILED only)' },
    finished_at: { type: ['string', 'null'], format: 'date-time' },
    refused_rows: { type: 'array', items: REFUSED_ROW, description: 'the refused rows themselves, the first 1,000, in row order' },
    refused_count: { type: 'integer', description: 'rows refused in all' },
    refused_rows_truncated: { type: 'boolean', description: 'true when more than 1,000 rows were refused: read them all at results_url' },
    results_url: { type: ['string', 'null'], description: 'the full per-row result log (promotions: every refused pair)' },
    download_url: { type: ['string', 'null'], description: 'COMPLETED only: per-row results, the exported file, or the promotion job view' },
    sys: EventSys,
  },
};

export const TEST_EVENT: Json = {
  title: 'TestEvent',
  type: 'object',
  description: '"Send test event" from the portal or the operator API; reaches the endpoint whatever its event filter.',
  required: ['type', 'message', 'sent_at', 'endpoint_id'],
  properties: {
    type: { const: 'TEST' },
    message: { type: 'string' },
    sent_at: { type: 'string', format: 'date-time' },
    endpoint_id: { type: 'string', format: 'uuid' },
    sys: EventSys,
  },
};

const HEADERS = [
  ['webhook-id', 'The event id: the same on every retry and replay (drop duplicates by it)', { type: 'string', format: 'uuid' }],
  ['comanda-event-type', 'The event type (RECEIVED, CATALOG_JOB_COMPLETED, …): route the body without parsing it', { type: 'string' }],
  ['webhook-timestamp', 'Unix seconds when this attempt was signed', { type: 'string', pattern: '^[0-9]+$' }],
  ['webhook-signature', 'Standard Webhooks: `v1,<base64 HMAC-SHA256 of id.timestamp.body>`, space-separated during a secret rotation', { type: 'string' }],
] as const;

function webhook(type: string, summary: string, description: string, schema: Json, example: unknown): Json {
  return {
    post: {
      operationId: `on${type.toLowerCase().replace(/(^|_)([a-z])/g, (_m, _s, c: string) => c.toUpperCase())}`,
      tags: ['Webhooks'],
      summary,
      description: `${description} Verify the Authorization secret and the signature before acting (the partner SDK does both); answer 2xx within the timeout (15 s), then work. Delivery is at least once, in order per order.`,
      security: [{ webhookAuthorization: [] }],
      parameters: HEADERS.map(([name, words, s]) => ({ in: 'header', name, required: true, description: words, schema: s })),
      requestBody: { required: true, content: { 'application/json': { schema, example } } },
      responses: {
        '200': { description: 'Any 2xx acknowledges the event' },
        '410': { description: 'Gone: Comanda disables the endpoint' },
        default: { description: 'Anything else (or no answer in time) is retried with backoff for days, honouring Retry-After' },
      },
    },
  };
}

/** An example completion body per job event type (docs/webhooks.md shows the same ones). */
export function jobCompletedExample(type: (typeof JOB_EVENT_TYPES)[number]): Json {
  const chain = '706eaea4-547b-4d35-ad98-5a94a65ac0be';
  const job = '3586b3f6-5450-425a-9b7b-b7f474a44654';
  const results = `https://comanda.example/v2/chains/${chain}/catalog/jobs/${job}/results`;
  const promotion = `https://comanda.example/v2/chains/${chain}/promotion/jobs/${job}`;
  const base = { event_type: type, job_id: job, job_type: JOB_TYPES[type], job_status: 'COMPLETED', status: 'COMPLETED', error: null, finished_at: '2026-12-01T22:11:13.925Z' };
  const sys = { event_id: '378f2888-614e-46f7-921e-6e6231531e78', sequence: null };
  const none = { refused_rows: [], refused_count: 0, refused_rows_truncated: false };
  /** A job of `total` rows of which one was refused (`refused`), its results at `url`. */
  const oneRefused = (total: number, counts: Record<string, number>, refused: Json, url: string, download = url): Json => ({
    ...base,
    total_rows: total,
    processed_rows: total,
    error_rows: 1,
    counts,
    refused_rows: [refused],
    refused_count: 1,
    refused_rows_truncated: false,
    results_url: url,
    download_url: download,
    sys,
  });
  switch (type) {
    case 'EXPORT_JOB_COMPLETED':
      return { ...base, total_rows: 1250, processed_rows: 1250, error_rows: 0, counts: { EXPORTED: 1250 }, ...none, results_url: results, download_url: `https://comanda.example/v2/chains/${chain}/catalog/jobs/${job}/download`, sys };
    case 'PROMOTION_JOB_COMPLETED':
      return oneRefused(
        3,
        { PAIRS_APPLIED: 2, PAIRS_REMOVED: 0, MISSING_SKU: 1, INVALID_DISCOUNTED_SKU: 0 },
        { sku: 'YERBA-1KG', vendor: 's8ym', code: 'MISSING_SKU', message: 'not listed at this vendor (SKU_NOT_IN_ASSORTMENT)' },
        `${promotion}/results`,
        promotion,
      );
    case 'SFTP_FILE_PROCESSED':
      return oneRefused(2, { UPDATED: 1, SKU_NOT_FOUND: 1 }, { row: 3, sku: 'NOPE-1', vendor: 's8ym', code: 'SKU_NOT_FOUND', message: "sku NOPE-1 is not in this vendor's assortment" }, results);
    case 'PRODUCT_JOB_COMPLETED':
      return oneRefused(2, { CREATED: 1, INVALID_PRICE: 1 }, { row: 2, sku: 'ACEITE-900', code: 'INVALID_PRICE', message: 'price must be > 0 (at most 3 decimals are kept), got 0' }, results);
    default:
      return oneRefused(2, { UPDATED: 1, SKU_NOT_FOUND: 1 }, { row: 2, sku: 'NOPE-1', code: 'SKU_NOT_FOUND', message: "sku NOPE-1 is not in this vendor's assortment" }, results);
  }
}

/** Adds `webhooks` (every event type) and the webhook security scheme. */
export function documentWebhooks(orderExample: Json): (doc: Json) => Json {
  return (doc) => {
    const webhooks: Json = {};
    for (const type of ORDER_EVENT_TYPES) {
      const example = { ...orderExample, status: type === 'UPDATE_CART' ? orderExample.status : type };
      webhooks[type] = webhook(type, `Order ${type}`, `${ORDER_EVENT_WORDS[type]} The body is the order, as GET answers it, with sys.sequence per endpoint and order (1, 2, 3…; a gap means an event was dead-lettered).`, { $ref: '#/components/schemas/Order' }, example);
    }
    for (const type of JOB_EVENT_TYPES) {
      const example = jobCompletedExample(type);
      webhooks[type] = webhook(type, `Job finished: ${JOB_TYPES[type]}`, `A ${JOB_TYPES[type]} job finished.`, { $ref: '#/components/schemas/JobCompletedEvent' }, example);
    }
    webhooks.TEST = webhook('TEST', 'Test event', 'Sent on request to check an endpoint.', { $ref: '#/components/schemas/TestEvent' }, {
      type: 'TEST', message: 'Test event from Comanda', sent_at: '2026-12-01T22:11:13.925Z', endpoint_id: '5b1f8a52-61a4-4f3e-9d1c-0b7c8f1e2a33', sys: { event_id: '9c1e6b1a-3f0e-4c55-8a8e-2b1d7b7f6d10', sequence: null },
    });
    doc.webhooks = webhooks;
    doc.components = {
      ...doc.components,
      schemas: { ...doc.components?.schemas, JobCompletedEvent: JOB_COMPLETED_EVENT, TestEvent: TEST_EVENT },
      securitySchemes: {
        ...doc.components?.securitySchemes,
        webhookAuthorization: { type: 'apiKey', in: 'header', name: 'Authorization', description: "Comanda sends the endpoint's Authorization secret verbatim (the header name can be changed per endpoint)" },
      },
    };
    return doc;
  };
}
