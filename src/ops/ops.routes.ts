import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { sql } from 'kysely';
import { Type } from 'typebox';
import type { AppContext } from '../platform/context.js';
import { migrationsApplied } from '../db/migrate.js';

const tags = ['Operations'];
/** Public: probes and scrapers send no credentials. */
const security: Array<Record<string, string[]>> = [];

export function opsRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get('/health/live', { schema: { operationId: 'getLiveness', tags, security, summary: 'The process is up', response: { 200: Type.Object({ status: Type.Literal('ok') }) } } }, async () => ({ status: 'ok' as const }));

    app.get(
      '/health/ready',
      {
        schema: {
          operationId: 'getReadiness',
          tags,
          security,
          summary: 'Database reachable and migrations applied',
          response: {
            200: Type.Object({ status: Type.Literal('ok'), database: Type.String() }),
            503: Type.Object({ status: Type.Literal('unavailable'), reason: Type.String() }),
          },
        },
      },
      async (_request, reply) => {
        try {
          await sql`select 1`.execute(ctx.db);
          if (!(await migrationsApplied(ctx.handle))) return reply.status(503).send({ status: 'unavailable' as const, reason: 'migrations pending' });
          return { status: 'ok' as const, database: ctx.dialect };
        } catch {
          return reply.status(503).send({ status: 'unavailable' as const, reason: 'database unreachable' });
        }
      },
    );

    app.get('/metrics', { schema: { operationId: 'getMetrics', tags, security, summary: 'Prometheus metrics', produces: ['text/plain'] } }, async (_request, reply) => {
      reply.header('content-type', ctx.metrics.registry.contentType);
      return ctx.metrics.registry.metrics();
    });
  };
}
