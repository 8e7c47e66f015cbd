import { Type, type Static } from 'typebox';
import type { Executor } from '../db/database.js';
import { num } from '../db/rows.js';
import { decodeResults } from './jobs.repository.js';
import type { Job, JobHandler, JobRowResult } from './jobs.types.js';

/**
 * "A silent failure is the worst answer" (partner-api.md §9): a job that refused rows names them in
 * its status and in its completion webhook — the first REFUSED_ROWS_LISTED, then the results URL.
 */
export const REFUSED_ROWS_LISTED = 1000;

export const RefusedRowSchema = Type.Object(
  {
    row: Type.Optional(Type.Integer({ description: '1-based input row (file line for SFTP files)' })),
    sku: Type.String(),
    barcode: Type.Optional(Type.String()),
    vendor: Type.Optional(Type.String({ description: 'the store the refusal concerns (multi-vendor rows, promotions)' })),
    code: Type.String({ description: 'the row result code: SKU_NOT_FOUND, INVALID_PRICE, MISSING_SKU, …' }),
    message: Type.String(),
  },
  { $id: 'RefusedRow', title: 'RefusedRow' },
);
export type RefusedRow = Static<typeof RefusedRowSchema>;

/** The refusal fields of a job status and of its completion webhook. */
export interface RefusedRows {
  refused_rows: RefusedRow[];
  /** How many rows were refused in all (refused_rows has the first REFUSED_ROWS_LISTED). */
  refused_count: number;
  refused_rows_truncated: boolean;
}

export const REFUSED_ROWS_FIELDS = {
  refused_rows: Type.Array(RefusedRowSchema, { description: `the refused rows themselves, the first ${REFUSED_ROWS_LISTED} (the results URL has them all)` }),
  refused_count: Type.Integer({ description: 'rows refused in all' }),
  refused_rows_truncated: Type.Boolean({ description: `true when more than ${REFUSED_ROWS_LISTED} rows were refused` }),
};

function toRefused(r: JobRowResult): RefusedRow {
  const out: RefusedRow = { row: r.row, sku: String(r.sku ?? ''), code: r.result, message: r.message ?? r.result };
  if (r.barcode) out.barcode = String(r.barcode);
  if (r.vendor) out.vendor = String(r.vendor);
  return out;
}

/**
 * The first refused rows of a row job, read from the stored result chunks that counted errors (a
 * chunk without refusals is never read), in row order. Job types that report refusals another way
 * (promotions) give their own `refusedRows`.
 */
export async function refusedRows(db: Executor, job: Job, handler: JobHandler | undefined, limit = REFUSED_ROWS_LISTED): Promise<RefusedRows> {
  if (handler?.refusedRows) return handler.refusedRows(db, job, limit);
  const none: RefusedRows = { refused_rows: [], refused_count: job.errorRows, refused_rows_truncated: job.errorRows > 0 };
  if (job.errorRows === 0 || !handler?.okResults) return { ...none, refused_rows_truncated: false };
  const ok = new Set(handler.okResults);
  const out: RefusedRow[] = [];
  let afterSeq = -1;
  while (out.length < limit) {
    const chunks = await db
      .selectFrom('job_results')
      .select(['seq', 'results'])
      .where('job_id', '=', job.id)
      .where('error_count', '>', 0)
      .where('seq', '>', afterSeq)
      .orderBy('seq')
      .limit(5)
      .execute();
    if (chunks.length === 0) break;
    for (const c of chunks) {
      for (const r of decodeResults(c.results)) {
        if (ok.has(r.result)) continue;
        out.push(toRefused(r));
        if (out.length >= limit) break;
      }
      afterSeq = num(c.seq);
      if (out.length >= limit) break;
    }
  }
  return { refused_rows: out, refused_count: Math.max(job.errorRows, out.length), refused_rows_truncated: job.errorRows > out.length };
}
