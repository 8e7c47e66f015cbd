import { applyCatalogUpdates } from '../catalog/catalog-update.js';
import { jobResultsUrl } from '../catalog/catalog.jobs.js';
import type { AppContext } from '../context.js';
import type { Trx } from '../db/database.js';
import { insertResultChunk } from '../jobs/jobs.repository.js';
import { registerJobHandler } from '../jobs/jobs.registry.js';
import { JobFatalError, type Job, type JobHandler, type StepOutcome } from '../jobs/jobs.types.js';
import { listVendors } from '../vendors/vendors.repository.js';
import { CsvFileError } from './csv/csv-reader.js';
import { VendorDirectory, type DirectoryVendor } from './csv/file-scope.js';
import { formatResultLine, resultFileName, resultHeader } from './csv/results-csv.js';
import { createFile, findFileById, insertChunk, sealFile, touchFile, type SftpFile } from './sftp-files.repository.js';
import { processRows, SFTP_OK_RESULTS, type ApplyCatalog, type SftpRowResult } from './sftp-rows.processor.js';
import { preflightStoredCsv, StoredCsvRows } from './stored-csv.js';

export const SFTP_FILE_JOB = 'sftp_file';
export const SFTP_FILE_PROCESSED = 'SFTP_FILE_PROCESSED';
/** File rows per step (one transaction); a multi-vendor row yields one result per vendor. */
const STEP_ROWS = 5000;
const OK = new Set<string>(SFTP_OK_RESULTS);

interface Cursor {
  /** Typed rows of the file already applied. */
  rows: number;
  /** Result chunks written, and results in them. */
  seq: number;
  results: number;
  /** A whole-file refusal was recorded; the next step fails the job with this message. */
  refused?: string;
  /** results/<file>.result.csv while it is being written, and its length so far. */
  resultsFileId?: string;
  resultsPos?: number;
}

/**
 * Parse state kept between the steps of a job in this process, so each step continues where the
 * last one stopped. Keyed by job id and valid only for the cursor it reached: after a rollback, a
 * restart or a step on another node, the file is reopened and the applied rows skipped.
 */
const openFiles = new Map<string, StoredCsvRows>();

function applyCatalogIn(ctx: AppContext, trx: Trx, chainId: string): ApplyCatalog {
  return async (vendor: DirectoryVendor, rows) => {
    const results = await applyCatalogUpdates(ctx, trx, { id: vendor.id, chain_id: chainId }, rows, 0);
    return results.map((r) => ({ result: r.result, ...(r.message ? { message: r.message } : {}) }));
  };
}

/** Result lines as the results CSV text (one piece per step). */
function resultsText(results: readonly SftpRowResult[], withHeader: boolean): string {
  let text = withHeader ? resultHeader() : '';
  for (const r of results) {
    text += formatResultLine({ row: r.row, vendor: r.vendor, sku: r.sku, barcode: r.barcode, kind: r.kind, status: r.result, message: r.message ?? '' });
  }
  return text;
}

/**
 * Appends one step's results to results/<file>.result.csv, which is written as the job goes (one
 * chunk per step, in the step's transaction, its position kept in the cursor) and sealed — made
 * visible — by the last step. Nothing is re-read at the end, and a crash resumes at the cursor.
 */
async function appendResults(ctx: AppContext, trx: Trx, job: Job, cursor: Cursor, results: readonly SftpRowResult[]): Promise<void> {
  if (!cursor.resultsFileId) {
    const name = resultFileName(String(job.params.file_name));
    cursor.resultsFileId = (await createFile(trx, { chainId: job.chainId, folder: 'results', name, uploadedBy: null, now: ctx.clock.now() })).id;
    cursor.resultsPos = 0;
  }
  const text = resultsText(results, cursor.resultsPos === 0);
  if (!text) return;
  const data = Buffer.from(text, 'utf8');
  await insertChunk(trx, cursor.resultsFileId, cursor.resultsPos!, cursor.seq, data);
  cursor.resultsPos! += data.length;
  await touchFile(trx, cursor.resultsFileId, ctx.clock.now());
}

async function sealResults(ctx: AppContext, trx: Trx, cursor: Cursor): Promise<void> {
  const file = await findFileById(trx, cursor.resultsFileId!);
  if (!file) throw new Error('the results file being written disappeared');
  await sealFile(trx, file, cursor.resultsPos!, ctx.clock.now());
}

async function openRows(ctx: AppContext, trx: Trx, job: Job, file: SftpFile, cursor: Cursor): Promise<StoredCsvRows> {
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
export const sftpFileHandler: JobHandler = {
  type: SFTP_FILE_JOB,
  completionEvent: SFTP_FILE_PROCESSED,
  resultColumns: ['row', 'vendor', 'sku', 'barcode', 'kind', 'result', 'message'],
  downloadUrl: jobResultsUrl,
  async step(ctx, trx, job): Promise<StepOutcome> {
    const cursor: Cursor = job.cursor ? (JSON.parse(job.cursor) as Cursor) : { rows: 0, seq: 0, results: 0 };
    if (cursor.refused) throw new JobFatalError(cursor.refused);
    const fileId = String(job.params.file_id);
    const fileName = String(job.params.file_name);
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
      return { done: false, cursor: JSON.stringify({ ...next, seq: next.seq + 1, results: next.results + 1, refused: `${err.code}: ${err.message}` }), processed: 0, errors: 1, counts: { [err.code]: 1 } };
    }
    // About STEP_ROWS results per step, however many stores a multi-vendor row reaches.
    const batch = await rows.take(trx, Math.max(100, Math.floor(STEP_ROWS / rows.fanOut)));
    const results = await processRows(batch, applyCatalogIn(ctx, trx, job.chainId), undefined);
    const counts: Record<string, number> = {};
    let errors = 0;
    for (const r of results) {
      counts[r.result] = (counts[r.result] ?? 0) + 1;
      if (!OK.has(r.result)) errors++;
    }
    const next: Cursor = { ...cursor, rows: rows.consumed };
    if (results.length || !next.resultsFileId) {
      if (results.length) await insertResultChunk(trx, job.id, next.seq, next.results, results, errors);
      await appendResults(ctx, trx, job, next, results);
      next.seq++;
      next.results += results.length;
    }
    const done = rows.done;
    if (done) {
      openFiles.delete(job.id);
      await trx.updateTable('jobs').set({ total_rows: next.results }).where('id', '=', job.id).execute();
      await sealResults(ctx, trx, next);
    }
    return { done, cursor: JSON.stringify(next), processed: results.length, errors, counts };
  },
};

registerJobHandler(sftpFileHandler);


/** Drops the in-process parse state (tests: simulate a restart or another node between steps). */
export function forgetOpenFiles(): void {
  openFiles.clear();
}
