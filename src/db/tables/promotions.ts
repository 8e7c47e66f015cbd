import type { Bool, Json, Timestamp } from '../types.js';

/** Tables of the promotions domain (migration 0008_promotions). */
export interface PromotionTables {
  promotions: PromotionsTable;
  promotion_items: PromotionItemsTable;
  promotion_jobs: PromotionJobsTable;
  promotion_job_issues: PromotionJobIssuesTable;
  promotion_order_uses: PromotionOrderUsesTable;
}

export interface PromotionsTable {
  id: string;
  chain_id: string;
  upsert_key: string;
  type: string;
  reason: string;
  display_name: Json;
  vendors: Json;
  start_time: Timestamp;
  end_time: Timestamp;
  purchased_quantity: number | null;
  discounted_quantity: number | null;
  global_limit: number | null;
  max_items_per_order: number | null;
  /** Thousandths of the currency unit (0015_promotion_caps). */
  max_discount_per_order: number | string | null;
  used_count: number;
  active: Bool;
  source: string;
  body_hash: string;
  last_job_id: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface PromotionItemsTable {
  vendor_id: string;
  sku: string;
  promotion_id: string;
  subtype: string;
  /** FINAL_PRICE / ABSOLUTE: thousandths of the currency unit; PERCENTAGE: thousandths of a percent. */
  value: number;
  /** discount[].max_quantity: discounted units of this SKU per order (0015_promotion_caps). */
  max_quantity: number | null;
}

export interface PromotionJobsTable {
  job_id: string;
  chain_id: string;
  promotion_id: string | null;
  upsert_key: string;
  body_hash: string;
  duplicate: Bool;
  invalid_vendors: Json;
  source: string;
  created_at: Timestamp;
}

export interface PromotionJobIssuesTable {
  job_id: string;
  kind: string;
  vendor: string;
  sku: string;
  reason: string;
}

export interface PromotionOrderUsesTable {
  promotion_id: string;
  order_id: string;
  created_at: Timestamp;
}
