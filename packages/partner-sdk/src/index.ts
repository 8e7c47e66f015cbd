export { apiToken, OAuthClientCredentials, type ClientCredentials, type TokenProvider } from './auth.js';
export { authorizedFetch, createPartnerClient, type PartnerClient, type PartnerClientOptions } from './client.js';
export { ComandaApiError, ComandaAuthError, unwrap, type ComandaErrorBody } from './errors.js';
export type { components, operations, paths } from './generated/partner-api.js';
export { retryAfterMs, type RetryOptions } from './retry.js';
export { MemorySequenceStore, SequenceTracker, type SequenceCheck, type SequenceState, type SequenceStore } from './sequence.js';
export {
  JOB_EVENT_TYPES,
  ORDER_EVENT_TYPES,
  parseWebhookEvent,
  verifyWebhook,
  type JobCompletion,
  type JobEvent,
  type JobEventType,
  type Order,
  type OrderEvent,
  type OrderEventType,
  type TestEvent,
  type TestPayload,
  type VerifyWebhookOptions,
  type WebhookEvent,
  type WebhookEventType,
} from './webhook-events.js';
export { verifyAuthorization, verifySignature, WebhookVerificationError, type HeadersLike, type SignatureInput } from './webhook-verify.js';
