import { Type } from 'typebox';
import { describe, expect, it } from 'vitest';
import { writeAudit } from '../audit/audit.repository.js';
import { ManualClock } from '../platform/clock.js';
import { useTestContext } from '../test-support/test-app.js';
import { defineJob } from './job-definition.js';
import { JobRunner } from './job-runner.js';
import { JobTypes } from './jobs.registry.js';
import { findJob, insertResultChunk, readResultChunks } from './jobs.repository.js';
import { createJob, createStreamedJob } from './jobs.service.js';
import { JobFatalError, JOB_CHUNK_ROWS } from './jobs.types.js';
import { resultPage } from './jobs.view.js';
import { rowJobHandler } from './row-job.js';

/** Test job type: each row writes one audit entry (a visible side effect), so "applied twice" shows up as two. */
const failures = new Map<string, { atRow: number; times: number; fatal?: boolean }>();
const NoParams = Type.Object({});
const testCounterJob = rowJobHandler<typeof NoParams, { n: number; tag: string }>({
  type: 'test_counter',
  params: NoParams,
  completionEvent: 'CATALOG_JOB_COMPLETED',
  resultColumns: ['row', 'n', 'result'],
  okResults: ['DONE'],
  downloadUrl: () => null,
  async processRows(ctx, trx, job, rows, firstRow) {
    const out = [];
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]!;
      await writeAudit(trx, { chainId: job.chainId, actor: 'test', action: 'test.row', targetType: 'job', targetId: job.id, details: { n: row.n } }, ctx.clock.now());
      const f = failures.get(row.tag);
      if (f && f.atRow === row.n && f.times > 0) {
        f.times--;
        throw f.fatal ? new JobFatalError(`row ${row.n} is poison`) : new Error(`simulated crash at row ${row.n}`);
      }
      out.push({ row: firstRow + i + 1, n: row.n, result: row.n % 10 === 0 ? 'TENTH' : 'DONE' });
    }
    return out;
  },
});
/** This file's job types: only the test one. */
const jobTypes = new JobTypes([testCounterJob]);

