import type { AppContext } from '../platform/context.js';
import type { Static, TSchema } from 'typebox';
import type { Executor, Trx } from '../db/database.js';
import type { JOB_EVENT_TYPES } from '../webhooks/index.js';
import type { RefusedRows } from './refused-rows.js';

/** The webhook event a finished job announces itself with. */
export type JobCompletionEvent = (typeof JOB_EVENT_TYPES)[number];

export const JOB_STATUSES = ['QUEUED', 'PROCESSING', 'COMPLETED', 'FAILED'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/** Default rows per stored input chunk = rows per processing transaction (a job type may choose more). */
export const JOB_CHUNK_ROWS = 1000;

/** A job as services see it (camelCase, dialect-normalised). */
export interface Job {
  id: string;
  chainId: string;
  vendorId: string | null;
  type: string;
  status: JobStatus;
  params: Record<string, unknown>;
  inputComplete: boolean;
  totalRows: number;
  processedRows: number;
  errorRows: number;
  counts: Record<string, number>;
  cursor: string | null;
  attempts: number;
  leaseOwner: string | null;
  leaseExpiresAt: string | null;
  error: string | null;
  createdBy: string;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  updatedAt: string;
}

/** One input row's outcome. `row` is 1-based; other fields are whatever the job type reports. */
export interface JobRowResult {
  row: number;
  result: string;
  message?: string;
  [field: string]: string | number | undefined;
}

/** A job as its type's `step` sees it: the params decoded to the type's schema, the cursor apart. */
export type TypedJob<Params> = Omit<Job, 'params' | 'cursor'> & { readonly params: Params };

/** What one step did; the runner writes it to the job row in the step's own transaction. */
export interface StepOutcome<Cursor> {
  done: boolean;
  /** Where the next step starts (stored as JSON text in jobs.cursor). */
  cursor: Cursor | null;
  processed: number;
  errors: number;
  /** Added to the job's counts (per result code). */
  counts: Record<string, number>;
}

/**
 * A job type as declared with defineJob (job-definition.ts). `step` runs inside a transaction the
 * runner opens (and commits together with the new cursor and counts), so a crash between steps
 * resumes exactly where the last commit left off. The runner decodes the stored params and cursor
 * against `params` and `cursor` before each step, and encodes the cursor the step returns.
 */
export interface JobDefinition<P extends TSchema, C extends TSchema> {
  readonly type: string;
  /** Schema of the job's params (jobs.params). */
  readonly params: P;
  /** Schema of the cursor between steps (jobs.cursor, as JSON); null before the first step. */
  readonly cursor: C;
  /** Webhook event type emitted when a job of this type finishes (COMPLETED or FAILED). */
  readonly completionEvent: JobCompletionEvent;
  /** Columns of the per-row results CSV, in order. */
  readonly resultColumns: readonly string[];
  step(ctx: AppContext, trx: Trx, job: TypedJob<Static<P>>, cursor: Static<C> | null): Promise<StepOutcome<Static<C>>>;
  /** Link partners follow when the job is done (results or the exported file). */
  downloadUrl(ctx: AppContext, job: Job): string | null;
  /** Result codes that are not refusals (row jobs): the others are listed as refused rows. */
  readonly okResults?: readonly string[];
  /** Where the full per-row result log is (refused rows point there past the first 1,000). */
  resultsUrl?(ctx: AppContext, job: Job): string;
  /** The first `limit` refused rows, for job types that keep them elsewhere than in result chunks. */
  refusedRows?(db: Executor, job: Job, limit: number): Promise<RefusedRows>;
}

/** Checks a decoded value against a schema (compiled once per job type). */
export interface JobValueCheck {
  check(value: unknown): boolean;
  /** The first mismatch, for the FAILED message. */
  firstError(value: unknown): string;
}

/** A declared job type, whatever its params and cursor: what the runner and the job views work with. */
export interface JobHandler<P extends TSchema = TSchema, C extends TSchema = TSchema> extends JobDefinition<P, C> {
  readonly checkParams: JobValueCheck;
  readonly checkCursor: JobValueCheck;
}

/** Thrown by a handler when retrying cannot help: the job ends FAILED with this message. */
export class JobFatalError extends Error {
  override name = 'JobFatalError';
}
