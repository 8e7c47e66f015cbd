import { Type, type Static } from 'typebox';
import { WEBHOOK_EVENT_TYPES, type WebhookEventType } from './event-types.js';

export const EventType = Type.Unsafe<WebhookEventType>(Type.Union(WEBHOOK_EVENT_TYPES.map((t) => Type.Literal(t))));
const SubscribableType = Type.Unsafe<Exclude<WebhookEventType, 'TEST'>>(Type.Union(WEBHOOK_EVENT_TYPES.filter((t) => t !== 'TEST').map((t) => Type.Literal(t))));

export const WebhookEndpoint = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    chain_id: Type.String(),
    url: Type.String(),
    description: Type.String(),
    authorization: Type.Object({ header: Type.String(), last4: Type.String({ description: 'last 4 characters of the Authorization secret' }) }),
    signing_secret_prefix: Type.String({ description: 'first characters of the whsec_ signing secret (shown in full only once)' }),
    previous_secret_expires_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], { description: 'until then the pre-rotation secret signs too' }),
    events: Type.Array(Type.String()),
    enabled: Type.Boolean(),
    disabled_reason: Type.Union([Type.Literal('gone'), Type.Literal('failing'), Type.Literal('manual'), Type.Null()]),
    disabled_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    failing_since: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    created_at: Type.String({ format: 'date-time' }),
    updated_at: Type.String({ format: 'date-time' }),
  },
  { title: 'WebhookEndpoint' },
);
export type WebhookEndpoint = Static<typeof WebhookEndpoint>;

const Url = Type.String({ minLength: 8, maxLength: 2048, description: 'http(s) URL the events are POSTed to' });
const AuthSecret = Type.String({ minLength: 1, maxLength: 1024, description: 'sent verbatim in the Authorization header (any string, or a ready `Basic …` value)' });
const AuthHeader = Type.String({ minLength: 1, maxLength: 64, pattern: "^[A-Za-z0-9!#$%&'*+.^_`|~-]+$", description: 'header carrying the secret (default Authorization)' });
const Events = Type.Array(SubscribableType, { minItems: 1, maxItems: 32, uniqueItems: true });

export const CreateEndpointBody = Type.Object(
  {
    url: Url,
    authorization: AuthSecret,
    authorization_header: Type.Optional(AuthHeader),
    events: Type.Optional(Events),
    description: Type.Optional(Type.String({ maxLength: 200 })),
    enabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type CreateEndpointBody = Static<typeof CreateEndpointBody>;

export const UpdateEndpointBody = Type.Object(
  {
    url: Type.Optional(Url),
    authorization: Type.Optional(AuthSecret),
    authorization_header: Type.Optional(AuthHeader),
    events: Type.Optional(Events),
    description: Type.Optional(Type.String({ maxLength: 200 })),
    enabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateEndpointBody = Static<typeof UpdateEndpointBody>;

export const CreatedEndpoint = Type.Object({
  endpoint: WebhookEndpoint,
  signing_secret: Type.String({ description: 'whsec_ secret for Standard Webhooks verification; shown only now' }),
});

export const DeliveryStatus = Type.Unsafe<'waiting' | 'pending' | 'in_flight' | 'succeeded' | 'dead' | 'cancelled'>(Type.Union(['waiting', 'pending', 'in_flight', 'succeeded', 'dead', 'cancelled'].map((s) => Type.Literal(s))));

export const WebhookDelivery = Type.Object(
  {
    id: Type.String(),
    event_id: Type.String({ description: 'also the webhook-id header, stable across retries' }),
    endpoint_id: Type.String(),
    event_type: Type.String(),
    order_id: Type.Union([Type.String(), Type.Null()]),
    sequence: Type.Union([Type.Integer(), Type.Null()]),
    status: Type.String(),
    attempts: Type.Integer(),
    next_attempt_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    last_status_code: Type.Union([Type.Integer(), Type.Null()]),
    last_error: Type.Union([Type.String(), Type.Null()]),
    created_at: Type.String({ format: 'date-time' }),
    completed_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  },
  { title: 'WebhookDelivery' },
);
export type WebhookDelivery = Static<typeof WebhookDelivery>;

export const WebhookAttempt = Type.Object({
  attempt: Type.Integer(),
  started_at: Type.String({ format: 'date-time' }),
  duration_ms: Type.Integer(),
  status_code: Type.Union([Type.Integer(), Type.Null()]),
  response_body: Type.Union([Type.String(), Type.Null()]),
  error: Type.Union([Type.String(), Type.Null()]),
  outcome: Type.String(),
});
export type WebhookAttempt = Static<typeof WebhookAttempt>;

export const DeliveryDetail = Type.Object({ delivery: WebhookDelivery, payload: Type.Unknown(), attempts: Type.Array(WebhookAttempt) });

export const DeliveryQuery = Type.Object(
  {
    endpoint_id: Type.Optional(Type.String({ format: 'uuid' })),
    status: Type.Optional(DeliveryStatus),
    order_id: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    event_type: Type.Optional(EventType),
    since: Type.Optional(Type.String({ format: 'date-time' })),
    until: Type.Optional(Type.String({ format: 'date-time' })),
    cursor: Type.Optional(Type.String({ maxLength: 200 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  },
  { additionalProperties: false },
);
export type DeliveryQuery = Static<typeof DeliveryQuery>;

export const DeliveryPage = Type.Object({
  deliveries: Type.Array(WebhookDelivery),
  next_cursor: Type.Union([Type.String(), Type.Null()]),
  total_count: Type.Integer({ description: 'deliveries matching the filters (all pages), counted up to 10,000' }),
  total_capped: Type.Boolean({ description: 'true when more than total_count match' }),
});

export const ReplayBody = Type.Object(
  { since: Type.String({ format: 'date-time', description: 'replay failed (dead-lettered or retrying) deliveries created at or after this time' }), until: Type.Optional(Type.String({ format: 'date-time' })) },
  { additionalProperties: false },
);

export const EmitBody = Type.Object(
  {
    events: Type.Array(
      Type.Object(
        { type: EventType, order_key: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })), payload: Type.Record(Type.String(), Type.Unknown()) },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 1000 },
    ),
    atomic: Type.Optional(Type.Boolean({ description: 'all events in one transaction (default: each in its own)' })),
  },
  { additionalProperties: false },
);
export type EmitBody = Static<typeof EmitBody>;
