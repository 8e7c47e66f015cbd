import { wake } from '../platform/wake.js';
import type { AppContext } from '../platform/context.js';
import type { Executor } from '../db/database.js';
import { uuid } from '../platform/secrets.js';
import { deleteJobInputs, insertInputChunk, insertJob } from './jobs.repository.js';
import { JOB_CHUNK_ROWS, type Job } from './jobs.types.js';

/** In-process nudge so a runner in the same process starts a fresh job without waiting for its poll. */
export function notifyJobQueued(): void {
  wake('jobs');
}

export interface NewJob {
  chainId: string;
  vendorId?: string | null;
  type: string;
  params?: Record<string, unknown>;
  createdBy: string;
}

function newJob(ctx: AppContext, input: NewJob, inputComplete: boolean, totalRows: number): Job {
  const now = ctx.clock.now().toISOString();
  return {
    id: uuid(),
    chainId: input.chainId,
    vendorId: input.vendorId ?? null,
    type: input.type,
    status: 'QUEUED',
    params: input.params ?? {},
    inputComplete,
    totalRows,
    processedRows: 0,
    errorRows: 0,
    counts: {},
    cursor: null,
    attempts: 0,
    leaseOwner: null,
    leaseExpiresAt: null,
    error: null,
    createdBy: input.createdBy,
    createdAt: now,
    startedAt: null,
    finishedAt: null,
    updatedAt: now,
  };
}

/**
 * Creates a QUEUED job whose input rows are all at hand (an API body), writing them as chunks in the
 * caller's transaction: the job and its input commit together or not at all. Call notifyJobQueued()
 * after the commit.
 */
export async function createJob(ctx: AppContext, db: Executor, input: NewJob, rows: readonly unknown[] = [], opts: { chunkRows?: number } = {}): Promise<Job> {
  const job = newJob(ctx, input, true, rows.length);
  const chunkRows = opts.chunkRows ?? JOB_CHUNK_ROWS;
  await insertJob(db, job);
  for (let seq = 0, first = 0; first < rows.length; seq++, first += chunkRows) {
    await insertInputChunk(db, job.id, seq, first, rows.slice(first, first + chunkRows));
  }
  return job;
}

/**
 * Creates a job and streams its input from any (async) iterable, a chunk per transaction, so a
 * million-row file never sits in memory. The job is claimable only once the whole input is stored;
 * if the stream fails the job ends FAILED with the error.
 */
export async function createStreamedJob(ctx: AppContext, input: NewJob, source: AsyncIterable<unknown> | Iterable<unknown>, opts: { chunkRows?: number } = {}): Promise<Job> {
  const chunkRows = opts.chunkRows ?? JOB_CHUNK_ROWS;
  const job = newJob(ctx, input, false, 0);
  await insertJob(ctx.db, job);
  let seq = 0;
  let total = 0;
  let chunk: unknown[] = [];
  const flush = async () => {
    if (chunk.length === 0) return;
    const rows = chunk;
    chunk = [];
    await insertInputChunk(ctx.db, job.id, seq++, total - rows.length, rows);
  };
  try {
    for await (const row of source) {
      chunk.push(row);
      total++;
      if (chunk.length >= chunkRows) await flush();
    }
    await flush();
  } catch (err) {
    const now = ctx.clock.now().toISOString();
    await deleteJobInputs(ctx.db, job.id);
    await ctx.db
      .updateTable('jobs')
      .set({ status: 'FAILED', error: `input could not be read: ${(err as Error).message}`, finished_at: now, updated_at: now, input_complete: true })
      .where('id', '=', job.id)
      .execute();
    throw err;
  }
  await ctx.db.updateTable('jobs').set({ input_complete: true, total_rows: total, updated_at: ctx.clock.now().toISOString() }).where('id', '=', job.id).execute();
  notifyJobQueued();
  return { ...job, inputComplete: true, totalRows: total };
}
