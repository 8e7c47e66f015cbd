import type { AppContext } from '../context.js';
import type { Trx } from '../db/database.js';
import { emit, WEBHOOK_EVENT_TYPES, type WebhookEventType } from '../webhooks/events.js';
import type { Job, JobHandler } from './jobs.types.js';

/** The completion webhook body: `{ job_id, job_type, status, counts…, download_url }`. */
export function jobCompletionPayload(ctx: AppContext, job: Job, handler: JobHandler | undefined): Record<string, unknown> {
  return {
    job_id: job.id,
    job_type: job.type,
    status: job.status,
    total_rows: job.totalRows,
    processed_rows: job.processedRows,
    error_rows: job.errorRows,
    counts: job.counts,
    error: job.error,
    finished_at: job.finishedAt,
    download_url: job.status === 'COMPLETED' && handler ? handler.downloadUrl(ctx, job) : null,
  };
}

function isWebhookEvent(type: string | undefined): type is WebhookEventType {
  return type !== undefined && (WEBHOOK_EVENT_TYPES as readonly string[]).includes(type);
}

/**
 * The ONE place a finished job (COMPLETED or FAILED) announces itself: the handler's completion event
 * goes to the webhook outbox inside the transaction that finishes the job, so the event commits with
 * the status change (never one without the other).
 */
export async function onJobFinished(ctx: AppContext, trx: Trx, job: Job, handler: JobHandler | undefined): Promise<void> {
  const payload = jobCompletionPayload(ctx, job, handler);
  const type = handler?.completionEvent;
  if (isWebhookEvent(type)) await emit(ctx, trx, { chainId: job.chainId, type, payload });
  ctx.log.info({ job_id: job.id, job_type: job.type, status: job.status, event: type, error_rows: job.errorRows }, 'job finished');
}
