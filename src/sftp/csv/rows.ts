import type { ColumnIndex } from './columns.js';
import { PROMOTION_ONLY_COLUMNS } from './columns.js';
import type { CsvHeader, CsvItem } from './csv-reader.js';
import type { DirectoryVendor, FileScope, VendorDirectory } from './file-scope.js';

/** A catalog listing update for one row (partner-api.md §4 bulk update semantics). */
export interface CatalogRow {
  kind: 'catalog';
  line: number;
  vendors: DirectoryVendor[];
  sku: string | undefined;
  barcode: string | undefined;
  /** Truncated (not rounded) to 3 decimals. */
  price: number | undefined;
  active: boolean | undefined;
  quantity: number | undefined;
  maximumSalesQuantity: number | undefined;
}

export type PromotionType = 'STRIKETHROUGH' | 'SAME_ITEM_BUNDLE';
export type PromotionSubType = 'FREE_ITEM' | 'PERCENTAGE' | 'ABSOLUTE' | 'FINAL_PRICE';
export const PROMOTION_REASONS = ['COMPETITIVENESS', 'OVERSTOCK', 'DELISTING', 'EXPIRING_SOON', 'NMR', 'TRADING', 'OTHER'] as const;

/** A promotion line for one SKU (partner-api.md §5 / §7). `active:false` deactivates (campaign_status 0). */
export interface PromotionRow {
  kind: 'promotion';
  line: number;
  vendors: DirectoryVendor[];
  sku: string | undefined;
  barcode: string | undefined;
  campaignName: string;
  reason: (typeof PROMOTION_REASONS)[number];
  /** Local time of the vendor, `YYYY-MM-DDTHH:MM:SS`. */
  startTime: string;
  endTime: string;
  active: boolean;
  type: PromotionType;
  subType: PromotionSubType;
  /** FINAL_PRICE: the price; PERCENTAGE: 1–100; ABSOLUTE: amount off; FREE_ITEM: unused. */
  discountValue: number | undefined;
  maxNoOfOrders: number | undefined;
  maximumSalesQuantity: number | undefined;
  discountUsageLimit: number | undefined;
}

/** A row refused before it reaches the catalog or promotions; `code` is the result status. */
export interface RowError {
  kind: 'error';
  line: number;
  vendorRefs: string;
  sku: string | undefined;
  barcode: string | undefined;
  code: string;
  message: string;
}

export type TypedRow = CatalogRow | PromotionRow | RowError;

class RowProblem extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const INTEGER = /^\d+$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$/;

/** A positive decimal; with `;` files a decimal comma (`12,50`) is accepted too. */
function decimal(raw: string, delimiter: string, code: string, field: string): number {
  // Scanned by character code (this runs a million times a file): digits, at most one separator
  // with digits on both sides — the same as /^\d+(\.\d+)?$/ (or `,` in `;` files).
  let sep = -1;
  let ok = raw.length > 0;
  for (let k = 0; ok && k < raw.length; k++) {
    const c = raw.charCodeAt(k);
    if (c >= 48 && c <= 57) continue;
    if (sep === -1 && k > 0 && k < raw.length - 1 && (c === 46 || (c === 44 && delimiter === ';'))) sep = k;
    else ok = false;
  }
  if (!ok) throw new RowProblem(code, `${field} must be a number like 12.5 (got "${raw.slice(0, 40)}")`);
  // Truncate, never round, to 3 decimals (partner-api.md §4), using integer thousandths.
  let thousandths: number;
  if (sep === -1) thousandths = Number(raw) * 1000;
  else {
    let frac = 0;
    for (let k = sep + 1, d = 100; k <= sep + 3; k++, d /= 10) if (k < raw.length) frac += (raw.charCodeAt(k) - 48) * d;
    thousandths = Number(raw.slice(0, sep)) * 1000 + frac;
  }
  if (!Number.isSafeInteger(thousandths)) throw new RowProblem(code, `${field} is too large`);
  return thousandths / 1000;
}

function integer(raw: string, code: string, field: string, min: number): number {
  if (!INTEGER.test(raw) || raw.length > 12 || Number(raw) < min) throw new RowProblem(code, `${field} must be a whole number ≥ ${min} (got "${raw.slice(0, 40)}")`);
  return Number(raw);
}

