/** Wire shapes of the catalog page (snake_case as the portal API sends them). */
import type { Answer } from '../../api';

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

export type JobSummary = Answer<'/chains/{chainId}/catalog/jobs'>['jobs'][number];
type JobView = Answer<'/chains/{chainId}/catalog/jobs/{jobId}'>;
/** A job with a page of its rows; each row also names what the job type identifies rows by (the schema allows more properties). */
export type JobDetail = Omit<JobView, 'results'> & { results: Array<JobView['results'][number] & { sku?: string; vendor?: string }> };
export type Category = Answer<'/chains/{chainId}/catalog/categories'>['categories'][number];

/** One listing edit as the portal API takes it: values are always valid; `clear` removes the cap. */
export interface ListingPatch {
  sku: string;
  price?: number;
  active?: boolean;
  maximum_sales_quantity?: number;
  clear?: ['maximum_sales_quantity'];
}

export const titleOf = (p: { title: Record<string, string> }, locale: string) => p.title[locale] ?? Object.values(p.title)[0] ?? '';
