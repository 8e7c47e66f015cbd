import type { AppContext } from '../platform/context.js';
import type { Executor, Trx } from '../db/database.js';
import { emit } from '../webhooks/index.js';
import type { Job, JobHandler } from './jobs.types.js';
import { refusedRows } from './refusals.js';

/**
 * The completion webhook body: `{ event_type, job_id, job_type, job_status, status, counts…,
 * refused_rows (the first 1,000), results_url, download_url }` — a client that only reads the
 * webhook learns which rows failed (partner-api.md §9). Read inside the finishing transaction.
 */
export async function jobCompletionPayload(ctx: AppContext, db: Executor, job: Job, handler: JobHandler | undefined): Promise<Record<string, unknown>> {
  return {
    event_type: handler?.completionEvent ?? null,
    job_id: job.id,
    job_type: job.type,
    job_status: job.status,
    status: job.status,
    total_rows: job.totalRows,
    processed_rows: job.processedRows,
    error_rows: job.errorRows,
    counts: job.counts,
    error: job.error,
    finished_at: job.finishedAt,
    ...(await refusedRows(db, job, handler)),
    results_url: handler?.resultsUrl ? handler.resultsUrl(ctx, job) : null,
    download_url: job.status === 'COMPLETED' && handler ? handler.downloadUrl(ctx, job) : null,
  };
}

/**
 * The ONE place a finished job (COMPLETED or FAILED) announces itself: the handler's completion event
 * goes to the webhook outbox inside the transaction that finishes the job, so the event commits with
 * the status change (never one without the other).
 */
export async function onJobFinished(ctx: AppContext, trx: Trx, job: Job, handler: JobHandler | undefined): Promise<void> {
  const payload = await jobCompletionPayload(ctx, trx, job, handler);
  const type = handler?.completionEvent;
  if (type) await emit(ctx, trx, { chainId: job.chainId, type, payload });
  ctx.log.info({ job_id: job.id, job_type: job.type, status: job.status, event: type, error_rows: job.errorRows }, 'job finished');
}
