/** The webhooks domain's face: what other domains and the application use of it. */
export { getDelivery, listDeliveries } from './deliveries.service.js';
export { directSender } from './direct-send.js';
export { webhookDispatcherFactory } from './dispatcher.js';
export { endpointSecrets, resealEndpointSecrets } from './endpoint-secrets.js';
export { WEBHOOK_AUTH_PURPOSE, WEBHOOK_SIGNING_PURPOSE, listEndpointRows } from './endpoints.repository.js';
export type { EndpointRow } from './endpoints.repository.js';
export type { JOB_EVENT_TYPES } from './event-types.js';
export { deliveredOrderEvent, deliveryBody, emit } from './events.js';
export { createWebhookAgent } from './sender.js';
export type { SendOutcome } from './sender.js';
export { latencyPercentile, webhookFigures } from './webhook-stats.repository.js';
export { registerWebhookCommands } from './webhooks.cli.js';
export { documentWebhooks } from './webhooks.openapi.js';
export { webhookOperatorRoutes, webhookPortalRoutes } from './webhooks.routes.js';
export { WebhookAttempt, WebhookDelivery } from './webhooks.schemas.js';
