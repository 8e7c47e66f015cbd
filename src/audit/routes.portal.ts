import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../platform/context.js';
import { AppError } from '../platform/errors.js';
import { errors, PageNumber, sessionSecurity } from '../platform/http/schemas.js';
import { searchAudit } from './audit.repository.js';

const Params = Type.Object({ chainId: Type.String({ format: 'uuid' }) });
const AuditQuery = Type.Object(
  {
    actor: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'as stored: user:<id>, api-token:<id>, cli, …' })),
    action: Type.Optional(Type.String({ minLength: 1, maxLength: 100, pattern: '^[a-z_]+(\\.[a-z_]*)?$', description: 'an action (user.invite) or a family ending in a dot (catalog.)' })),
    from: Type.Optional(Type.String({ format: 'date-time', description: 'entries at or after' })),
    to: Type.Optional(Type.String({ format: 'date-time', description: 'entries before' })),
    page: Type.Optional(PageNumber()),
    page_size: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  },
  { additionalProperties: false },
);

/** Shops Integrations → audit log (chain admins). */
export function auditPortalRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/chains/:chainId/audit',
      {
        config: { chainRole: 'admin' }, schema: {
          tags: ['Portal: Shops Integrations'],
          summary: 'Audit log: tokens, clients, webhooks, stores, users, catalog and promotion edits; filters actor, action, date; paged',
          security: sessionSecurity,
          params: Params,
          querystring: AuditQuery,
          response: {
            200: Type.Object({
              entries: Type.Array(
                Type.Object({
                  id: Type.String(),
                  actor: Type.String(),
                  action: Type.String(),
                  target_type: Type.String(),
                  target_id: Type.Union([Type.String(), Type.Null()]),
                  details: Type.Record(Type.String(), Type.Unknown()),
                  created_at: Type.String(),
                }),
              ),
              pagination: Type.Object({ page: Type.Integer(), page_size: Type.Integer(), total_count: Type.Integer(), total_pages: Type.Integer() }),
            }),
            ...errors(401, 403, 404),
          },
        },
      },
      async (request) => {
        const q = request.query;
        const page = q.page ?? 1;
        const pageSize = q.page_size ?? 50;
        if (q.from && q.to && Date.parse(q.from) >= Date.parse(q.to)) throw new AppError('INVALID_TIME_WINDOW', 'query.to must be after query.from', { fields: [{ field: 'query.to', problem: 'before query.from' }] });
        const iso = (v: string | undefined) => (v ? new Date(v).toISOString() : undefined);
        const { entries, total } = await searchAudit(ctx.db, request.params.chainId, { actor: q.actor, action: q.action, from: iso(q.from), to: iso(q.to) }, page, pageSize);
        return { entries, pagination: { page, page_size: pageSize, total_count: total, total_pages: Math.ceil(total / pageSize) } };
      },
    );
  };
}
