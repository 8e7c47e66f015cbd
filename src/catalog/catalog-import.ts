import { parse } from 'csv-parse';
import type { Readable } from 'node:stream';
import type { AppContext } from '../platform/context.js';
import { AppError } from '../platform/errors.js';
import type { Vendor } from '../vendors/index.js';
import type { CategoryCache } from './categories.repository.js';
import { PRODUCT_OK_RESULTS, type CatalogRowResult } from './catalog.types.js';
import { productBodyFromCsv, type ProductBody } from './product-input.js';
import { applyProductRows } from './products.repository.js';

export const IMPORT_BATCH_ROWS = 1000;
const REQUIRED = ['sku', 'title', 'price'];

export interface ImportSummary {
  rows: number;
  error_rows: number;
  counts: Record<string, number>;
  seconds: number;
  rows_per_second: number;
}

/** Parser settings shared with the benchmark baseline: `,` or `;`, quotes, UTF-8 BOM, CRLF. */
export function catalogCsvParser() {
  return parse({
    columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()),
    bom: true,
    delimiter: [',', ';'],
    skip_empty_lines: true,
    max_record_size: 1024 * 1024,
  });
}

/**
 * `comanda catalog import`: streams a catalog CSV (the export format) into a vendor's assortment,
 * creating or updating products and the vendor's listings, one transaction per 1,000 rows with
 * multi-row statements. Memory stays flat whatever the file size. Bad rows are reported via
 * `onResult` and never stop the others; a structurally broken file stops with its line number.
 */
export async function importCatalogCsv(
  ctx: AppContext,
  vendor: Vendor,
  input: Readable,
  opts: { onError?: (r: CatalogRowResult) => void; batchRows?: number } = {},
): Promise<ImportSummary> {
  const started = process.hrtime.bigint();
  const batchRows = opts.batchRows ?? IMPORT_BATCH_ROWS;
  const ok = new Set<string>(PRODUCT_OK_RESULTS);
  const counts: Record<string, number> = {};
  const cache: CategoryCache = new Map();
  let rows = 0;
  let errorRows = 0;
  let batch: ProductBody[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const bodies = batch;
    batch = [];
    const results = await ctx.db.transaction().execute((trx) => applyProductRows(ctx, trx, vendor.chain_id, [vendor.id], bodies, rows - bodies.length, cache));
    for (const r of results) {
      counts[r.result] = (counts[r.result] ?? 0) + 1;
      if (!ok.has(r.result)) {
        errorRows++;
        opts.onError?.(r);
      }
    }
  };
  const parser = input.pipe(catalogCsvParser());
  input.on('error', (err) => parser.destroy(err));
  let checked = false;
  try {
    for await (const record of parser as AsyncIterable<Record<string, string>>) {
      if (!checked) {
        const missing = REQUIRED.filter((c) => !(c in record));
        if (missing.length) throw new AppError('VALIDATION_FAILED', `CSV header is missing column(s): ${missing.join(', ')}`);
        checked = true;
      }
      batch.push(productBodyFromCsv(record, vendor.locale));
      rows++;
      if (batch.length >= batchRows) await flush();
    }
    await flush();
  } catch (err) {
    if (err instanceof AppError) throw err;
    const e = err as Error & { code?: string; lines?: number };
    if (e.code && e.code.startsWith('CSV_')) throw new AppError('VALIDATION_FAILED', `CSV line ${e.lines ?? '?'}: ${e.message}`);
    throw err;
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { rows, error_rows: errorRows, counts, seconds, rows_per_second: Math.round(rows / Math.max(seconds, 1e-9)) };
}
