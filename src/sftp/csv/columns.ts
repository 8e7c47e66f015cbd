import { CsvFileError, type CsvHeader } from './csv-reader.js';
import type { FileScope } from './file-scope.js';

/** partner-api.md §7. `maximum_sales_quantity` belongs to both kinds of rows. */
export const CATALOG_COLUMNS = ['sku', 'barcode', 'price', 'active', 'quantity', 'maximum_sales_quantity'] as const;
export const PROMOTION_ONLY_COLUMNS = [
  'campaign_name',
  'reason',
  'start_date',
  'end_date',
  'campaign_status',
  'promotion_type',
  'promotion_sub_type',
  'discounted_price',
  'discount_value',
  'max_no_of_orders',
  'discount_usage_limit',
] as const;
export const SCOPE_COLUMNS = ['vendors', 'exclude'] as const;

export type Column = (typeof CATALOG_COLUMNS)[number] | (typeof PROMOTION_ONLY_COLUMNS)[number] | (typeof SCOPE_COLUMNS)[number];
/** Other names of columns (the real platform's clients spell them so): read as the column they stand for. */
const SYNONYMS: Readonly<Record<string, Column>> = { max_sales_quantity: 'maximum_sales_quantity' };
const KNOWN = new Set<string>([...CATALOG_COLUMNS, ...PROMOTION_ONLY_COLUMNS, ...SCOPE_COLUMNS, ...Object.keys(SYNONYMS)]);

/** Column name → cell index, for the columns the file has. */
export type ColumnIndex = Partial<Record<Column, number>>;

/**
 * Validates the header and maps it. Refuses the whole file (with a message naming the columns) when a
 * column is unknown or repeated, when no identifier column is present, when the first line looks like
 * data rather than names, or when the file is split by something other than `,` or `;`.
 */
export function indexColumns(header: CsvHeader, scope: FileScope): ColumnIndex {
  const cols = header.columns;
  const unknown = cols.filter((c) => !KNOWN.has(c));
  if (unknown.length) {
    if (cols.length === 1 && /[\t|]/.test(cols[0]!)) {
      throw new CsvFileError('WRONG_DELIMITER', `Columns must be separated by "," or ";" (the header "${cols[0]!.slice(0, 100)}" looks split by ${cols[0]!.includes('\t') ? 'tabs' : '"|"'})`);
    }
    if (unknown.length === cols.length) {
      throw new CsvFileError('MISSING_HEADER', `The first line must name the columns (sku or barcode, price, active, quantity, …); found "${cols.join(header.delimiter).slice(0, 200)}"`);
    }
    throw new CsvFileError('UNKNOWN_COLUMNS', `Unknown columns: ${unknown.map((c) => `"${c.slice(0, 60)}"`).join(', ')}. Known columns: ${[...KNOWN].join(', ')}`);
  }
  const named = cols.map((c) => SYNONYMS[c] ?? c);
  const dupes = named.filter((c, i) => named.indexOf(c) !== i);
  if (dupes.length) throw new CsvFileError('DUPLICATE_COLUMNS', `Columns appear more than once: ${[...new Set(dupes)].join(', ')}`);
  const index: ColumnIndex = {};
  named.forEach((c, i) => (index[c as Column] = i));
  if (index.sku === undefined && index.barcode === undefined) throw new CsvFileError('MISSING_COLUMNS', 'The file needs a sku or a barcode column');
  if (scope.kind === 'single' && (index.vendors !== undefined || index.exclude !== undefined)) {
    throw new CsvFileError('UNKNOWN_COLUMNS', `vendors and exclude columns are only for multi-vendor files (<prefix>.csv); this file names its store ${scope.vendor.code}`);
  }
  const hasUpdate = ['price', 'active', 'quantity', 'maximum_sales_quantity', ...PROMOTION_ONLY_COLUMNS].some((c) => index[c as Column] !== undefined);
  if (!hasUpdate) throw new CsvFileError('MISSING_COLUMNS', 'The file has identifiers but nothing to change: add price, active, quantity, maximum_sales_quantity or promotion columns');
  return index;
}
