import type { AppContext } from '../platform/context.js';
import { Type } from 'typebox';
import { defineJob, insertOutputChunk, type Job, rowJobHandler } from '../jobs/index.js';
import { categoryPaths } from './categories.repository.js';
import { applyCatalogUpdates, type CatalogUpdateRow } from './catalog-update.js';
import { CATALOG_RESULT_COLUMNS, PRODUCT_OK_RESULTS, UPDATE_OK_RESULTS, type CatalogRowResult } from './catalog.types.js';
import { csvLine } from '../platform/csv/csv-writer.js';
import { listingsAfter } from './listings.repository.js';
import { CATALOG_CSV_COLUMNS, exportValues, type ProductBody } from './product-input.js';
import { applyProductRows } from './products.repository.js';

export const CATALOG_UPDATE_JOB = 'catalog_update';
export const PRODUCT_CREATE_JOB = 'product_create';
export const CATALOG_EXPORT_JOB = 'catalog_export';
/** Listings per export step (one output chunk, one transaction). */
const EXPORT_PAGE = 2000;

/** Where partners fetch a job's per-row results. */
export function jobResultsUrl(ctx: AppContext, job: Job): string {
  return `${ctx.config.publicUrl}/v2/chains/${job.chainId}/catalog/jobs/${job.id}/results`;
}

/** Where partners fetch an export's file (authenticated with their token). */
export function jobDownloadUrl(ctx: AppContext, job: Job): string {
  return `${ctx.config.publicUrl}/v2/chains/${job.chainId}/catalog/jobs/${job.id}/download`;
}

/** Params of a vendor's catalog update (the vendor itself is the job's vendor). */
export const CatalogUpdateParams = Type.Object({ vendor_code: Type.Optional(Type.String()) });
/** Params of a chain-wide product creation: the vendors to list the products on. */
export const ProductCreateParams = Type.Object({ vendor_ids: Type.Optional(Type.Array(Type.String())), vendor_codes: Type.Optional(Type.Array(Type.String())) });
/** Params of a vendor's catalog export. */
export const CatalogExportParams = Type.Object({ vendor_code: Type.Optional(Type.String()), locale: Type.Optional(Type.String()) });
/** An export's cursor: output chunks written, and the last SKU exported. */
const CatalogExportCursor = Type.Object({ seq: Type.Integer({ minimum: 0 }), after: Type.Union([Type.String(), Type.Null()]) });

export const catalogUpdateHandler = rowJobHandler<typeof CatalogUpdateParams, CatalogUpdateRow>({
  type: CATALOG_UPDATE_JOB,
  params: CatalogUpdateParams,
  completionEvent: 'CATALOG_JOB_COMPLETED',
  resultColumns: CATALOG_RESULT_COLUMNS,
  okResults: UPDATE_OK_RESULTS,
  downloadUrl: jobResultsUrl,
  resultsUrl: jobResultsUrl,
  processRows: (ctx, trx, job, rows, firstRow) => applyCatalogUpdates(ctx, trx, { id: job.vendorId!, chain_id: job.chainId }, rows, firstRow) as Promise<Array<CatalogRowResult & Record<string, string | number>>>,
});

export const productCreateHandler = rowJobHandler<typeof ProductCreateParams, ProductBody>({
  type: PRODUCT_CREATE_JOB,
  params: ProductCreateParams,
  completionEvent: 'PRODUCT_JOB_COMPLETED',
  resultColumns: CATALOG_RESULT_COLUMNS,
  okResults: PRODUCT_OK_RESULTS,
  downloadUrl: jobResultsUrl,
  resultsUrl: jobResultsUrl,
  processRows: (ctx, trx, job, rows, firstRow) =>
    applyProductRows(ctx, trx, job.chainId, job.params.vendor_ids ?? [], rows, firstRow) as Promise<Array<CatalogRowResult & Record<string, string | number>>>,
});

/**
 * Full export of a vendor's catalog as CSV (the `comanda catalog import` format, so it re-imports
 * unchanged). Each step writes the next page as one output chunk and remembers the last SKU, so a
 * crash resumes without duplicating or skipping lines. The file lives in the database, so any API
 * node serves the download.
 */
export const catalogExportHandler = defineJob({
  type: CATALOG_EXPORT_JOB,
  params: CatalogExportParams,
  cursor: CatalogExportCursor,
  completionEvent: 'EXPORT_JOB_COMPLETED',
  resultColumns: ['row', 'result', 'message'],
  downloadUrl: jobDownloadUrl,
  resultsUrl: jobResultsUrl,
  async step(ctx, trx, job, cursor) {
    const state = cursor ?? { seq: 0, after: null };
    const locale = job.params.locale ?? 'es_AR';
    const page = await listingsAfter(trx, job.vendorId!, state.after, EXPORT_PAGE);
    const paths = await categoryPaths(trx, job.chainId, page.flatMap((e) => e.categoryIds));
    let data = state.seq === 0 ? csvLine(CATALOG_CSV_COLUMNS) : '';
    for (const e of page) {
      data += csvLine(
        exportValues(
          {
            sku: e.sku,
            barcodes: e.barcodes,
            title: e.title,
            description: e.description,
            categoryPaths: e.categoryIds.map((id) => paths.get(id)).filter((p): p is string => p !== undefined),
            brand: e.brand,
            imageUrl: e.imageUrl,
            isSoldByWeight: e.isSoldByWeight,
            weightSpecifications: e.weightSpecifications,
            vatPercent: e.vatPercent,
            priceMilli: e.priceMilli,
            active: e.active,
            salesBuffer: e.salesBuffer,
            maximumSalesQuantity: e.maximumSalesQuantity,
          },
          locale,
        ),
      );
    }
    if (data) await insertOutputChunk(trx, job.id, state.seq, data);
    const done = page.length < EXPORT_PAGE;
    const next = { seq: data ? state.seq + 1 : state.seq, after: page.length ? page[page.length - 1]!.sku : state.after };
    return { done, cursor: next, processed: page.length, errors: 0, counts: (page.length ? { EXPORTED: page.length } : {}) as Record<string, number> };
  },
});
