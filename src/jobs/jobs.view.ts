import { Readable } from 'node:stream';
import { Type, type Static } from 'typebox';
import type { AppContext } from '../platform/context.js';
import type { Executor } from '../db/database.js';
import { keysetRows } from '../db/keyset.js';
import { csvLine } from '../platform/csv/csv-writer.js';
import type { JobTypes } from './jobs.registry.js';
import { readOutputChunksAfter, readResultChunks, readResultChunksAfter } from './jobs.repository.js';
import type { Job, JobRowResult } from './jobs.types.js';
import { refusedRows } from './refusals.js';
import { REFUSED_ROWS_FIELDS } from './refused-rows.js';

export const JobRowResultSchema = Type.Object(
  {
    row: Type.Integer({ description: '1-based input row number' }),
    result: Type.String({ description: 'UPDATED, UNCHANGED, SKU_NOT_FOUND, INVALID_PRICE, …' }),
    message: Type.Optional(Type.String()),
  },
  { additionalProperties: true, description: 'Plus the row identifiers of the job type (sku, barcode…)' },
);

export const JobView = Type.Object(
  {
    job_id: Type.String(),
    job_type: Type.String(),
    job_status: Type.Union([Type.Literal('QUEUED'), Type.Literal('PROCESSING'), Type.Literal('COMPLETED'), Type.Literal('FAILED')]),
    status: Type.Union([Type.Literal('QUEUED'), Type.Literal('PROCESSING'), Type.Literal('COMPLETED'), Type.Literal('FAILED')], { description: 'the same as job_status (clients of the real platform read either)' }),
    chain_id: Type.String(),
    vendor_id: Type.Union([Type.String(), Type.Null()], { description: 'platform code of the vendor, when the job concerns one' }),
    total_rows: Type.Integer(),
    processed_rows: Type.Integer(),
    error_rows: Type.Integer(),
    counts: Type.Record(Type.String(), Type.Integer(), { description: 'rows per result code' }),
    error: Type.Union([Type.String(), Type.Null()], { description: 'why the whole job failed (FAILED only)' }),
    created_at: Type.String({ format: 'date-time' }),
    started_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    finished_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    ...REFUSED_ROWS_FIELDS,
    results_url: Type.String(),
    download_url: Type.Union([Type.String(), Type.Null()], { description: 'set once COMPLETED' }),
    results: Type.Array(JobRowResultSchema),
    pagination: Type.Object({ page: Type.Integer(), page_size: Type.Integer(), total_count: Type.Integer(), total_pages: Type.Integer() }),
  },
  { $id: 'Job', title: 'Job' },
);
export type JobView = Static<typeof JobView>;

/** Results of rows [offset, offset + limit) — read from the chunks that cover them. */
export async function resultPage(db: Executor, job: Job, offset: number, limit: number): Promise<JobRowResult[]> {
  const chunks = await readResultChunks(db, job.id, offset, offset + limit);
  const out: JobRowResult[] = [];
  for (const c of chunks) {
    for (let i = 0; i < c.results.length; i++) {
      const at = c.firstRow + i;
      if (at >= offset && at < offset + limit) out.push(c.results[i]!);
    }
  }
  return out;
}

/** A job as partners see it, with one page of per-row results. */
export async function jobView(ctx: AppContext, jobTypes: JobTypes, job: Job, vendorCode: string | null, resultsUrl: string, page: number, pageSize: number): Promise<JobView> {
  const handler = jobTypes.get(job.type);
  const results = await resultPage(ctx.db, job, (page - 1) * pageSize, pageSize);
  return {
    job_id: job.id,
    job_type: job.type,
    job_status: job.status,
    status: job.status,
    chain_id: job.chainId,
    vendor_id: vendorCode,
    total_rows: job.totalRows,
    processed_rows: job.processedRows,
    error_rows: job.errorRows,
    counts: job.counts,
    error: job.error,
    created_at: job.createdAt,
    started_at: job.startedAt,
    finished_at: job.finishedAt,
    ...(await refusedRows(ctx.db, job, handler)),
    results_url: resultsUrl,
    download_url: job.status === 'COMPLETED' && handler ? handler.downloadUrl(ctx, job) : null,
    results,
    pagination: { page, page_size: pageSize, total_count: job.processedRows, total_pages: Math.ceil(job.processedRows / pageSize) },
  };
}

async function* resultChunks(db: Executor, jobId: string): AsyncGenerator<JobRowResult[]> {
  for await (const c of keysetRows((after) => readResultChunksAfter(db, jobId, after, 20), (c) => c.seq, 20)) yield c.results;
}

/** The whole per-row result log as CSV, streamed chunk by chunk (a million rows never sit in memory). */
export function resultsCsvStream(db: Executor, jobTypes: JobTypes, job: Job): Readable {
  const columns = jobTypes.get(job.type)?.resultColumns ?? ['row', 'result', 'message'];
  return Readable.from(
    (async function* () {
      yield csvLine(columns);
      for await (const results of resultChunks(db, job.id)) {
        let text = '';
        for (const r of results) text += csvLine(columns.map((c) => r[c]));
        yield text;
      }
    })(),
  );
}

/** The whole per-row result log as one JSON document `{ job_id, job_status, results: [...] }`, streamed. */
export function resultsJsonStream(db: Executor, job: Job): Readable {
  return Readable.from(
    (async function* () {
      yield `{"job_id":${JSON.stringify(job.id)},"job_status":${JSON.stringify(job.status)},"results":[`;
      let first = true;
      for await (const results of resultChunks(db, job.id)) {
        let text = '';
        for (const r of results) {
          text += (first ? '' : ',') + JSON.stringify(r);
          first = false;
        }
        yield text;
      }
      yield ']}';
    })(),
  );
}

/** A job's output file (e.g. an export), streamed from the database. */
export function outputStream(db: Executor, jobId: string): Readable {
  return Readable.from(
    (async function* () {
      for await (const c of keysetRows((after) => readOutputChunksAfter(db, jobId, after, 10), (c) => c.seq, 10)) yield c.data;
    })(),
  );
}
