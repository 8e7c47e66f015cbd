import type { LocaleMap, ProductInput, ProductResult, WeightSpecifications } from './catalog.types.js';
import { milliToText, toMilli } from '../platform/money.js';

/** A product as partners send it (POST chain catalog) and as CSV import rows are normalised to. */
export interface ProductBody {
  sku: string;
  /** A list, or one code (the real platform's clients send both). */
  barcode?: string[] | string;
  /** Another name of barcode; merged with it. */
  barcodes?: string[] | string;
  title: LocaleMap;
  description?: LocaleMap;
  categories?: string[];
  brand?: string | null;
  image_url?: string | null;
  is_sold_by_weight?: boolean;
  weight_specifications?: { base_weight?: number | null; average_weight_per_piece?: number | null } | null;
  vat_percent?: number;
  price: number | string;
  active?: boolean;
  sales_buffer?: number;
  /** Not stored: decides active like the bulk update (quantity > sales_buffer → active). */
  quantity?: number;
  maximum_sales_quantity?: number | null;
  /** Another name of maximum_sales_quantity (used when that one is not sent). */
  max_sales_quantity?: number | null;
}

const asList = (v: unknown): unknown[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]);

/** The barcodes a product body names (`barcode` and `barcodes`, each a list or one code), as sent. */
export function bodyBarcodes(body: Pick<ProductBody, 'barcode' | 'barcodes'>): unknown[] {
  return body.barcodes === undefined ? asList(body.barcode) : [...asList(body.barcode), ...asList(body.barcodes)];
}

export const DEFAULT_VAT_PERCENT = 21;
const SKU = /^[\x21-\x7e]{1,64}$/;
const BARCODE = /^[0-9A-Za-z-]{1,32}$/;

export type Checked = { ok: true; product: ProductInput } | { ok: false; result: ProductResult; message: string };

function fail(result: ProductResult, message: string): Checked {
  return { ok: false, result, message };
}

/** "Almacén / Aceites" → "Almacén/Aceites"; undefined when a level is empty or too long. */
export function normaliseCategoryPath(path: string): string | undefined {
  const parts = path.split('/').map((p) => p.trim());
  if (parts.length === 0 || parts.length > 6 || parts.some((p) => p.length === 0 || p.length > 100)) return undefined;
  return parts.join('/');
}

function isLocaleMap(v: unknown): v is LocaleMap {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.entries(v).every(([k, s]) => /^[a-z]{2}(_[A-Z]{2})?$/.test(k) && typeof s === 'string');
}

function nonNegInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

/** Validates one product row; each problem is a per-row result code (a bad row never stops the others). */
export function checkProduct(body: ProductBody): Checked {
  if (typeof body.sku !== 'string' || !SKU.test(body.sku)) return fail('INVALID_SKU', 'sku must be 1–64 printable characters without spaces');
  if (!isLocaleMap(body.title) || Object.keys(body.title).length === 0 || Object.values(body.title).some((t) => t.trim() === '' || t.length > 500)) {
    return fail('INVALID_TITLE', 'title must be a locale map like {"es_AR": "…"} with non-empty texts');
  }
  const description = body.description ?? {};
  if (!isLocaleMap(description)) return fail('INVALID_TITLE', 'description must be a locale map');
  const barcodes = bodyBarcodes(body) as string[];
  if (barcodes.length > 20 || barcodes.some((b) => typeof b !== 'string' || !BARCODE.test(b))) {
    return fail('INVALID_BARCODE', 'barcode must be a list of up to 20 GTIN-like codes (digits/letters)');
  }
  const priceMilli = toMilli(body.price);
  if (priceMilli === null || priceMilli <= 0) return fail('INVALID_PRICE', `price must be > 0 (at most 3 decimals are kept), got ${JSON.stringify(body.price)}`);
  const categoryPaths: string[] = [];
  for (const c of body.categories ?? []) {
    const path = typeof c === 'string' ? normaliseCategoryPath(c) : undefined;
    if (!path) return fail('INVALID_CATEGORY', `category ${JSON.stringify(c)} must be a path like "Almacén/Aceites" (≤ 6 levels)`);
    if (!categoryPaths.includes(path)) categoryPaths.push(path);
  }
  const vat = body.vat_percent ?? DEFAULT_VAT_PERCENT;
  if (typeof vat !== 'number' || !Number.isFinite(vat) || vat < 0 || vat > 100) return fail('INVALID_VAT_PERCENT', 'vat_percent must be between 0 and 100');
  const isSoldByWeight = body.is_sold_by_weight ?? false;
  let weightSpecifications: WeightSpecifications | null = null;
  if (body.weight_specifications) {
    const w = body.weight_specifications;
    const okWeight = (x: unknown) => x === undefined || x === null || (typeof x === 'number' && Number.isFinite(x) && x > 0 && x < 1000);
    if (!okWeight(w.base_weight) || !okWeight(w.average_weight_per_piece)) {
      return fail('INVALID_WEIGHT_SPECIFICATIONS', 'weight_specifications base_weight and average_weight_per_piece must be kilograms > 0');
    }
    weightSpecifications = { base_weight: w.base_weight ?? null, average_weight_per_piece: w.average_weight_per_piece ?? null };
  }
  if (typeof isSoldByWeight !== 'boolean') return fail('INVALID_WEIGHT_SPECIFICATIONS', 'is_sold_by_weight must be true or false');
  if (body.active !== undefined && typeof body.active !== 'boolean') return fail('INVALID_ACTIVE', 'active must be true or false');
  const salesBuffer = body.sales_buffer ?? 0;
  if (!nonNegInt(salesBuffer)) return fail('INVALID_SALES_BUFFER', 'sales_buffer must be an integer ≥ 0');
  if (body.quantity !== undefined && !nonNegInt(body.quantity)) return fail('INVALID_QUANTITY', 'quantity must be an integer ≥ 0');
  const maxName = body.maximum_sales_quantity === undefined && body.max_sales_quantity !== undefined ? 'max_sales_quantity' : 'maximum_sales_quantity';
  const maxQty = body[maxName] ?? null;
  if (maxQty !== null && (!nonNegInt(maxQty) || maxQty < 1)) return fail('INVALID_MAXIMUM_SALES_QUANTITY', `${maxName} must be an integer ≥ 1 or null`);
  // The documented table (partner-api.md §4): active:false wins; otherwise a quantity decides.
  const active = body.active === false ? false : body.quantity !== undefined ? body.quantity > salesBuffer : true;
  const imageUrl = body.image_url ?? null;
  if (imageUrl !== null && (typeof imageUrl !== 'string' || !/^https?:\/\/\S{1,2000}$/.test(imageUrl))) return fail('INVALID_IMAGE_URL', 'image_url must be an http(s) URL');
  const brand = body.brand ?? null;
  return {
    ok: true,
    product: {
      sku: body.sku,
      barcodes: [...new Set(barcodes)],
      title: body.title,
      description,
      categoryPaths,
      brand: brand === null || brand === '' ? null : String(brand).slice(0, 200),
      imageUrl,
      isSoldByWeight,
      weightSpecifications,
      vatPercent: vat,
      listing: { priceMilli, active, salesBuffer, maximumSalesQuantity: maxQty },
    },
  };
}

