import { sql, type Selectable } from 'kysely';
import type { Dialect, Executor, Trx } from '../db/database.js';
import { bool, iso, isoOrNull, json, num, toJson } from '../db/rows.js';
import type { JobsTable } from '../db/tables/jobs.js';
import type { Job, JobRowResult, JobStatus } from './jobs.types.js';

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

/**
 * A result chunk as stored: `{"columns":[…],"rows":[[…],…]}` — the field names once per chunk, each
 * result an array of values (null where a result lacks the field), about half the bytes of an array of
 * objects for the million-row files. Chunks stored earlier as a plain array of objects still read.
 */
export function encodeResults(results: readonly JobRowResult[]): string {
  const columns: string[] = [];
  const rows: Array<Array<string | number | null | undefined>> = new Array(results.length);
  for (let i = 0; i < results.length; i++) {
    const r = results[i]!;
    const keys = Object.keys(r);
    // Fast path: the fields are a prefix of the columns, in order (results of one job share a shape).
    let prefix = keys.length <= columns.length;
    for (let k = 0; prefix && k < keys.length; k++) prefix = keys[k] === columns[k];
    if (prefix) {
      rows[i] = Object.values(r);
      continue;
    }
    for (const k of keys) if (!columns.includes(k)) columns.push(k);
    rows[i] = columns.map((c) => r[c]);
  }
  // undefined values and missing trailing ones read back as absent fields.
  return JSON.stringify({ columns, rows });
}

export function decodeResults(text: string): JobRowResult[] {
  const parsed = JSON.parse(text) as JobRowResult[] | { columns: string[]; rows: Array<Array<string | number | null>> };
  if (Array.isArray(parsed)) return parsed;
  const { columns, rows } = parsed;
  return rows.map((values) => {
    const r: Record<string, string | number> = {};
    for (let c = 0; c < columns.length; c++) {
      const v = values[c];
      if (v !== null && v !== undefined) r[columns[c]!] = v;
    }
    return r as JobRowResult;
  });
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

/**
 * The first time the owner reads a finished job's per-row results (GET job or its results): kept in
 * jobs.results_read_at, which the certification kit's catalog check reads. Later reads change nothing.
 */
export async function markJobResultsRead(db: Executor, job: Pick<Job, 'id' | 'status'>, at: string): Promise<void> {
  if (job.status !== 'COMPLETED' && job.status !== 'FAILED') return;
  await db.updateTable('jobs').set({ results_read_at: at }).where('id', '=', job.id).where('results_read_at', 'is', null).execute();
}
