import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../platform/context.js';
import { Readable } from 'node:stream';

import { AppError } from '../platform/errors.js';
import { errors, sessionSecurity } from '../platform/http/schemas.js';
import { type Job, listChainJobs } from '../jobs/index.js';
import { findSealedFile, getSftpLogin, listFolder, readFileChunks, resultFileName, SFTP_FILE_JOB, SftpLogin } from '../sftp/index.js';

const tags = ['Portal: SFTP'];
const ChainParams = Type.Object({ chainId: Type.String({ format: 'uuid' }) });
const ResultParams = Type.Object({ chainId: Type.String({ format: 'uuid' }), name: Type.String({ minLength: 1, maxLength: 300 }) });
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);
const FileView = Type.Object({
  name: Type.String(),
  size: Type.Integer(),
  uploaded_at: Type.String(),
  job_id: Nullable(Type.String()),
  job_status: Nullable(Type.String()),
  processed_rows: Type.Integer(),
  error_rows: Type.Integer(),
  result_file: Nullable(Type.String({ description: 'name in results/, downloadable once it exists' })),
});
const JOBS_SCANNED = 1000;

/** Portal JSON API (admins): the chain's SFTP login and its Assortment/ file history with job status. */
export function sftpPortalRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/chains/:chainId/sftp/login',
      { config: { chainRole: 'admin' }, schema: { tags, summary: "The chain's SFTP login (never the password); 404 SFTP_LOGIN_NOT_FOUND when none", security: sessionSecurity, params: ChainParams, response: { 200: SftpLogin, ...errors(401, 403, 404) } } },
      async (request) => {
        return getSftpLogin(ctx, request.params.chainId);
      },
    );
    app.get(
      '/chains/:chainId/sftp/files',
      { config: { chainRole: 'admin' }, schema: { tags, summary: 'Uploaded files in Assortment/ (newest first) with their job status', security: sessionSecurity, params: ChainParams, response: { 200: Type.Object({ files: Type.Array(FileView) }), ...errors(401, 403, 404) } } },
      async (request) => {
        const chainId = request.params.chainId;
        const files = await listFolder(ctx.db, chainId, 'Assortment', 500);
        const results = new Set((await listFolder(ctx.db, chainId, 'results')).map((f) => f.name));
        // Read-only: the sftp_file jobs of this chain, keyed by the file they process.
        const { jobs } = await listChainJobs(ctx.db, chainId, { types: [SFTP_FILE_JOB] }, 1, JOBS_SCANNED);
        const byFile = new Map<string, Job>();
        for (const j of jobs) {
          const fileId = String(j.params.file_id ?? '');
          if (fileId && !byFile.has(fileId)) byFile.set(fileId, j);
        }
        const view = files.map((f) => {
          const j = byFile.get(f.id);
          const resultName = resultFileName(f.name);
          return {
            name: f.name,
            size: f.size,
            uploaded_at: f.sealedAt ?? f.createdAt,
            job_id: j?.id ?? null,
            job_status: j ? j.status : null,
            processed_rows: j ? j.processedRows : 0,
            error_rows: j ? j.errorRows : 0,
            result_file: results.has(resultName) ? resultName : null,
          };
        });
        view.sort((a, b) => (a.uploaded_at < b.uploaded_at ? 1 : -1));
        return { files: view };
      },
    );
    app.get(
      '/chains/:chainId/sftp/results/:name',
      { config: { chainRole: 'admin' }, schema: { tags, summary: 'Download results/<file>.result.csv', security: sessionSecurity, params: ResultParams, response: { 200: Type.String({ contentMediaType: 'text/csv' }), ...errors(401, 403, 404) } } },
      async (request, reply) => {
        const file = await findSealedFile(ctx.db, request.params.chainId, 'results', request.params.name);
        if (!file) throw new AppError('JOB_FILE_NOT_FOUND', `params.name: no results file "${request.params.name}"`);
        reply.header('content-type', 'text/csv; charset=utf-8');
        reply.header('content-disposition', `attachment; filename="${file.name.replace(/["\\\r\n]/g, '_')}"`);
        return reply.send(Readable.from(readFileChunks(ctx.db, file.id)) as never);
      },
    );
  };
}
