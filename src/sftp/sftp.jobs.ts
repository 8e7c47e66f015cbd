import { sql } from 'kysely';
import { applyCatalogUpdates, jobResultsUrl } from '../catalog/index.js';
import type { AppContext } from '../platform/context.js';
import type { Trx } from '../db/database.js';
import { Type, type Static } from 'typebox';
import { defineJob, insertEncodedResultChunk, insertResultChunk, JobFatalError, setJobTotalRows, type StepOutcome, type TypedJob } from '../jobs/index.js';
import { applyPromotionFileRows } from '../promotions/index.js';
import { zonedLocalToUtc } from '../platform/time-zone.js';
import { listVendors } from '../vendors/index.js';
import { CsvFileError } from './csv/csv-reader.js';
import { VendorDirectory, type DirectoryVendor } from './csv/file-scope.js';
import { encodeStepResults, formatResultLine, resultFileName, resultHeader, type StepResult } from './csv/results-csv.js';
import { createFile, findFileById, insertChunk, sealFile, touchFile, type SftpFile } from './sftp-files.repository.js';
import { processRows, SFTP_OK_RESULTS, type ApplyCatalog, type ApplyPromotions, type SftpRowResult } from './sftp-rows.processor.js';
import { preflightStoredCsv, StoredCsvRows } from './stored-csv.js';

export const SFTP_FILE_JOB = 'sftp_file';
/**
 * Results per step (one transaction); a multi-vendor row yields one result per vendor. SQLite runs in
 * this process, so a step's rows and results count in its RSS: smaller steps there (a step's objects are
 * what V8 promotes and grows its heap for). On Postgres a step costs round trips: bigger steps there.
 */
const STEP_ROWS = { sqlite: 2500, postgres: 5000 } as const;
const OK = new Set<string>(SFTP_OK_RESULTS);
/**
 * SQLite page cache (KiB) while a step runs. The connection's own 64 MB serves the API's reads; a
 * step walks the listings in file order and appends its results, so it needs few pages at once, and a
 * million-row file would otherwise fill all 64 MB of it (a fifth of the process's peak RSS).
 */
const STEP_CACHE_KIB = 8 * 1024;

/**
 * Runs `fn` with the SQLite connection's page cache lowered to STEP_CACHE_KIB (pages beyond it are
 * released), then gives the connection back its own size. The step's transaction holds the one
 * connection, so nothing else runs with the smaller cache. Postgres: just `fn`.
 */
async function withStepPageCache<T>(ctx: AppContext, trx: Trx, fn: () => Promise<T>): Promise<T> {
  if (ctx.dialect !== 'sqlite') return fn();
  const row = (await sql<{ cache_size: number }>`pragma cache_size`.execute(trx)).rows[0];
  const own = row ? Number(row.cache_size) : undefined;
  // Negative = KiB, positive = pages (of 4 KiB by default); leave an already small cache alone.
  if (own === undefined || (own < 0 ? -own : own * 4) <= STEP_CACHE_KIB) return fn();
  await sql.raw(`pragma cache_size = -${STEP_CACHE_KIB}`).execute(trx);
  try {
    return await fn();
  } finally {
    await sql.raw(`pragma cache_size = ${Math.trunc(own)}`).execute(trx);
  }
}

/** The uploaded file a job processes (see on-upload-closed.ts). */
const SftpFileParams = Type.Object({ file_id: Type.String(), file_name: Type.String(), size: Type.Optional(Type.Number()), results_file: Type.Optional(Type.String()) });
type SftpJob = TypedJob<Static<typeof SftpFileParams>>;

const SftpFileCursor = Type.Object({
  /** Typed rows of the file already applied. */
  rows: Type.Integer({ minimum: 0 }),
  /** Result chunks written, and results in them. */
  seq: Type.Integer({ minimum: 0 }),
  results: Type.Integer({ minimum: 0 }),
  /** A whole-file refusal was recorded; the next step fails the job with this message. */
  refused: Type.Optional(Type.String()),
  /** results/<file>.result.csv while it is being written, and its length so far. */
  resultsFileId: Type.Optional(Type.String()),
  resultsPos: Type.Optional(Type.Integer({ minimum: 0 })),
});
type Cursor = Static<typeof SftpFileCursor>;

/**
 * Parse state kept between the steps of a job in this process, so each step continues where the
 * last one stopped. Keyed by job id and valid only for the cursor it reached: after a rollback, a
 * restart or a step on another node, the file is reopened and the applied rows skipped.
 */
