import client from 'prom-client';
import type { AppContext } from '../platform/context.js';
import type { BackgroundService } from '../platform/background-service.js';
import { uuid } from '../platform/secrets.js';
import { onJobFinished } from './jobs.events.js';
import { runJobStep } from './job-definition.js';
import type { JobTypes } from './jobs.registry.js';
import { claimJob, findJob, lockLeasedJob, releaseJob, writeJobProgress } from './jobs.repository.js';
import { onWake } from '../platform/wake.js';
import { JobFatalError, type Job } from './jobs.types.js';

/** A job that keeps failing (or crashing its worker) is given up after this many claims. */
export const MAX_JOB_ATTEMPTS = 5;

const metricsByRegistry = new WeakMap<client.Registry, { duration: client.Histogram<'type' | 'status'> }>();

function jobMetrics(ctx: AppContext) {
  let m = metricsByRegistry.get(ctx.metrics.registry);
  if (!m) {
    m = {
      duration: new client.Histogram({
        name: 'comanda_job_duration_seconds',
        help: 'Job duration from creation to finish, by type and final status',
        labelNames: ['type', 'status'] as const,
        buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
        registers: [ctx.metrics.registry],
      }),
    };
    metricsByRegistry.set(ctx.metrics.registry, m);
  }
  return m;
}

export interface JobRunnerOptions {
  /** Lease owner id; unique per runner (tests give names). */
  owner?: string;
}

/**
 * Claims runnable jobs and runs them step by step, each step in its own transaction that also
 * re-checks the lease and writes the cursor. Several runners (processes) may share a Postgres
 * database; SQLite has one writer, so one runner per process is the norm there.
 */
