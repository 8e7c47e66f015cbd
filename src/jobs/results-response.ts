import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { ErrorCode } from '../platform/errors.js';
import { errors } from '../platform/http/schemas.js';

/** The answers of a job's result-log route: the log as JSON, or as CSV when asked for; `notFound` otherwise. */
export function jobResultsResponses(notFound: ErrorCode) {
  return {
    200: {
      description: 'results',
      content: {
        'application/json': { schema: Type.Object({ job_id: Type.String(), job_status: Type.String(), results: Type.Array(Type.Unknown()) }) },
        'text/csv': { schema: Type.String() },
      },
    },
    ...errors(notFound),
  };
}

/** True when the client asks for CSV (Accept names text/csv before any application/json). */
export function wantsCsv(request: FastifyRequest): boolean {
  const accept = String(request.headers.accept ?? '');
  return /text\/csv/i.test(accept) && !/application\/json/i.test(accept.split('text/csv')[0] ?? '');
}
