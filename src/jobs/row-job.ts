import type { AppContext } from '../platform/context.js';
import { Type, type Static, type TSchema } from 'typebox';
import type { Trx } from '../db/database.js';
import { defineJob } from './job-definition.js';
import { deleteInputChunk, insertResultChunk, readInputChunk } from './jobs.repository.js';
import type { Job, JobCompletionEvent, JobHandler, JobRowResult, TypedJob } from './jobs.types.js';

/** A row job's cursor: the next stored input chunk. */
const RowJobCursor = Type.Integer({ minimum: 0 });

export interface RowJobSpec<P extends TSchema, Row> {
  type: string;
  params: P;
  completionEvent: JobCompletionEvent;
  resultColumns: readonly string[];
  /** Result codes that are not errors (everything else counts in error_rows). */
  okResults: readonly string[];
  /**
   * Applies one chunk of input rows inside `trx` and returns one result per row, in order.
   * `firstRow` is the 0-based index of rows[0] in the whole input (result `row` numbers are 1-based).
   */
  processRows(ctx: AppContext, trx: Trx, job: TypedJob<Static<P>>, rows: Row[], firstRow: number): Promise<JobRowResult[]>;
  downloadUrl(ctx: AppContext, job: Job): string | null;
  /** The full per-row result log. */
  resultsUrl?(ctx: AppContext, job: Job): string;
}

/**
 * A job type whose input is a list of rows: each step takes the next stored input chunk, applies it,
 * stores its results and drops the chunk, all in the step's transaction together with the cursor.
 * A crash therefore either committed the whole chunk (and its cursor) or nothing of it.
 */
export function rowJobHandler<P extends TSchema, Row>(spec: RowJobSpec<P, Row>): JobHandler<P, typeof RowJobCursor> {
  const ok = new Set(spec.okResults);
  return defineJob({
    type: spec.type,
    params: spec.params,
    cursor: RowJobCursor,
    completionEvent: spec.completionEvent,
    resultColumns: spec.resultColumns,
    downloadUrl: spec.downloadUrl,
    okResults: spec.okResults,
    ...(spec.resultsUrl ? { resultsUrl: spec.resultsUrl } : {}),
    async step(ctx, trx, job, cursor) {
      const seq = cursor ?? 0;
      const chunk = await readInputChunk(trx, job.id, seq);
      if (!chunk) return { done: true, cursor, processed: 0, errors: 0, counts: {} };
      const results = await spec.processRows(ctx, trx, job, chunk.rows as Row[], chunk.firstRow);
      if (results.length !== chunk.rows.length) throw new Error(`${spec.type}: ${results.length} results for ${chunk.rows.length} rows`);
      const counts: Record<string, number> = {};
      let errors = 0;
      for (const r of results) {
        counts[r.result] = (counts[r.result] ?? 0) + 1;
        if (!ok.has(r.result)) errors++;
      }
      await insertResultChunk(trx, job.id, seq, chunk.firstRow, results, errors);
      await deleteInputChunk(trx, job.id, seq);
      const done = chunk.firstRow + chunk.rows.length >= job.totalRows;
      return { done, cursor: seq + 1, processed: results.length, errors, counts };
    },
  });
}
