/** Every event a webhook endpoint can receive. */
export const ORDER_EVENT_TYPES = ['RECEIVED', 'ACCEPTED', 'READY_FOR_PICKUP', 'DISPATCHED', 'DELIVERED', 'CANCELLED', 'UPDATE_CART'] as const;
export const JOB_EVENT_TYPES = ['CATALOG_JOB_COMPLETED', 'PRODUCT_JOB_COMPLETED', 'EXPORT_JOB_COMPLETED', 'PROMOTION_JOB_COMPLETED', 'SFTP_FILE_PROCESSED'] as const;
export const WEBHOOK_EVENT_TYPES = [...ORDER_EVENT_TYPES, ...JOB_EVENT_TYPES, 'TEST'] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** What a new endpoint subscribes to: the real platform's partner set plus job completions. ACCEPTED, DELIVERED, UPDATE_CART are opt-in. */
export const DEFAULT_ENDPOINT_EVENTS: readonly WebhookEventType[] = ['RECEIVED', 'READY_FOR_PICKUP', 'DISPATCHED', 'CANCELLED', ...JOB_EVENT_TYPES];

/** TEST reaches every endpoint whatever its filter ("send test event"). */
export function endpointWants(filter: readonly string[], type: WebhookEventType): boolean {
  return type === 'TEST' || filter.includes(type);
}
