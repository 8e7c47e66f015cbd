export type LocaleMap = Record<string, string>;

export interface WeightSpecifications {
  base_weight: number | null;
  average_weight_per_piece: number | null;
}

/** A product row ready to be written (validated and normalised). */
export interface ProductInput {
  sku: string;
  barcodes: string[];
  title: LocaleMap;
  description: LocaleMap;
  categoryPaths: string[];
  brand: string | null;
  imageUrl: string | null;
  isSoldByWeight: boolean;
  weightSpecifications: WeightSpecifications | null;
  vatPercent: number;
  listing: { priceMilli: number; active: boolean; salesBuffer: number; maximumSalesQuantity: number | null };
}

/** A row's outcome as stored in job results and printed by the CLI. */
export interface CatalogRowResult {
  row: number;
  sku: string;
  barcode: string;
  result: string;
  message?: string;
}

/** Result codes of the bulk listing update (PUT vendor catalog, SFTP catalog rows). */
export const UPDATE_RESULTS = [
  'UPDATED',
  'UNCHANGED',
  'SKU_NOT_FOUND',
  'BARCODE_NOT_FOUND',
  'IDENTIFIER_MISMATCH',
  'MISSING_IDENTIFIER',
  'INVALID_PRICE',
  'INVALID_ACTIVE',
  'INVALID_QUANTITY',
  'INVALID_MAXIMUM_SALES_QUANTITY',
  'ACTIVE_AND_QUANTITY',
  'NOTHING_TO_UPDATE',
] as const;
export type UpdateResult = (typeof UPDATE_RESULTS)[number];
export const UPDATE_OK_RESULTS: readonly UpdateResult[] = ['UPDATED', 'UNCHANGED'];

/** Result codes of product creation (POST chain catalog, `comanda catalog import`). */
export const PRODUCT_RESULTS = [
  'CREATED',
  'UPDATED',
  'INVALID_SKU',
  'INVALID_TITLE',
  'INVALID_PRICE',
  'INVALID_BARCODE',
  'BARCODE_TAKEN',
  'INVALID_CATEGORY',
  'INVALID_VAT_PERCENT',
  'INVALID_WEIGHT_SPECIFICATIONS',
  'INVALID_ACTIVE',
  'INVALID_SALES_BUFFER',
  'INVALID_QUANTITY',
  'INVALID_MAXIMUM_SALES_QUANTITY',
  'INVALID_IMAGE_URL',
  'DUPLICATE_SKU_IN_BATCH',
] as const;
export type ProductResult = (typeof PRODUCT_RESULTS)[number];
export const PRODUCT_OK_RESULTS: readonly ProductResult[] = ['CREATED', 'UPDATED'];

export const CATALOG_RESULT_COLUMNS = ['row', 'sku', 'barcode', 'result', 'message'] as const;
