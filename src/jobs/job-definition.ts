import type { Static, TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import type { AppContext } from '../platform/context.js';
import type { Trx } from '../db/database.js';
import { JobFatalError, type Job, type JobDefinition, type JobHandler, type JobValueCheck, type StepOutcome, type TypedJob } from './jobs.types.js';

function valueCheck(schema: TSchema): JobValueCheck {
  const compiled = Compile(schema);
  return {
    check: (value) => compiled.Check(value),
    firstError: (value) => {
      const [e] = compiled.Errors(value);
      return e ? `${e.instancePath || '/'} ${e.message}` : 'does not match';
    },
  };
}

/**
 * Declares a job type: its params and cursor schemas, its completion event and how one step runs.
 * The result goes into the composition layer's job list; nothing is registered by importing it.
 */
export function defineJob<P extends TSchema, C extends TSchema>(definition: JobDefinition<P, C>): JobHandler<P, C> {
  return { ...definition, checkParams: valueCheck(definition.params), checkCursor: valueCheck(definition.cursor) };
}

/** The job's stored params as its type declares them; a stored job whose params don't match fails. */
export function decodeJobParams<P extends TSchema>(handler: JobHandler<P, TSchema>, job: Job): Static<P> {
  if (!handler.checkParams.check(job.params)) {
    throw new JobFatalError(`the stored params do not match the ${handler.type} job type: ${handler.checkParams.firstError(job.params)}`);
  }
  return job.params as Static<P>;
}

/** The job's stored cursor (JSON text) as its type declares it; null before the first step. */
export function decodeJobCursor<C extends TSchema>(handler: JobHandler<TSchema, C>, job: Job): Static<C> | null {
  if (job.cursor === null) return null;
  let value: unknown;
  try {
    value = JSON.parse(job.cursor);
  } catch {
    throw new JobFatalError(`the stored cursor of this ${handler.type} job is not JSON`);
  }
  if (!handler.checkCursor.check(value)) {
    throw new JobFatalError(`the stored cursor does not match the ${handler.type} job type: ${handler.checkCursor.firstError(value)}`);
  }
  return value as Static<C>;
}

/** The cursor a step returned, as stored in jobs.cursor. */
export function encodeJobCursor<C extends TSchema>(handler: JobHandler<TSchema, C>, cursor: Static<C> | null): string | null {
  if (cursor === null) return null;
  if (!handler.checkCursor.check(cursor)) {
    throw new JobFatalError(`a ${handler.type} step returned a cursor its type does not declare: ${handler.checkCursor.firstError(cursor)}`);
  }
  return JSON.stringify(cursor);
}

/**
 * One step of a job through its declared type: params and cursor decoded and checked, the typed step
 * run, the next cursor encoded. What the runner calls inside the step's transaction.
 */
export async function runJobStep<P extends TSchema, C extends TSchema>(handler: JobHandler<P, C>, ctx: AppContext, trx: Trx, job: Job): Promise<StepOutcome<string>> {
  const params = decodeJobParams(handler, job);
  const cursor = decodeJobCursor(handler, job);
  const { cursor: _stored, ...rest } = job;
  const typed: TypedJob<Static<P>> = { ...rest, params };
  const outcome = await handler.step(ctx, trx, typed, cursor);
  return { ...outcome, cursor: encodeJobCursor(handler, outcome.cursor) };
}
