import type { Executor } from '../db/database.js';
import { readRefusedResults } from './jobs.repository.js';
import type { Job, JobHandler, JobRowResult } from './jobs.types.js';
import { REFUSED_ROWS_LISTED, type RefusedRow, type RefusedRows } from './refused-rows.js';

function toRefused(r: JobRowResult): RefusedRow {
  const out: RefusedRow = { row: r.row, sku: String(r.sku ?? ''), code: r.result, message: r.message ?? r.result };
  if (r.barcode) out.barcode = String(r.barcode);
  if (r.vendor) out.vendor = String(r.vendor);
  return out;
}

/**
 * The first refused rows of a row job, read from the stored result chunks that counted errors, in
 * row order. Job types that report refusals another way (promotions) give their own `refusedRows`.
 */
export async function refusedRows(db: Executor, job: Job, handler: JobHandler | undefined, limit = REFUSED_ROWS_LISTED): Promise<RefusedRows> {
  if (handler?.refusedRows) return handler.refusedRows(db, job, limit);
  const none: RefusedRows = { refused_rows: [], refused_count: job.errorRows, refused_rows_truncated: job.errorRows > 0 };
  if (job.errorRows === 0 || !handler?.okResults) return { ...none, refused_rows_truncated: false };
  const out = (await readRefusedResults(db, job.id, new Set(handler.okResults), limit)).map(toRefused);
  return { refused_rows: out, refused_count: Math.max(job.errorRows, out.length), refused_rows_truncated: job.errorRows > out.length };
}