const openFiles = new Map<string, StoredCsvRows>();

function applyCatalogIn(ctx: AppContext, trx: Trx, chainId: string): ApplyCatalog {
  return async (vendor: DirectoryVendor, rows) => {
    // The catalog's own results carry result and message: handed back as they are (no copy per row).
    return applyCatalogUpdates(ctx, trx, { id: vendor.id, chain_id: chainId }, rows, 0);
  };
}

/**
 * Promotion rows go to the promotions domain, per vendor, in the step's transaction. File dates are
 * the vendor's wall-clock time; promotions are stored in UTC.
 */
function applyPromotionsIn(ctx: AppContext, trx: Trx, chainId: string): ApplyPromotions {
  let vendors: Promise<Map<string, { time_zone: string; locale: string }>> | undefined;
  return async (vendor, rows) => {
    vendors ??= listVendors(trx, chainId).then((list) => new Map(list.map((v) => [v.id, v])));
    const full = (await vendors).get(vendor.id);
    const timeZone = full?.time_zone ?? 'UTC';
    const results = await applyPromotionFileRows(
      ctx,
      trx,
      chainId,
      { id: vendor.id, code: vendor.code, locale: full?.locale ?? 'es_AR' },
      rows.map((r) => ({
        sku: r.sku,
        barcode: r.barcode,
        campaignName: r.campaignName,
        reason: r.reason,
        startTime: zonedLocalToUtc(r.startTime, timeZone),
        endTime: zonedLocalToUtc(r.endTime, timeZone),
        active: r.active,
        type: r.type,
        subType: r.subType,
        discountValue: r.discountValue,
        globalLimit: r.maxNoOfOrders,
        maxItemsPerOrder: r.maximumSalesQuantity,
      })),
    );
    return results.map((r) => ({ result: r.result, ...(r.message ? { message: r.message } : {}) }));
  };
}

/** Result lines as the results CSV text (the whole-file refusal's one line). */
function resultsText(results: readonly SftpRowResult[], withHeader: boolean): string {
  let text = withHeader ? resultHeader() : '';
  for (const r of results) {
    text += formatResultLine({ row: r.row, vendor: r.vendor, sku: r.sku, barcode: r.barcode, kind: r.kind, status: r.result, message: r.message ?? '' });
  }
  return text;
}

/** Creates results/<file>.result.csv (not visible until sealed) on the job's first write. */
async function ensureResultsFile(ctx: AppContext, trx: Trx, job: SftpJob, cursor: Cursor): Promise<void> {
  if (cursor.resultsFileId) return;
  const name = resultFileName(job.params.file_name);
  cursor.resultsFileId = (await createFile(trx, { chainId: job.chainId, folder: 'results', name, uploadedBy: null, now: ctx.clock.now() })).id;
  cursor.resultsPos = 0;
}

/**
 * Appends one step's results to results/<file>.result.csv, which is written as the job goes (one
 * chunk per step, in the step's transaction, its position kept in the cursor) and sealed — made
 * visible — by the last step. Nothing is re-read at the end, and a crash resumes at the cursor.
 */
async function appendResultsText(ctx: AppContext, trx: Trx, job: SftpJob, cursor: Cursor, text: string): Promise<void> {
  await ensureResultsFile(ctx, trx, job, cursor);
  if (!text) return;
  const data = Buffer.from(text, 'utf8');
  await insertChunk(trx, cursor.resultsFileId!, cursor.resultsPos!, cursor.seq, data);
  cursor.resultsPos! += data.length;
  await touchFile(trx, cursor.resultsFileId!, ctx.clock.now());
}

async function appendResults(ctx: AppContext, trx: Trx, job: SftpJob, cursor: Cursor, results: readonly SftpRowResult[]): Promise<void> {
  await ensureResultsFile(ctx, trx, job, cursor);
  await appendResultsText(ctx, trx, job, cursor, resultsText(results, cursor.resultsPos === 0));
}

async function sealResults(ctx: AppContext, trx: Trx, cursor: Cursor): Promise<void> {
  const file = await findFileById(trx, cursor.resultsFileId!);
  if (!file) throw new Error('the results file being written disappeared');
  await sealFile(trx, file, cursor.resultsPos!, ctx.clock.now());
}

