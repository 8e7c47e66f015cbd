/**
 * The events a webhook endpoint can subscribe to: only those the platform really sends
 * (web/src/webhook-events.test.ts checks them against src/orders/order-events.ts and the job handlers).
 */
export const ORDER_EVENTS = ['RECEIVED', 'ACCEPTED', 'READY_FOR_PICKUP', 'DISPATCHED', 'DELIVERED', 'CANCELLED'] as const;
export const JOB_EVENTS = ['CATALOG_JOB_COMPLETED', 'PRODUCT_JOB_COMPLETED', 'EXPORT_JOB_COMPLETED', 'PROMOTION_JOB_COMPLETED', 'SFTP_FILE_PROCESSED'] as const;
/** What a new endpoint starts with (the server's default set). */
export const DEFAULT_EVENTS: string[] = ['RECEIVED', 'READY_FOR_PICKUP', 'DISPATCHED', 'CANCELLED', ...JOB_EVENTS];
/** Events Pelican Picking (INDIRECT_POS) stores send; the others come from Partner Picking stores only. */
export const PELICAN_EVENTS: readonly string[] = ['READY_FOR_PICKUP', 'CANCELLED'];
