import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../platform/context.js';
import { Readable } from 'node:stream';
import { actorOf } from '../platform/access.js';

import { AppError } from '../platform/errors.js';
import { chainVendor } from '../vendors/index.js';
import { errors, sessionSecurity } from '../platform/http/schemas.js';
import { type Job, listChainJobs } from '../jobs/index.js';
import { resultFileName } from './csv/results-csv.js';
import { findSealedFile, listFolder, readFileChunks } from './sftp-files.repository.js';
import { FileTooLargeError, QuotaExceededError, storeUpload } from './sftp-files.service.js';
import { SftpLogin } from './sftp-users.schemas.js';
import { getSftpLogin } from './sftp-users.service.js';
import { SFTP_FILE_JOB } from './sftp.jobs.js';
import { isStorableFileName } from './vfs.js';

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

/**
 * Portal JSON API (staff and admins), on the catalog page: uploading a catalog or promotions CSV file,
 * stored in Assortment/ and processed exactly like one sent by SFTP.
 */
export function sftpUploadPortalRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  const vendorOf = (chainId: string, vendorId: string) => chainVendor(ctx.db, chainId, vendorId);
  return async (app) => {
    // CSV uploads arrive as the raw file; the handler streams it into storage (never whole in memory).
    app.addContentTypeParser(['text/csv', 'application/octet-stream'], (_request, payload, done) => done(null, payload));

    app.post(
      '/chains/:chainId/catalog/uploads',
      {
        config: { chainRole: 'staff' },
        schema: {
          tags: ['Portal: Catalog'],
          summary: 'Upload a catalog or promotions CSV file: stored in Assortment/ and processed exactly like an SFTP upload (sftp_file job, per-row results, results file)',
          description:
            'Body: the file itself (Content-Type text/csv). `name` follows the SFTP rules (<prefix>_<store>.csv for one store, <prefix>.csv with a vendors column); ' +
            'with `vendor_id` the file is stored as <prefix>_<store code>.csv so it applies to that store.',
          security: sessionSecurity,
          params: ChainParams,
          querystring: Type.Object({ name: Type.String({ minLength: 5, maxLength: 150 }), vendor_id: Type.Optional(Type.String({ format: 'uuid' })) }, { additionalProperties: false }),
          response: { 202: Type.Object({ job_id: Type.String(), file_name: Type.String() }), ...errors(401, 403, 404, 413, 415, 'QUOTA_EXCEEDED') },
        },
      },
      async (request, reply) => {
        const chainId = request.params.chainId;
        const body = request.body as Readable | undefined;
        if (!body || typeof (body as Readable).pipe !== 'function') throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send the file itself with Content-Type: text/csv');
        const name = await uploadName(request.query.name, request.query.vendor_id, (id) => vendorOf(chainId, id));
        try {
          const { file, jobId } = await storeUpload(ctx, { chainId, name, actor: actorOf(request) }, body as AsyncIterable<Buffer>);
          return reply.status(202).send({ job_id: jobId, file_name: file.name });
        } catch (err) {
          if (err instanceof QuotaExceededError) throw new AppError('QUOTA_EXCEEDED', err.message.replace(/^QUOTA_EXCEEDED: /, ''));
          if (err instanceof FileTooLargeError) throw new AppError('BODY_TOO_LARGE', `The file is larger than ${err.maxBytes} bytes`);
          throw err;
        }
      },
    );
  };
}

/** The stored name: the given one (SFTP rules), or `<stem>_<store code>.csv` when a store is chosen. */
async function uploadName(given: string, vendorId: string | undefined, vendorOf: (id: string) => Promise<{ code: string; external_id: string | null }>): Promise<string> {
  const bad = (problem: string): never => {
    throw new AppError('VALIDATION_FAILED', `query.name ${problem}`, { fields: [{ field: 'query.name', problem }] });
  };
  const name = given.trim();
  if (!/\.csv$/i.test(name)) bad('must end in .csv');
  if (!isStorableFileName(name)) bad('may contain only letters, digits, space and . _ ( ) + - (not starting with . or -)');
  if (!vendorId) return name;
  const vendor = await vendorOf(vendorId);
  const stem = name.slice(0, -4);
  const endsInStore = [vendor.code, vendor.external_id].some((ref) => ref && stem.endsWith(`_${ref}`));
  return endsInStore ? name : `${stem}_${vendor.code}.csv`;
}
