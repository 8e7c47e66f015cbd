import type { AppContext } from '../platform/context.js';
import type { Executor, Trx } from '../db/database.js';
import type { RefusedRows } from './refused-rows.js';

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

/** What one step did; the runner writes it to the job row in the step's own transaction. */
export interface StepOutcome {
  done: boolean;
  cursor: string | null;
  processed: number;
  errors: number;
  /** Added to the job's counts (per result code). */
  counts: Record<string, number>;
}

/**
 * A job type. `step` runs inside a transaction the runner opens (and commits together with the new
 * cursor and counts), so a crash between steps resumes exactly where the last commit left off.
 */
export interface JobHandler {
  readonly type: string;
  /** Webhook event type emitted when a job of this type finishes (COMPLETED or FAILED). */
  readonly completionEvent: string;
  /** Columns of the per-row results CSV, in order. */
  readonly resultColumns: readonly string[];
  step(ctx: AppContext, trx: Trx, job: Job): Promise<StepOutcome>;
  /** Link partners follow when the job is done (results or the exported file). */
  downloadUrl(ctx: AppContext, job: Job): string | null;
  /** Result codes that are not refusals (row jobs): the others are listed as refused rows. */
  readonly okResults?: readonly string[];
  /** Where the full per-row result log is (refused rows point there past the first 1,000). */
  resultsUrl?(ctx: AppContext, job: Job): string;
  /** The first `limit` refused rows, for job types that keep them elsewhere than in result chunks. */
  refusedRows?(db: Executor, job: Job, limit: number): Promise<RefusedRows>;
}

/** Thrown by a handler when retrying cannot help: the job ends FAILED with this message. */
export class JobFatalError extends Error {
  override name = 'JobFatalError';
}
