import { sql, type Selectable } from 'kysely';
import type { Dialect, Executor, Trx } from '../db/database.js';
import { bool, iso, isoOrNull, json, num, toJson } from '../db/rows.js';
import type { JobsTable } from '../db/tables/jobs.js';
import { AppError } from '../platform/errors.js';
import type { Job, JobRowResult, JobStatus } from './jobs.types.js';
import { decodeResults, encodeResults } from './result-codec.js';

export function toJob(row: Selectable<JobsTable>): Job {
  return {
    id: row.id,
    chainId: row.chain_id,
    vendorId: row.vendor_id,
    type: row.type,
    status: row.status as JobStatus,
    params: json<Record<string, unknown>>(row.params),
    inputComplete: bool(row.input_complete),
    totalRows: num(row.total_rows),
    processedRows: num(row.processed_rows),
    errorRows: num(row.error_rows),
    counts: json<Record<string, number>>(row.counts),
    cursor: row.cursor,
    attempts: num(row.attempts),
    leaseOwner: row.lease_owner,
    leaseExpiresAt: isoOrNull(row.lease_expires_at),
    error: row.error,
    createdBy: row.created_by,
    createdAt: iso(row.created_at),
    startedAt: isoOrNull(row.started_at),
    finishedAt: isoOrNull(row.finished_at),
    updatedAt: iso(row.updated_at),
  };
}

export async function insertJob(db: Executor, job: Job): Promise<void> {
  await db
    .insertInto('jobs')
    .values({
      id: job.id,
      chain_id: job.chainId,
      vendor_id: job.vendorId,
      type: job.type,
      status: job.status,
      params: toJson(job.params),
      input_complete: job.inputComplete,
      total_rows: job.totalRows,
      processed_rows: job.processedRows,
      error_rows: job.errorRows,
      counts: toJson(job.counts),
      cursor: job.cursor,
      attempts: job.attempts,
      lease_owner: null,
      lease_expires_at: null,
      error: null,
      created_by: job.createdBy,
      created_at: job.createdAt,
      started_at: null,
      finished_at: null,
      updated_at: job.updatedAt,
    })
    .execute();
}

export async function findJob(db: Executor, id: string): Promise<Job | undefined> {
  const row = await db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toJob(row);
}

/** A job of the chain; an unknown id and another chain's job are the same 404 (JOB_NOT_FOUND). */
export async function findChainJob(db: Executor, chainId: string, id: string): Promise<Job> {
  const job = await findJob(db, id);
  if (!job || job.chainId !== chainId) throw new AppError('JOB_NOT_FOUND');
  return job;
}

/**
 * Takes the oldest runnable job (queued, or processing with an expired lease) and leases it to
 * `owner`. Postgres: FOR UPDATE SKIP LOCKED so concurrent workers never take the same job; SQLite has
 * one writer, so the same statement without the locking clause is already atomic.
 */
export async function claimJob(db: Executor, dialect: Dialect, owner: string, now: Date, leaseMs: number): Promise<Job | undefined> {
  const nowIso = now.toISOString();
  const until = new Date(now.getTime() + leaseMs).toISOString();
  const lock = dialect === 'postgres' ? sql`for update skip locked` : sql``;
  const result = await sql<Selectable<JobsTable>>`
    update jobs set status = 'PROCESSING', lease_owner = ${owner}, lease_expires_at = ${until},
      attempts = attempts + 1, started_at = coalesce(started_at, ${nowIso}), updated_at = ${nowIso}
    where id = (
      select id from jobs
      where input_complete = ${true}
        and (status = 'QUEUED' or (status = 'PROCESSING' and lease_expires_at < ${nowIso}))
      order by created_at, id
      limit 1
      ${lock}
    )
    returning *`.execute(db);
  const row = result.rows[0];
  return row && toJob(row);
}

/** Re-reads the job inside a step's transaction, locking it, and checks this worker still holds the lease. */
export async function lockLeasedJob(trx: Trx, dialect: Dialect, id: string, owner: string): Promise<Job | undefined> {
  const lock = dialect === 'postgres' ? sql`for update` : sql``;
  const result = await sql<Selectable<JobsTable>>`select * from jobs where id = ${id} ${lock}`.execute(trx);
  const row = result.rows[0];
  if (!row || row.lease_owner !== owner || row.status !== 'PROCESSING') return undefined;
  return toJob(row);
}

