import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../platform/context.js';
import { actorOf } from '../platform/access.js';
import { AppError } from '../platform/errors.js';
import { errors, sessionSecurity } from '../platform/http/schemas.js';
import { findCertification, listCertifications } from './certify.repository.js';
import { startCertification } from './certify.service.js';
import { reportHtml } from './report-html.js';

const tags = ['Portal: Shops Integrations'];
const ChainParams = Type.Object({ chainId: Type.String({ format: 'uuid' }) });
const RunParams = Type.Object({ chainId: Type.String({ format: 'uuid' }), certificationId: Type.String({ format: 'uuid' }) });
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);
const Summary = Type.Object({
  id: Type.String(),
  vendor_id: Type.String(),
  vendor_code: Type.String(),
  vendor_name: Type.String(),
  status: Type.Union([Type.Literal('RUNNING'), Type.Literal('PASSED'), Type.Literal('FAILED')]),
  passed_checks: Type.Integer(),
  failed_checks: Type.Integer(),
  created_by: Type.String(),
  started_at: Type.String(),
  finished_at: Nullable(Type.String()),
});
const Localized = Type.Object({ es: Type.String(), en: Type.String() });
const Report = Type.Object({
  id: Type.String(),
  chain_id: Type.String(),
  vendor: Type.Object({ id: Type.String(), code: Type.String(), name: Type.String(), external_id: Nullable(Type.String()) }),
  status: Type.String(),
  started_at: Type.String(),
  finished_at: Type.String(),
  timeout_seconds: Type.Integer(),
  endpoint: Type.Union([Type.Object({ id: Type.String(), url: Type.String() }), Type.Null()]),
  summary: Type.Object({ passed: Type.Integer(), failed: Type.Integer(), failed_checks: Type.Array(Type.String()) }),
  checks: Type.Array(
    Type.Object({
      id: Type.String(),
      group: Type.String(),
      title: Localized,
      pass: Type.Boolean(),
      evidence: Type.Array(Type.String()),
      order_id: Type.Optional(Type.String()),
      order_code: Type.Optional(Type.String()),
    }),
  ),
});
const StartBody = Type.Object(
  {
    vendor: Type.String({ minLength: 1, maxLength: 64, description: 'the test store: platform code or external id' }),
    timeout_seconds: Type.Optional(Type.Integer({ minimum: 10, maximum: 900, default: 120, description: 'how long to wait for the integration' })),
  },
  { additionalProperties: false },
);

/** Shops Integrations → Homologación / Certification (chain admins): start a run, list runs by date, read a report (JSON or printable HTML). */
export function certificationPortalRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/chains/:chainId/certifications',
      { config: { chainRole: 'admin' }, schema: { tags, summary: "The chain's certification runs, newest first", security: sessionSecurity, params: ChainParams, response: { 200: Type.Object({ certifications: Type.Array(Summary) }), ...errors(401, 403, 404) } } },
      async (request) => {
        return { certifications: await listCertifications(ctx.db, request.params.chainId) };
      },
    );

    app.post(
      '/chains/:chainId/certifications',
      {
        config: { chainRole: 'admin' },
        schema: {
          tags,
          summary: 'Start a certification run on a test store (answers at once; the run takes up to timeout_seconds)',
          security: sessionSecurity,
          params: ChainParams,
          body: StartBody,
          response: { 202: Type.Object({ certification: Summary }), ...errors(401, 403, 'VENDOR_NOT_FOUND', 'CERTIFICATION_RUNNING', 'NOT_A_TEST_STORE') },
        },
      },
      async (request, reply) => {
        const chainId = request.params.chainId;
        const run = await startCertification(ctx, chainId, request.body.vendor, actorOf(request), { timeoutMs: (request.body.timeout_seconds ?? 120) * 1000 });
        run.done.catch((err: unknown) => ctx.log.error({ err, certification: run.id }, 'certification not stored'));
        const found = await findCertification(ctx.db, chainId, run.id);
        return reply.status(202).send({ certification: found!.summary });
      },
    );

    app.get(
      '/chains/:chainId/certifications/:certificationId',
      {
        config: { chainRole: 'admin' },
        schema: {
          tags,
          summary: 'One run: its summary and, once finished, the report with pass/fail and the evidence per check',
          security: sessionSecurity,
          params: RunParams,
          response: { 200: Type.Object({ certification: Summary, report: Type.Union([Report, Type.Null()]) }), ...errors(401, 403, 404, 'CERTIFICATION_NOT_FOUND') },
        },
      },
      async (request) => {
        const found = await findCertification(ctx.db, request.params.chainId, request.params.certificationId);
        if (!found) throw new AppError('CERTIFICATION_NOT_FOUND');
        return { certification: found.summary, report: found.report };
      },
    );

    app.get(
      '/chains/:chainId/certifications/:certificationId/report.html',
      {
        config: { chainRole: 'admin' },
        schema: {
          tags,
          summary: 'The printable HTML report of a finished run',
          security: sessionSecurity,
          params: RunParams,
          response: { 200: { description: 'the report', content: { 'text/html': { schema: Type.String() } } }, ...errors(401, 403, 404, 'CERTIFICATION_NOT_FOUND') },
        },
      },
      async (request, reply) => {
        const found = await findCertification(ctx.db, request.params.chainId, request.params.certificationId);
        if (!found?.report) throw new AppError('CERTIFICATION_NOT_FOUND', found ? 'The run has not finished yet' : undefined);
        reply.header('content-type', 'text/html; charset=utf-8');
        reply.header('content-disposition', `inline; filename="certification-${found.report.vendor.code}-${found.report.started_at.slice(0, 10)}.html"`);
        return reply.send(reportHtml(found.report));
      },
    );
  };
}