describe('jobs', () => {
  const clock = new ManualClock('2026-03-01T12:00:00Z');

  const s = useTestContext({ chains: { a: 'Jobs A' }, clock });

  const rows = (tag: string, n: number) => Array.from({ length: n }, (_, i) => ({ n: i + 1, tag }));
  const applied = async (jobId: string) => {
    const audit = await s.ctx.db.selectFrom('audit_log').select('details').where('target_id', '=', jobId).where('action', '=', 'test.row').execute();
    return audit.map((r) => (typeof r.details === 'string' ? JSON.parse(r.details) : r.details).n as number).sort((x, y) => x - y);
  };
  const newJob = (tag: string, n: number) => s.ctx.db.transaction().execute((trx) => createJob(s.ctx, trx, { chainId: s.a.chain.id, type: 'test_counter', createdBy: 'test' }, rows(tag, n)));

  it('goes QUEUED → PROCESSING → COMPLETED with counts and per-row results', async () => {
    const job = await newJob('life', 2500);
    expect(job.status).toBe('QUEUED');
    const runner = new JobRunner(s.ctx, jobTypes, { owner: 'life' });
    const claimed = await runner.claim();
    expect(claimed).toMatchObject({ id: job.id, status: 'PROCESSING', attempts: 1, leaseOwner: 'life' });
    expect(await runner.step(job.id)).toBe('continue');
    expect((await findJob(s.ctx.db, job.id))).toMatchObject({ status: 'PROCESSING', processedRows: JOB_CHUNK_ROWS, cursor: '1' });
    expect(await runner.step(job.id)).toBe('continue');
    expect(await runner.step(job.id)).toBe('finished');
    const done = (await findJob(s.ctx.db, job.id))!;
    expect(done).toMatchObject({ status: 'COMPLETED', processedRows: 2500, errorRows: 250, counts: { DONE: 2250, TENTH: 250 }, leaseOwner: null });
    expect(done.finishedAt).not.toBeNull();
    const page = await resultPage(s.ctx.db, done, 995, 10);
    expect(page.map((r) => r.row)).toEqual([996, 997, 998, 999, 1000, 1001, 1002, 1003, 1004, 1005]);
    expect(await applied(job.id)).toEqual(rows('', 2500).map((r) => r.n));
    // Input chunks are consumed as they are applied.
    expect(await s.ctx.db.selectFrom('job_inputs').select('seq').where('job_id', '=', job.id).execute()).toEqual([]);
  });

  it('resumes after a worker dies between steps, without applying a row twice', async () => {
    const job = await newJob('crash', 3000);
    const dead = new JobRunner(s.ctx, jobTypes, { owner: 'dead' });
    expect((await dead.claim())?.id).toBe(job.id);
    expect(await dead.step(job.id)).toBe('continue'); // first 1000 rows committed, then the process "dies"
    const heir = new JobRunner(s.ctx, jobTypes, { owner: 'heir' });
    expect(await heir.runUntilIdle()).toBe(0); // the lease still protects the job
    clock.advance(s.ctx.config.jobLeaseSeconds * 1000 + 1);
    expect(await heir.runUntilIdle()).toBe(1);
    const done = (await findJob(s.ctx.db, job.id))!;
    expect(done).toMatchObject({ status: 'COMPLETED', processedRows: 3000, attempts: 2 });
    expect(await applied(job.id)).toEqual(rows('', 3000).map((r) => r.n));
    // The dead worker waking up cannot write anymore.
    expect(await dead.step(job.id)).toBe('lost');
    const results = await resultPage(s.ctx.db, done, 0, 5000);
    expect(results.map((r) => r.row)).toEqual(rows('', 3000).map((r) => r.n));
  });

  it('a crash inside a step rolls the whole chunk back; the retry applies it once', async () => {
    const job = await newJob('mid', 2500);
    failures.set('mid', { atRow: 1500, times: 1 });
    const runner = new JobRunner(s.ctx, jobTypes, { owner: 'mid' });
    expect(await runner.runUntilIdle()).toBe(1);
    let state = (await findJob(s.ctx.db, job.id))!;
    expect(state).toMatchObject({ status: 'PROCESSING', processedRows: 1000, error: 'simulated crash at row 1500' });
    expect(await applied(job.id)).toHaveLength(1000); // rows 1001..1499 were rolled back
    clock.advance(60_000);
    expect(await runner.runUntilIdle()).toBe(1);
    state = (await findJob(s.ctx.db, job.id))!;
    expect(state).toMatchObject({ status: 'COMPLETED', processedRows: 2500, error: null });
    expect(await applied(job.id)).toEqual(rows('', 2500).map((r) => r.n));
  });

  it('a poison row fails the job (FAILED, error kept, committed rows kept)', async () => {
    const job = await newJob('poison', 1500);
    failures.set('poison', { atRow: 1200, times: 1, fatal: true });
    await new JobRunner(s.ctx, jobTypes).runUntilIdle();
    const state = (await findJob(s.ctx.db, job.id))!;
    expect(state).toMatchObject({ status: 'FAILED', processedRows: 1000, error: 'row 1200 is poison' });
    expect(state.finishedAt).not.toBeNull();
  });

  it('gives up a job that keeps crashing after MAX attempts', async () => {
    const job = await newJob('flaky', 10);
    failures.set('flaky', { atRow: 5, times: 100 });
    const runner = new JobRunner(s.ctx, jobTypes);
    for (let i = 0; i < 8; i++) {
      await runner.runUntilIdle();
      clock.advance(3_600_000);
    }
    const state = (await findJob(s.ctx.db, job.id))!;
    expect(state.status).toBe('FAILED');
    expect(state.error).toContain('simulated crash at row 5');
    expect(await applied(job.id)).toEqual([]);
  });

  it('streams input chunk by chunk and is not claimable before the input is complete', async () => {
    const runner = new JobRunner(s.ctx, jobTypes, { owner: 'stream' });
    let claimedEarly: unknown = 'not checked';
    async function* source() {
      for (let n = 1; n <= 2500; n++) {
        if (n === 2100) claimedEarly = await runner.claim();
        yield { n, tag: 'stream' };
      }
    }
    const job = await createStreamedJob(s.ctx, { chainId: s.a.chain.id, type: 'test_counter', createdBy: 'test' }, source());
    expect(claimedEarly).toBeUndefined();
    expect(job.totalRows).toBe(2500);
    expect(await runner.runUntilIdle()).toBe(1);
    expect((await findJob(s.ctx.db, job.id))?.status).toBe('COMPLETED');
    expect(await applied(job.id)).toHaveLength(2500);
  });

  it('several runners share the queue; every row is applied exactly once', async () => {
    const jobs = await Promise.all([1, 2, 3, 4].map((i) => newJob(`par${i}`, 1200 + i)));
    const runners = [new JobRunner(s.ctx, jobTypes, { owner: 'p1' }), new JobRunner(s.ctx, jobTypes, { owner: 'p2' })];
    await Promise.all(runners.map((r) => r.runUntilIdle()));
    for (const [i, job] of jobs.entries()) {
      expect((await findJob(s.ctx.db, job.id))?.status).toBe('COMPLETED');
      expect(await applied(job.id)).toHaveLength(1200 + i + 1);
    }
  });
});