export async function writeJobProgress(
  trx: Trx,
  job: Job,
  patch: { cursor: string | null; processedRows: number; errorRows: number; counts: Record<string, number>; leaseExpiresAt: string | null; now: string; status?: JobStatus; error?: string | null; finished?: boolean },
): Promise<void> {
  await trx
    .updateTable('jobs')
    .set({
      cursor: patch.cursor,
      processed_rows: patch.processedRows,
      error_rows: patch.errorRows,
      counts: toJson(patch.counts),
      lease_expires_at: patch.leaseExpiresAt,
      updated_at: patch.now,
      ...(patch.status ? { status: patch.status } : {}),
      ...(patch.error !== undefined ? { error: patch.error } : {}),
      ...(patch.finished ? { finished_at: patch.now, lease_owner: null } : {}),
    })
    .where('id', '=', job.id)
    .execute();
}

/** Sets how many rows a job has, once known (an export's listings, an SFTP file's results). */
export async function setJobTotalRows(db: Executor, id: string, totalRows: number): Promise<void> {
  await db.updateTable('jobs').set({ total_rows: totalRows }).where('id', '=', id).execute();
}

/** Gives a job back after a failed step: it becomes claimable again once `retryAt` passes. */
export async function releaseJob(db: Executor, id: string, owner: string, retryAt: string, error: string, now: string): Promise<void> {
  await db
    .updateTable('jobs')
    .set({ lease_expires_at: retryAt, error, updated_at: now })
    .where('id', '=', id)
    .where('lease_owner', '=', owner)
    .execute();
}

export async function insertInputChunk(db: Executor, jobId: string, seq: number, firstRow: number, rows: readonly unknown[]): Promise<void> {
  await db.insertInto('job_inputs').values({ job_id: jobId, seq, first_row: firstRow, row_count: rows.length, rows: JSON.stringify(rows) }).execute();
}

export async function readInputChunk(db: Executor, jobId: string, seq: number): Promise<{ firstRow: number; rows: unknown[] } | undefined> {
  const row = await db.selectFrom('job_inputs').select(['first_row', 'rows']).where('job_id', '=', jobId).where('seq', '=', seq).executeTakeFirst();
  return row && { firstRow: num(row.first_row), rows: JSON.parse(row.rows) as unknown[] };
}

export async function deleteInputChunk(db: Executor, jobId: string, seq: number): Promise<void> {
  await db.deleteFrom('job_inputs').where('job_id', '=', jobId).where('seq', '=', seq).execute();
}

export async function insertResultChunk(db: Executor, jobId: string, seq: number, firstRow: number, results: readonly JobRowResult[], errorCount: number): Promise<void> {
  await insertEncodedResultChunk(db, jobId, seq, firstRow, results.length, errorCount, encodeResults(results));
}

/** A result chunk whose text the caller encoded itself, in encodeResults' format (the SFTP job's hot path). */
export async function insertEncodedResultChunk(db: Executor, jobId: string, seq: number, firstRow: number, rowCount: number, errorCount: number, encoded: string): Promise<void> {
  await db.insertInto('job_results').values({ job_id: jobId, seq, first_row: firstRow, row_count: rowCount, error_count: errorCount, results: encoded }).execute();
}

/** Result chunks overlapping rows [fromRow, toRow) (0-based), in order. */
export async function readResultChunks(db: Executor, jobId: string, fromRow: number, toRow: number): Promise<Array<{ firstRow: number; results: JobRowResult[] }>> {
  const rows = await db
    .selectFrom('job_results')
    .select(['first_row', 'row_count', 'results'])
    .where('job_id', '=', jobId)
    .where('first_row', '<', toRow)
    .where((eb) => eb(eb('first_row', '+', eb.ref('row_count')), '>', fromRow))
    .orderBy('first_row')
    .execute();
  return rows.map((r) => ({ firstRow: num(r.first_row), results: decodeResults(r.results) }));
}

/** Result chunks after `afterSeq`, a page at a time: for streaming a whole result log. */
export async function readResultChunksAfter(db: Executor, jobId: string, afterSeq: number, limit: number): Promise<Array<{ seq: number; results: JobRowResult[] }>> {
  const rows = await db
    .selectFrom('job_results')
    .select(['seq', 'results'])
    .where('job_id', '=', jobId)
    .where('seq', '>', afterSeq)
    .orderBy('seq')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ seq: num(r.seq), results: decodeResults(r.results) }));
}

