/** Wire shapes of the catalog page (snake_case as the portal API sends them). */

export interface Listing {
  sku: string;
  title: Record<string, string>;
  price: number;
  active: boolean;
  maximum_sales_quantity: number | null;
  is_sold_by_weight: boolean;
  categories?: string[];
}

export interface CatalogPageData {
  products: Listing[];
  page_number: number;
  page_size: number;
  total_count: number;
  total_pages: number;
}

export interface JobSummary {
  job_id: string;
  job_type: string;
  job_status: string;
  vendor_id: string | null;
  total_rows: number;
  processed_rows: number;
  error_rows: number;
  created_at: string;
  file_name: string | null;
  download: 'file' | 'results';
}

export interface JobDetail {
  job_id: string;
  job_type: string;
  job_status: string;
  counts: Record<string, number>;
  error: string | null;
  results: Array<{ row: number; sku?: string; vendor?: string; result: string; message?: string }>;
  pagination: { total_count: number };
}

export interface Category {
  id: string;
  path: string;
  name: string;
}

/** One listing edit as the portal API takes it: values are always valid; `clear` removes the cap. */
export interface ListingPatch {
  sku: string;
  price?: number;
  active?: boolean;
  maximum_sales_quantity?: number;
  clear?: ['maximum_sales_quantity'];
}

export const titleOf = (p: { title: Record<string, string> }, locale: string) => p.title[locale] ?? Object.values(p.title)[0] ?? '';
