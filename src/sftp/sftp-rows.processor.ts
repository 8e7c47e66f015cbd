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
  // Slots: one per (row, vendor), filled by the per-vendor batches.
  const slots: SftpRowResult[][] = rows.map(() => []);
  const catalogByVendor = new Map<string, { vendor: DirectoryVendor; items: Array<{ i: number; row: CatalogRow }> }>();
  const promoByVendor = new Map<string, { vendor: DirectoryVendor; items: Array<{ i: number; row: PromotionRow }> }>();
  rows.forEach((row, i) => {
    if (row.kind === 'error') {
      slots[i]!.push({ row: row.line, vendor: row.vendorRefs, sku: row.sku ?? '', barcode: row.barcode ?? '', kind: '', result: row.code, message: row.message });
      return;
    }
    const groups = row.kind === 'catalog' ? catalogByVendor : promoByVendor;
    for (const vendor of row.vendors) {
      let g = groups.get(vendor.id);
      if (!g) groups.set(vendor.id, (g = { vendor, items: [] }));
      (g.items as Array<{ i: number; row: TypedRow }>).push({ i, row });
    }
  });
  for (const { vendor, items } of catalogByVendor.values()) {
    const results = await applyCatalog(vendor, items.map((x) => catalogInput(x.row)));
    items.forEach((x, k) => {
      const r = results[k]!;
      const out: SftpRowResult = { row: x.row.line, vendor: vendor.code, sku: x.row.sku ?? '', barcode: x.row.barcode ?? '', kind: 'catalog', result: r.result };
      if (r.message) out.message = r.message;
      slots[x.i]!.push(out);
    });
  }
  for (const { vendor, items } of promoByVendor.values()) {
    const results = applyPromotions
      ? await applyPromotions(vendor, items.map((x) => x.row))
      : items.map(() => ({ result: 'PROMOTIONS_NOT_AVAILABLE', message: 'Promotion rows are not processed by this Comanda version yet; the row was not applied' }));
    items.forEach((x, k) => {
      const r = results[k]!;
      const out: SftpRowResult = { row: x.row.line, vendor: vendor.code, sku: x.row.sku ?? '', barcode: x.row.barcode ?? '', kind: 'promotion', result: r.result };
      if (r.message) out.message = r.message;
      slots[x.i]!.push(out);
    });
  }
  return slots.flat();
}