// ---- CSV rows (import / export share these columns, so an export re-imports unchanged) ----

export const CATALOG_CSV_COLUMNS = [
  'sku',
  'barcode',
  'title',
  'description',
  'category',
  'brand',
  'image_url',
  'is_sold_by_weight',
  'base_weight',
  'average_weight_per_piece',
  'vat_percent',
  'price',
  'active',
  'sales_buffer',
  'maximum_sales_quantity',
] as const;

function localeText(text: string | undefined, locale: string): LocaleMap | string | undefined {
  if (text === undefined || text === '') return undefined;
  if (text.startsWith('{')) {
    try {
      return JSON.parse(text) as LocaleMap;
    } catch {
      return text; // fails the locale-map check with a clear message
    }
  }
  return { [locale]: text };
}

function numberOr(text: string | undefined): number | string | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  const n = Number(text);
  return Number.isFinite(n) && /^-?\d+(\.\d+)?$/.test(text.trim()) ? n : text;
}

function boolOr(text: string | undefined): boolean | string | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  const t = text.trim().toLowerCase();
  if (t === 'true' || t === '1') return true;
  if (t === 'false' || t === '0') return false;
  return text;
}

/** A CSV record (header → text) to the body shape; bad text stays as-is so checkProduct names the problem. */
export function productBodyFromCsv(rec: Record<string, string | undefined>, locale: string): ProductBody {
  const split = (s: string | undefined) => (s ? s.split('|').map((x) => x.trim()).filter(Boolean) : []);
  const base = numberOr(rec.base_weight);
  const avg = numberOr(rec.average_weight_per_piece);
  const body: Record<string, unknown> = {
    sku: (rec.sku ?? '').trim(),
    barcode: split(rec.barcode),
    title: localeText(rec.title, locale),
    description: localeText(rec.description, locale),
    categories: split(rec.category),
    brand: rec.brand?.trim() || null,
    image_url: rec.image_url?.trim() || null,
    is_sold_by_weight: boolOr(rec.is_sold_by_weight),
    weight_specifications: base !== undefined || avg !== undefined ? { base_weight: base ?? null, average_weight_per_piece: avg ?? null } : null,
    vat_percent: numberOr(rec.vat_percent),
    price: (rec.price ?? '').trim(),
    active: boolOr(rec.active),
    sales_buffer: numberOr(rec.sales_buffer),
    maximum_sales_quantity: numberOr(rec.maximum_sales_quantity) ?? null,
  };
  for (const k of Object.keys(body)) if (body[k] === undefined) delete body[k];
  return body as unknown as ProductBody;
}

/** Locale map to CSV text: plain when it only has the vendor's locale, JSON otherwise (exact round trip). */
export function localeToCsv(map: LocaleMap, locale: string): string {
  const keys = Object.keys(map);
  if (keys.length === 0) return '';
  if (keys.length === 1 && keys[0] === locale && !map[locale]!.startsWith('{')) return map[locale]!;
  return JSON.stringify(map);
}

/** A product with this vendor's listing flattened in: what an export writes per line. */
export type ExportRow = Omit<ProductInput, 'listing'> & ProductInput['listing'];

/** One export line's values in CATALOG_CSV_COLUMNS order. */
export function exportValues(r: ExportRow, locale: string): unknown[] {
  return [
    r.sku,
    r.barcodes.join('|'),
    localeToCsv(r.title, locale),
    localeToCsv(r.description, locale),
    r.categoryPaths.join('|'),
    r.brand ?? '',
    r.imageUrl ?? '',
    r.isSoldByWeight ? 'true' : 'false',
    r.weightSpecifications?.base_weight ?? '',
    r.weightSpecifications?.average_weight_per_piece ?? '',
    r.vatPercent,
    milliToText(r.priceMilli),
    r.active ? 'true' : 'false',
    r.salesBuffer,
    r.maximumSalesQuantity ?? '',
  ];
}