/**
 * The first `limit` results that are not in `ok`, in row order, read from the stored result chunks
 * that counted errors (a chunk without refusals is never read).
 */
export async function readRefusedResults(db: Executor, jobId: string, ok: ReadonlySet<string>, limit: number): Promise<JobRowResult[]> {
  const out: JobRowResult[] = [];
  let afterSeq = -1;
  while (out.length < limit) {
    const chunks = await db
      .selectFrom('job_results')
      .select(['seq', 'results'])
      .where('job_id', '=', jobId)
      .where('error_count', '>', 0)
      .where('seq', '>', afterSeq)
      .orderBy('seq')
      .limit(5)
      .execute();
    if (chunks.length === 0) break;
    for (const c of chunks) {
      for (const r of decodeResults(c.results)) {
        if (ok.has(r.result)) continue;
        out.push(r);
        if (out.length >= limit) break;
      }
      afterSeq = num(c.seq);
      if (out.length >= limit) break;
    }
  }
  return out;
}

export async function insertOutputChunk(db: Executor, jobId: string, seq: number, data: string): Promise<void> {
  await db.insertInto('job_outputs').values({ job_id: jobId, seq, data }).execute();
}

export async function readOutputChunksAfter(db: Executor, jobId: string, afterSeq: number, limit: number): Promise<Array<{ seq: number; data: string }>> {
  const rows = await db.selectFrom('job_outputs').select(['seq', 'data']).where('job_id', '=', jobId).where('seq', '>', afterSeq).orderBy('seq').limit(limit).execute();
  return rows.map((r) => ({ seq: num(r.seq), data: r.data }));
}

/** A chain's jobs, newest first, optionally of some types or one vendor; one page and the total. */
export async function listChainJobs(db: Executor, chainId: string, f: { types?: readonly string[]; vendorId?: string | undefined }, page: number, pageSize: number): Promise<{ jobs: Job[]; total: number }> {
  let q = db.selectFrom('jobs').where('chain_id', '=', chainId);
  if (f.types && f.types.length) q = q.where('type', 'in', f.types);
  if (f.vendorId) q = q.where('vendor_id', '=', f.vendorId);
  const total = await q.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
  const rows = await q
    .selectAll()
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(pageSize)
    .offset((page - 1) * pageSize)
    .execute();
  return { jobs: rows.map(toJob), total: num(total.n) };
}

/** The newest job of `type` on a vendor created at or after `since`, with when its results were first read. */
export async function findNewestVendorJob(db: Executor, vendorId: string, type: string, since: string): Promise<(Job & { resultsReadAt: string | null }) | undefined> {
  const row = await db.selectFrom('jobs').selectAll().where('vendor_id', '=', vendorId).where('type', '=', type).where('created_at', '>=', since).orderBy('created_at', 'desc').limit(1).executeTakeFirst();
  return row && { ...toJob(row), resultsReadAt: isoOrNull(row.results_read_at) };
}

/** The params of the chains' jobs of `type` that are not finished yet (QUEUED or PROCESSING). */
export async function unfinishedJobParams(db: Executor, chainIds: readonly string[], type: string): Promise<Array<Record<string, unknown>>> {
  if (chainIds.length === 0) return [];
  const rows = await db.selectFrom('jobs').select('params').where('chain_id', 'in', chainIds).where('type', '=', type).where('status', 'in', ['QUEUED', 'PROCESSING']).execute();
  return rows.map((r) => json<Record<string, unknown>>(r.params));
}

/** Drops whatever input a job still has stored. */
export async function deleteJobInputs(db: Executor, jobId: string): Promise<void> {
  await db.deleteFrom('job_inputs').where('job_id', '=', jobId).execute();
}

/**
 * The first time the owner reads a finished job's per-row results (GET job or its results): kept in
 * jobs.results_read_at, which the certification kit's catalog check reads. Later reads change nothing.
 */
export async function markJobResultsRead(db: Executor, job: Pick<Job, 'id' | 'status'>, at: string): Promise<void> {
  if (job.status !== 'COMPLETED' && job.status !== 'FAILED') return;
  await db.updateTable('jobs').set({ results_read_at: at }).where('id', '=', job.id).where('results_read_at', 'is', null).execute();
}