function flag(raw: string, code: string, field: string, accepted: string): boolean {
  const v = raw.toLowerCase();
  if (v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  throw new RowProblem(code, `${field} must be ${accepted} (got "${raw.slice(0, 40)}")`);
}

function dateTime(raw: string, field: string, endOfDay: boolean): string {
  const m = DATE.exec(raw);
  if (!m) throw new RowProblem('INVALID_DATE', `${field} must be YYYY-MM-DD HH:MM:SS or YYYY-MM-DD (got "${raw.slice(0, 40)}")`);
  const [, y, mo, d, h, mi, s] = m;
  const time = h === undefined ? (endOfDay ? '23:59:59' : '00:00:00') : `${h}:${mi}:${s ?? '00'}`;
  const text = `${y}-${mo}-${d}T${time}`;
  const parsed = new Date(`${text}Z`);
  if (Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 19) !== text) throw new RowProblem('INVALID_DATE', `${field} is not a real date/time: "${raw}"`);
  return text;
}

/** Splits a vendors/exclude cell: comma-separated store codes or external ids. */
function refs(raw: string): string[] {
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** The cells of one record by column name (a plain object, not a closure: this runs a million times). */
interface RecordView {
  cells: string[];
  index: ColumnIndex;
}

function cellOf(v: RecordView, c: keyof ColumnIndex): string {
  const i = v.index[c];
  if (i === undefined) return '';
  const raw = v.cells[i];
  return raw === undefined ? '' : raw.trim();
}

function resolveVendors(v: RecordView, scope: FileScope, directory: VendorDirectory): DirectoryVendor[] {
  if (scope.kind === 'single') return [scope.vendor];
  const vendorsCell = cellOf(v, 'vendors');
  const excludeCell = cellOf(v, 'exclude');
  // Big multi-vendor files repeat the same few vendor lists: resolve each list once.
  const key = `${vendorsCell}\u0000${excludeCell}`;
  const known = directory.memo.get(key);
  if (known) return known;
  const resolved = resolveVendorList(vendorsCell, excludeCell, directory);
  if (directory.memo.size < 10_000) directory.memo.set(key, resolved);
  return resolved;
}

function resolveVendorList(vendorsCell: string, excludeCell: string, directory: VendorDirectory): DirectoryVendor[] {
  if (!vendorsCell) throw new RowProblem('MISSING_VENDORS', 'vendors is empty: give store codes or external ids (comma-separated), or all');
  const unknown: string[] = [];
  const lookup = (list: string[]) =>
    list.map((r) => {
      const v = directory.resolve(r);
      if (!v) unknown.push(r);
      return v;
    });
  let chosen: DirectoryVendor[];
  if (vendorsCell.toLowerCase() === 'all') {
    const excluded = new Set(lookup(refs(excludeCell)).map((v) => v?.id));
    chosen = directory.vendors.filter((v) => !excluded.has(v.id));
  } else {
    if (excludeCell) throw new RowProblem('EXCLUDE_WITHOUT_ALL', 'exclude is only allowed when vendors is all');
    chosen = lookup(refs(vendorsCell)).filter((v): v is DirectoryVendor => v !== undefined);
  }
  if (unknown.length) throw new RowProblem('VENDOR_NOT_FOUND', `No store ${unknown.map((u) => `"${u.slice(0, 40)}"`).join(', ')} in this chain`);
  const unique = [...new Map(chosen.map((v) => [v.id, v])).values()];
  if (!unique.length) throw new RowProblem('NO_VENDORS', 'The row applies to no store (every store excluded)');
  return unique;
}

const TYPES: Record<string, PromotionType> = { strikethrough: 'STRIKETHROUGH', same_item_bundle: 'SAME_ITEM_BUNDLE' };
const SUB_TYPES: Record<string, PromotionSubType> = { free_item: 'FREE_ITEM', percentage_value_off: 'PERCENTAGE', absolute_value_off: 'ABSOLUTE' };

function promotionRow(v: RecordView, delimiter: string): Omit<PromotionRow, 'line' | 'vendors' | 'sku' | 'barcode'> {
  const campaignName = cellOf(v, 'campaign_name');
  if (!campaignName) throw new RowProblem('MISSING_CAMPAIGN_NAME', 'campaign_name is required on promotion rows');
  if (campaignName.length > 200) throw new RowProblem('INVALID_CAMPAIGN_NAME', 'campaign_name is longer than 200 characters');
  for (const c of ['price', 'active', 'quantity'] as const) {
    if (cellOf(v, c)) throw new RowProblem('MIXED_ROW', `A row is either a catalog update or a promotion: ${c} must be empty on a promotion row`);
  }
  const startRaw = cellOf(v, 'start_date');
  const endRaw = cellOf(v, 'end_date');
  if (!startRaw || !endRaw) throw new RowProblem('INVALID_DATE', 'start_date and end_date are required on promotion rows');
  const startTime = dateTime(startRaw, 'start_date', false);
  const endTime = dateTime(endRaw, 'end_date', true);
  if (endTime <= startTime) throw new RowProblem('INVALID_DATE_RANGE', 'end_date must be after start_date');
  const statusRaw = cellOf(v, 'campaign_status');
  const active = statusRaw ? flag(statusRaw, 'INVALID_CAMPAIGN_STATUS', 'campaign_status', '1 or 0') : true;
  const type = TYPES[cellOf(v, 'promotion_type').toLowerCase()];
  if (!type) throw new RowProblem('INVALID_PROMOTION_TYPE', `promotion_type must be strikethrough or same_item_bundle (got "${cellOf(v, 'promotion_type').slice(0, 40)}")`);
  const subRaw = cellOf(v, 'promotion_sub_type').toLowerCase();
  let subType: PromotionSubType | undefined = subRaw ? SUB_TYPES[subRaw] : undefined;
  if (subRaw && !subType) throw new RowProblem('INVALID_PROMOTION_SUB_TYPE', `promotion_sub_type must be free_item, percentage_value_off or absolute_value_off (got "${subRaw.slice(0, 40)}")`);
  const priceRaw = cellOf(v, 'discounted_price');
  const valueRaw = cellOf(v, 'discount_value');
  let discountValue: number | undefined;
  if (!subType) {
    if (type === 'SAME_ITEM_BUNDLE') throw new RowProblem('INVALID_PROMOTION_SUB_TYPE', 'same_item_bundle needs promotion_sub_type');
    if (!priceRaw) throw new RowProblem('MISSING_DISCOUNT', 'strikethrough needs discounted_price (the final price) or a promotion_sub_type with discount_value');
    subType = 'FINAL_PRICE';
    discountValue = decimal(priceRaw, delimiter, 'INVALID_DISCOUNTED_PRICE', 'discounted_price');
    if (discountValue <= 0) throw new RowProblem('INVALID_DISCOUNTED_PRICE', 'discounted_price must be greater than 0');
  } else if (subType !== 'FREE_ITEM') {
    if (!valueRaw) throw new RowProblem('MISSING_DISCOUNT', `${subRaw} needs discount_value`);
    discountValue = decimal(valueRaw, delimiter, 'INVALID_DISCOUNT_VALUE', 'discount_value');
    if (discountValue <= 0 || (subType === 'PERCENTAGE' && (discountValue < 1 || discountValue > 100))) {
      throw new RowProblem('INVALID_DISCOUNT_VALUE', subType === 'PERCENTAGE' ? 'discount_value must be between 1 and 100 for percentage_value_off' : 'discount_value must be greater than 0');
    }
  }
  const reasonRaw = cellOf(v, 'reason').toUpperCase();
  const reason = (reasonRaw || 'OTHER') as PromotionRow['reason'];
  if (!(PROMOTION_REASONS as readonly string[]).includes(reason)) throw new RowProblem('INVALID_REASON', `reason must be one of ${PROMOTION_REASONS.join(', ')} (got "${reasonRaw.slice(0, 40)}")`);
  const limit = (c: 'max_no_of_orders' | 'maximum_sales_quantity' | 'discount_usage_limit') => (cellOf(v, c) ? integer(cellOf(v, c), 'INVALID_LIMIT', c, 1) : undefined);
  return {
    kind: 'promotion',
    campaignName,
    reason,
    startTime,
    endTime,
    active,
    type,
    subType,
    discountValue,
    maxNoOfOrders: limit('max_no_of_orders'),
    maximumSalesQuantity: limit('maximum_sales_quantity'),
    discountUsageLimit: limit('discount_usage_limit'),
  };
}

function catalogRow(v: RecordView, delimiter: string): Omit<CatalogRow, 'line' | 'vendors' | 'sku' | 'barcode'> {
  const priceRaw = cellOf(v, 'price');
  const activeRaw = cellOf(v, 'active');
  const quantityRaw = cellOf(v, 'quantity');
  const maxRaw = cellOf(v, 'maximum_sales_quantity');
  const price = priceRaw ? decimal(priceRaw, delimiter, 'INVALID_PRICE', 'price') : undefined;
  if (price !== undefined && price <= 0) throw new RowProblem('INVALID_PRICE', 'price must be greater than 0');
  const active = activeRaw ? flag(activeRaw, 'INVALID_ACTIVE', 'active', 'true/false or 1/0') : undefined;
  const quantity = quantityRaw ? integer(quantityRaw, 'INVALID_QUANTITY', 'quantity', 0) : undefined;
  const maximumSalesQuantity = maxRaw ? integer(maxRaw, 'INVALID_MAXIMUM_SALES_QUANTITY', 'maximum_sales_quantity', 1) : undefined;
  if (price === undefined && active === undefined && quantity === undefined && maximumSalesQuantity === undefined) {
    throw new RowProblem('NOTHING_TO_UPDATE', 'The row changes nothing: give price, active, quantity or maximum_sales_quantity');
  }
  return { kind: 'catalog', price, active, quantity, maximumSalesQuantity };
}

/**
 * Turns one CSV record into a typed catalog or promotion row, or a row error with a stable code and
 * a message naming the column. A row is a promotion row when any promotion-only column is filled.
 */
export function typeRow(cells: string[], line: number, index: ColumnIndex, columnCount: number, delimiter: string, scope: FileScope, directory: VendorDirectory): TypedRow {
  const v: RecordView = { cells, index };
  const sku = cellOf(v, 'sku') || undefined;
  const barcode = cellOf(v, 'barcode') || undefined;
  try {
    if (cells.length !== columnCount) {
      throw new RowProblem('WRONG_COLUMN_COUNT', `Expected ${columnCount} columns, found ${cells.length} (check the delimiter and quotes)`);
    }
    if (!sku && !barcode) throw new RowProblem('MISSING_SKU', 'sku or barcode is required');
    if (sku && sku.length > 100) throw new RowProblem('INVALID_SKU', 'sku is longer than 100 characters');
    if (barcode && barcode.length > 64) throw new RowProblem('INVALID_BARCODE', 'barcode is longer than 64 characters');
    const vendors = resolveVendors(v, scope, directory);
    let isPromotion = false;
    for (const c of PROMOTION_ONLY_COLUMNS) if (index[c] !== undefined && cellOf(v, c) !== '') isPromotion = true;
    const body = (isPromotion ? promotionRow(v, delimiter) : catalogRow(v, delimiter)) as CatalogRow | PromotionRow;
    // Plain assignments: an object spread here cost ~10 µs per row (a million rows per file).
    body.line = line;
    body.vendors = vendors;
    body.sku = sku;
    body.barcode = barcode;
    return body;
  } catch (err) {
    if (!(err instanceof RowProblem)) throw err;
    return { kind: 'error', line, vendorRefs: scope.kind === 'single' ? scope.vendor.code : cellOf(v, 'vendors'), sku, barcode, code: err.code, message: err.message };
  }
}

/** One item of the CSV reader as a typed row: a record the reader could not read is an UNREADABLE_ROW error. */
export function typeItem(item: CsvItem, header: CsvHeader, index: ColumnIndex, scope: FileScope, directory: VendorDirectory): TypedRow {
  if (item.type === 'bad_record') return { kind: 'error', line: item.line, vendorRefs: '', sku: undefined, barcode: undefined, code: 'UNREADABLE_ROW', message: item.message };
  return typeRow(item.cells, item.line, index, header.columns.length, header.delimiter, scope, directory);
}