describe('declared job types', () => {
  const s = useTestContext({ chains: { a: 'Jobs typed' } });

  const Params = Type.Object({ label: Type.String() });
  const Cursor = Type.Object({ step: Type.Integer({ minimum: 0 }) });
  const seen: Array<{ label: string; cursor: { step: number } | null }> = [];
  const typedJob = defineJob({
    type: 'test_typed',
    params: Params,
    cursor: Cursor,
    completionEvent: 'CATALOG_JOB_COMPLETED',
    resultColumns: ['row', 'result'],
    downloadUrl: () => null,
    async step(_ctx, _trx, job, cursor) {
      seen.push({ label: job.params.label, cursor });
      const step = (cursor?.step ?? 0) + 1;
      return { done: step >= 2, cursor: { step }, processed: 0, errors: 0, counts: {} };
    },
  });
  const types = new JobTypes([typedJob]);
  const newTypedJob = (params: Record<string, unknown>) => s.ctx.db.transaction().execute((trx) => createJob(s.ctx, trx, { chainId: s.a.chain.id, type: 'test_typed', createdBy: 'test', params }));

  it('a step gets the decoded params and the previous cursor; the cursor is stored as JSON', async () => {
    const job = await newTypedJob({ label: 'ok' });
    const runner = new JobRunner(s.ctx, types, { owner: 'typed' });
    expect((await runner.claim())?.id).toBe(job.id);
    expect(await runner.step(job.id)).toBe('continue');
    expect((await findJob(s.ctx.db, job.id))?.cursor).toBe('{"step":1}');
    expect(await runner.step(job.id)).toBe('finished');
    expect(seen).toEqual([
      { label: 'ok', cursor: null },
      { label: 'ok', cursor: { step: 1 } },
    ]);
    expect((await findJob(s.ctx.db, job.id))?.status).toBe('COMPLETED');
  });

  it('a stored job whose params do not match its type ends FAILED with the mismatch, once', async () => {
    const job = await newTypedJob({ label: 42 });
    await new JobRunner(s.ctx, types).runUntilIdle();
    const state = (await findJob(s.ctx.db, job.id))!;
    expect(state).toMatchObject({ status: 'FAILED', attempts: 1 });
    expect(state.error).toBe('the stored params do not match the test_typed job type: /label must be string');
  });

  it('a stored cursor that does not match its type fails the job too', async () => {
    const job = await newTypedJob({ label: 'cursor' });
    await s.ctx.db.updateTable('jobs').set({ cursor: '{"step":"two"}' }).where('id', '=', job.id).execute();
    await new JobRunner(s.ctx, types).runUntilIdle();
    const state = (await findJob(s.ctx.db, job.id))!;
    expect(state.status).toBe('FAILED');
    expect(state.error).toBe('the stored cursor does not match the test_typed job type: /step must be integer');
  });

  it('a job of a type the list does not declare ends FAILED', async () => {
    const job = await s.ctx.db.transaction().execute((trx) => createJob(s.ctx, trx, { chainId: s.a.chain.id, type: 'test_unknown', createdBy: 'test' }));
    await new JobRunner(s.ctx, types).runUntilIdle();
    expect(await findJob(s.ctx.db, job.id)).toMatchObject({ status: 'FAILED', error: 'no handler registered for job type "test_unknown"' });
  });

  it('a job type is declared once; a completion event must be a job webhook event', () => {
    expect(() => new JobTypes([typedJob, typedJob])).toThrow('job type "test_typed" is declared twice');
    // @ts-expect-error not a job completion webhook event
    defineJob({ ...typedJob, completionEvent: 'RECEIVED' });
  });
});

describe('stored result chunks', () => {
  const s = useTestContext({ chains: { a: 'Jobs results' } });

  it('read back exactly as written (fields a result lacks stay absent), and chunks stored as arrays of objects still read', async () => {
    const job = await s.ctx.db.transaction().execute((trx) => createJob(s.ctx, trx, { chainId: s.a.chain.id, type: 'test_counter', createdBy: 'test' }, rows(1)));
    const written = [
      { row: 1, sku: 'A', result: 'UPDATED' },
      { row: 2, sku: 'B, "quoted"', barcode: '779', result: 'SKU_NOT_FOUND', message: 'sku B is not here' },
      { row: 3, result: 'INVALID_PRICE', message: 'price must be > 0', count: 0 },
    ];
    await insertResultChunk(s.ctx.db, job.id, 0, 0, written, 2);
    // A typical chunk (same fields on every result) takes about half the bytes of an array of objects.
    const typical = Array.from({ length: 100 }, (_, i) => ({ row: i + 2, vendor: 'bnch', sku: `SKU-${i}`, barcode: '', kind: 'catalog', result: 'UPDATED' }));
    await insertResultChunk(s.ctx.db, job.id, 9, 100, typical, 0);
    const stored = await s.ctx.db.selectFrom('job_results').select('results').where('job_id', '=', job.id).where('seq', '=', 9).executeTakeFirstOrThrow();
    expect(stored.results.length).toBeLessThan(JSON.stringify(typical).length * 0.6);
    expect((await readResultChunks(s.ctx.db, job.id, 100, 200))[0]!.results).toEqual(typical);
    // A chunk in the earlier format (a JSON array of result objects).
    await s.ctx.db.insertInto('job_results').values({ job_id: job.id, seq: 1, first_row: 3, row_count: 1, error_count: 0, results: JSON.stringify([{ row: 4, result: 'DONE', n: 4 }]) }).execute();
    const chunks = await readResultChunks(s.ctx.db, job.id, 0, 4);
    expect(chunks.map((c) => c.results)).toEqual([written, [{ row: 4, result: 'DONE', n: 4 }]]);
    expect(Object.keys(chunks[0]!.results[0]!)).toEqual(['row', 'sku', 'result']);
  });
});

function rows(n: number) {
  return Array.from({ length: n }, (_, i) => ({ n: i + 1, tag: 'results' }));
}