async function openRows(ctx: AppContext, trx: Trx, job: SftpJob, file: SftpFile, cursor: Cursor): Promise<StoredCsvRows> {
  const cached = openFiles.get(job.id);
  if (cached && cached.consumed === cursor.rows) return cached;
  openFiles.delete(job.id);
  const opts = { maxLineBytes: ctx.config.csvMaxLineBytes };
  if (cursor.rows === 0) await preflightStoredCsv(trx, file, opts);
  const directory = new VendorDirectory(await listVendors(trx, job.chainId));
  const rows = await StoredCsvRows.open(trx, file, directory, opts);
  await rows.skip(trx, cursor.rows);
  // Bounded: a job that dies elsewhere (FAILED by the runner) leaves its entry behind.
  if (openFiles.size >= 16) openFiles.delete(openFiles.keys().next().value as string);
  openFiles.set(job.id, rows);
  return rows;
}

/**
 * An uploaded file as a job: each step applies the next STEP_ROWS rows (catalog rows through the
 * catalog bulk update, per vendor; promotion rows reported until promotions land) and stores their
 * results with the cursor in one transaction. The last step writes results/<file>.result.csv. A file
 * refused as a whole gets a one-line results file and the job ends FAILED with the reason.
 */
export const sftpFileHandler = defineJob({
  type: SFTP_FILE_JOB,
  params: SftpFileParams,
  cursor: SftpFileCursor,
  completionEvent: 'SFTP_FILE_PROCESSED',
  resultColumns: ['row', 'vendor', 'sku', 'barcode', 'kind', 'result', 'message'],
  downloadUrl: jobResultsUrl,
  resultsUrl: jobResultsUrl,
  okResults: SFTP_OK_RESULTS,
  step: (ctx, trx, job, cursor) => withStepPageCache(ctx, trx, () => sftpStep(ctx, trx, job, cursor ?? { rows: 0, seq: 0, results: 0 })),
});

async function sftpStep(ctx: AppContext, trx: Trx, job: SftpJob, cursor: Cursor): Promise<StepOutcome<Cursor>> {
  if (cursor.refused) throw new JobFatalError(cursor.refused);
  const fileId = job.params.file_id;
  const fileName = job.params.file_name;
  const file = await findFileById(trx, fileId);
  if (!file) throw new JobFatalError(`the uploaded file ${fileName} is no longer stored`);
  let rows: StoredCsvRows;
  try {
    rows = await openRows(ctx, trx, job, file, cursor);
  } catch (err) {
    if (!(err instanceof CsvFileError)) throw err;
    const refusal: SftpRowResult = { row: 0, vendor: '', sku: '', barcode: '', kind: 'file', result: err.code, message: err.message };
    const next: Cursor = { ...cursor };
    await insertResultChunk(trx, job.id, next.seq, next.results, [refusal], 1);
    await appendResults(ctx, trx, job, next, [refusal]);
    await sealResults(ctx, trx, next);
    return { done: false, cursor: { ...next, seq: next.seq + 1, results: next.results + 1, refused: `${err.code}: ${err.message}` }, processed: 0, errors: 1, counts: { [err.code]: 1 } };
  }
  // About STEP_ROWS results per step, however many stores a multi-vendor row reaches.
  const batch = await rows.take(trx, Math.max(100, Math.floor(STEP_ROWS[ctx.dialect] / rows.fanOut)));
  const results = await processRows(batch, applyCatalogIn(ctx, trx, job.chainId), applyPromotionsIn(ctx, trx, job.chainId));
  const next: Cursor = { ...cursor, rows: rows.consumed };
  await ensureResultsFile(ctx, trx, job, next);
  // The job_results chunk and the results CSV lines, encoded in one pass.
  const { csv, json, errors, counts } = encodeStepResults(results as readonly StepResult[], next.resultsPos === 0, OK);
  if (results.length || next.resultsPos === 0) {
    if (results.length) await insertEncodedResultChunk(trx, job.id, next.seq, next.results, results.length, errors, json);
    await appendResultsText(ctx, trx, job, next, csv);
    next.seq++;
    next.results += results.length;
  }
  const done = rows.done;
  if (done) {
    openFiles.delete(job.id);
    await setJobTotalRows(trx, job.id, next.results);
    await sealResults(ctx, trx, next);
  }
  return { done, cursor: next, processed: results.length, errors, counts };
}

/** Drops the in-process parse state (tests: simulate a restart or another node between steps). */
export function forgetOpenFiles(): void {
  openFiles.clear();
}