export class JobRunner implements BackgroundService {
  readonly name = 'job-runner';
  readonly owner: string;
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private readonly onQueued = () => this.wake?.();
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly ctx: AppContext,
    private readonly jobTypes: JobTypes,
    opts: JobRunnerOptions = {},
  ) {
    this.owner = opts.owner ?? `runner-${uuid()}`;
  }

  private leaseMs(): number {
    return this.ctx.config.jobLeaseSeconds * 1000;
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.unsubscribe = onWake('jobs', this.onQueued);
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.wake?.();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (this.running) {
      let worked = false;
      try {
        worked = await this.runOne();
      } catch (err) {
        this.ctx.log.error({ err }, 'job runner iteration failed');
      }
      if (!worked && this.running) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, this.ctx.config.jobPollMs);
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.wake = undefined;
      }
    }
  }

  /** Claims one job and runs it to its end (or until its lease is lost). False when nothing was runnable. */
  async runOne(): Promise<boolean> {
    const job = await this.claim();
    if (!job) return false;
    while (this.running || this.loop === undefined) {
      const state = await this.step(job.id);
      if (state !== 'continue') break;
      // Let HTTP requests in between steps (SQLite runs in this very thread).
      await new Promise((r) => setImmediate(r));
    }
    return true;
  }

  /** Runs jobs until none is runnable: for tests, the CLI and benchmarks. */
  async runUntilIdle(): Promise<number> {
    let n = 0;
    while (await this.runOne()) n++;
    return n;
  }

  /** Leases the oldest runnable job to this runner; gives up a job that exhausted its attempts. */
  async claim(): Promise<Job | undefined> {
    const job = await claimJob(this.ctx.db, this.ctx.dialect, this.owner, this.ctx.clock.now(), this.leaseMs());
    if (!job) return undefined;
    if (job.attempts > MAX_JOB_ATTEMPTS) {
      await this.fail(job.id, job.error ? `gave up after ${MAX_JOB_ATTEMPTS} attempts; last error: ${job.error}` : `gave up after ${MAX_JOB_ATTEMPTS} attempts`);
      return undefined;
    }
    if (!this.jobTypes.get(job.type)) {
      await this.fail(job.id, `no handler registered for job type "${job.type}"`);
      return undefined;
    }
    return job;
  }

  /**
   * One step of a leased job in one transaction: lock the job, check the lease, let the handler do
   * its part, write cursor + counts (+ final status and the completion event when done), commit.
   */
  async step(jobId: string): Promise<'continue' | 'finished' | 'lost'> {
    const ctx = this.ctx;
    try {
      return await ctx.db.transaction().execute(async (trx) => {
        const job = await lockLeasedJob(trx, ctx.dialect, jobId, this.owner);
        if (!job) return 'lost' as const;
        const handler = this.jobTypes.get(job.type);
        if (!handler) throw new JobFatalError(`no handler registered for job type "${job.type}"`);
        const outcome = await runJobStep(handler, ctx, trx, job);
        const now = ctx.clock.now();
        const counts = { ...job.counts };
        for (const [k, v] of Object.entries(outcome.counts)) counts[k] = (counts[k] ?? 0) + v;
        const next: Job = {
          ...job,
          cursor: outcome.cursor,
          processedRows: job.processedRows + outcome.processed,
          errorRows: job.errorRows + outcome.errors,
          counts,
          updatedAt: now.toISOString(),
        };
        if (outcome.done) {
          Object.assign(next, { status: 'COMPLETED', error: null, finishedAt: now.toISOString(), leaseOwner: null, leaseExpiresAt: null });
        }
        await writeJobProgress(trx, job, {
          cursor: next.cursor,
          processedRows: next.processedRows,
          errorRows: next.errorRows,
          counts,
          leaseExpiresAt: outcome.done ? null : new Date(now.getTime() + this.leaseMs()).toISOString(),
          now: now.toISOString(),
          ...(outcome.done ? { status: 'COMPLETED' as const, error: null, finished: true } : {}),
        });
        if (outcome.done) {
          await onJobFinished(ctx, trx, next, handler);
          jobMetrics(ctx).duration.observe({ type: job.type, status: 'COMPLETED' }, (now.getTime() - Date.parse(job.createdAt)) / 1000);
        }
        return outcome.done ? ('finished' as const) : ('continue' as const);
      });
    } catch (err) {
      const job = await findJob(ctx.db, jobId);
      const message = (err as Error).message ?? String(err);
      if (err instanceof JobFatalError || (job && job.attempts >= MAX_JOB_ATTEMPTS)) {
        ctx.log.warn({ err, job_id: jobId }, 'job failed');
        await this.fail(jobId, message);
        return 'finished';
      }
      // Retry later (another worker may take it): back off a little more on each attempt.
      ctx.log.warn({ err, job_id: jobId, attempts: job?.attempts }, 'job step failed; will retry');
      const now = ctx.clock.now();
      const retryAt = new Date(now.getTime() + 1000 * 2 ** Math.min(job?.attempts ?? 1, 6)).toISOString();
      await releaseJob(ctx.db, jobId, this.owner, retryAt, message, now.toISOString());
      return 'lost';
    }
  }

  /** Ends a job FAILED (keeping whatever rows it already committed) and announces it. */
  private async fail(jobId: string, message: string): Promise<void> {
    const ctx = this.ctx;
    await ctx.db.transaction().execute(async (trx) => {
      const job = await findJob(trx, jobId);
      if (!job || job.status === 'COMPLETED' || job.status === 'FAILED') return;
      const now = ctx.clock.now().toISOString();
      await writeJobProgress(trx, job, {
        cursor: job.cursor,
        processedRows: job.processedRows,
        errorRows: job.errorRows,
        counts: job.counts,
        leaseExpiresAt: null,
        now,
        status: 'FAILED',
        error: message.slice(0, 2000),
        finished: true,
      });
      const failed: Job = { ...job, status: 'FAILED', error: message.slice(0, 2000), finishedAt: now, leaseOwner: null, leaseExpiresAt: null };
      await onJobFinished(ctx, trx, failed, this.jobTypes.get(job.type));
      jobMetrics(ctx).duration.observe({ type: job.type, status: 'FAILED' }, (Date.parse(now) - Date.parse(job.createdAt)) / 1000);
    });
  }
}

/** Worker-role background service factory, for the job types of `jobTypes`. */
export function jobRunnerService(jobTypes: JobTypes): (ctx: AppContext) => BackgroundService {
  return (ctx) => new JobRunner(ctx, jobTypes);
}
