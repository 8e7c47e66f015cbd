import type { DirectoryVendor } from './csv/file-scope.js';
import type { CatalogRow, PromotionRow, TypedRow } from './csv/rows.js';

/** One line of a processed file's result: a row × vendor outcome (a row error has one, vendor-less). */
export interface SftpRowResult {
  [field: string]: string | number | undefined;
  row: number;
  vendor: string;
  sku: string;
  barcode: string;
  kind: 'catalog' | 'promotion' | 'file' | '';
  result: string;
  message?: string;
}

/** Result codes that are not errors. */
export const SFTP_OK_RESULTS = ['UPDATED', 'UNCHANGED', 'CREATED', 'DEACTIVATED'] as const;

/** Per-vendor listing update for CSV catalog rows, applied inside the step's transaction. */
export interface CatalogUpdateInput {
  sku?: string;
  barcode?: string;
  price?: number;
  active?: boolean;
  quantity?: number;
  maximum_sales_quantity?: number;
}
export type ApplyCatalog = (vendor: DirectoryVendor, rows: CatalogUpdateInput[]) => Promise<Array<{ result: string; message?: string }>>;
/** Promotion rows of one vendor; undefined when promotions are not available in this build. */
export type ApplyPromotions = ((vendor: DirectoryVendor, rows: PromotionRow[]) => Promise<Array<{ result: string; message?: string }>>) | undefined;

function catalogInput(r: CatalogRow): CatalogUpdateInput {
  const out: CatalogUpdateInput = {};
  if (r.sku !== undefined) out.sku = r.sku;
  if (r.barcode !== undefined) out.barcode = r.barcode;
  if (r.price !== undefined) out.price = r.price;
  if (r.active !== undefined) out.active = r.active;
  if (r.quantity !== undefined) out.quantity = r.quantity;
  if (r.maximumSalesQuantity !== undefined) out.maximum_sales_quantity = r.maximumSalesQuantity;
  return out;
}

/**
 * Applies a batch of typed rows: catalog rows grouped per vendor through the catalog's bulk update,
 * promotion rows through promotions (or reported PROMOTIONS_NOT_AVAILABLE), row errors as they are.
 * Returns results in file order (row, then vendor). A bad row never stops the others.
 */
export async function processRows(rows: readonly TypedRow[], applyCatalog: ApplyCatalog, applyPromotions: ApplyPromotions): Promise<SftpRowResult[]> {
  const catalogByVendor = new Map<string, { vendor: DirectoryVendor; index: number[]; inputs: CatalogUpdateInput[] }>();
  const promoByVendor = new Map<string, { vendor: DirectoryVendor; index: number[]; inputs: PromotionRow[] }>();
  // Each row reaches one store (a single-store file, or multi-store rows naming one): its result goes
  // straight into slot i. Otherwise a row's results are collected per row and flattened at the end.
  let oneEach = true;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    if (row.kind === 'error') continue;
    if (row.vendors.length !== 1) oneEach = false;
    for (const vendor of row.vendors) {
      if (row.kind === 'catalog') {
        let g = catalogByVendor.get(vendor.id);
        if (!g) catalogByVendor.set(vendor.id, (g = { vendor, index: [], inputs: [] }));
        g.index.push(i);
        g.inputs.push(catalogInput(row));
      } else {
        let g = promoByVendor.get(vendor.id);
        if (!g) promoByVendor.set(vendor.id, (g = { vendor, index: [], inputs: [] }));
        g.index.push(i);
        g.inputs.push(row);
      }
    }
  }
  const single: SftpRowResult[] = oneEach ? new Array<SftpRowResult>(rows.length) : [];
  const slots: SftpRowResult[][] = oneEach ? [] : rows.map(() => []);
  const put = (i: number, r: SftpRowResult) => (oneEach ? (single[i] = r) : slots[i]!.push(r));
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    if (row.kind === 'error') put(i, { row: row.line, vendor: row.vendorRefs, sku: row.sku ?? '', barcode: row.barcode ?? '', kind: '', result: row.code, message: row.message });
  }
  const collect = (vendor: DirectoryVendor, index: number[], kind: 'catalog' | 'promotion', results: Array<{ result: string; message?: string }>) => {
    for (let k = 0; k < index.length; k++) {
      const i = index[k]!;
      const row = rows[i] as CatalogRow | PromotionRow;
      const r = results[k]!;
      const out: SftpRowResult = { row: row.line, vendor: vendor.code, sku: row.sku ?? '', barcode: row.barcode ?? '', kind, result: r.result };
      if (r.message) out.message = r.message;
      put(i, out);
    }
  };
  for (const { vendor, index, inputs } of catalogByVendor.values()) collect(vendor, index, 'catalog', await applyCatalog(vendor, inputs));
  for (const { vendor, index, inputs } of promoByVendor.values()) {
    const results = applyPromotions
      ? await applyPromotions(vendor, inputs)
      : inputs.map(() => ({ result: 'PROMOTIONS_NOT_AVAILABLE', message: 'Promotion rows are not processed by this Comanda version yet; the row was not applied' }));
    collect(vendor, index, 'promotion', results);
  }
  return oneEach ? single : slots.flat();
}
