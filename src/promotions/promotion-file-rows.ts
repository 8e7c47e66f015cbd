import { skusByBarcode } from '../catalog/index.js';
import type { AppContext } from '../platform/context.js';
import type { Trx } from '../db/database.js';
import { AppError } from '../platform/errors.js';
import { sha256 } from '../platform/secrets.js';
import { applyPairs, upsertPromotionHeader } from './promotion-apply.js';
import { canonicalJson, checkDiscountEntry, entryValue, normalizeHeader, type PromotionHeader, type PromotionSkuRow } from './promotion-input.js';
import type { DiscountSubtype, PromotionType } from './promotion-pricing.js';
import type { Issue } from './promotions.repository.js';

/**
 * One already-parsed promotion row of an SFTP file (partner-api.md §7), for one vendor. The SFTP
 * importer maps its columns: campaign_name → campaignName, start_date/end_date → startTime/endTime
 * (UTC ISO, converted from the vendor's local time), campaign_status → active, promotion_type /
 * promotion_sub_type → type / subType, discounted_price (FINAL_PRICE) or discount_value → discountValue,
 * max_no_of_orders → globalLimit, maximum_sales_quantity → maxItemsPerOrder.
 */
export interface PromotionFileRow {
  sku?: string;
  barcode?: string;
  campaignName: string;
  reason: string;
  startTime: string;
  endTime: string;
  active: boolean;
  type: PromotionType;
  subType: DiscountSubtype;
  discountValue?: number;
  /** SAME_ITEM_BUNDLE only; default 2 (units per bundle). */
  purchasedQuantity?: number;
  /** SAME_ITEM_BUNDLE only; default 1 (discounted units per bundle): 2×1 / "second unit at X %". */
  discountedQuantity?: number;
  globalLimit?: number;
  maxItemsPerOrder?: number;
}

/** Per-row outcome, in input order. UPDATED and DEACTIVATED are not errors. */
export interface PromotionFileRowResult {
  result: 'UPDATED' | 'DEACTIVATED' | 'SKU_NOT_FOUND' | 'INVALID_DISCOUNTED_SKU' | 'INVALID_PROMOTION';
  message?: string;
}

/**
 * Applies promotion rows of one vendor inside the caller's transaction (an SFTP file job step).
 * Rows of the same campaign (name + start + end + type) form one promotion whose upsert key is
 * display_name {locale: campaign name} + [vendor code] + start + end, so the same rows again modify
 * it. A row with active=false removes its SKU; a campaign whose rows are all inactive is deactivated.
 * Every row gets a result; a bad row never stops the others.
 */
export async function applyPromotionFileRows(
  ctx: AppContext,
  trx: Trx,
  chainId: string,
  vendor: { id: string; code: string; locale: string },
  rows: readonly PromotionFileRow[],
): Promise<PromotionFileRowResult[]> {
  const results: PromotionFileRowResult[] = new Array(rows.length);
  const barcodes = rows.filter((r) => !r.sku && r.barcode).map((r) => r.barcode!);
  const bySkuOfBarcode = barcodes.length ? await skusByBarcode(trx, ctx.dialect, chainId, barcodes) : new Map<string, string>();
  const groups = new Map<string, Array<{ i: number; row: PromotionFileRow; sku: string }>>();
  rows.forEach((row, i) => {
    const sku = row.sku ?? (row.barcode ? bySkuOfBarcode.get(row.barcode) : undefined);
    if (!sku) {
      results[i] = { result: 'SKU_NOT_FOUND', message: row.barcode ? `barcode ${row.barcode} is not a product of this chain` : 'the row names no sku' };
      return;
    }
    const key = canonicalJson([row.campaignName, row.startTime, row.endTime, row.type]);
    const list = groups.get(key) ?? [];
    list.push({ i, row, sku });
    groups.set(key, list);
  });

  for (const items of groups.values()) {
    const first = items[0]!.row;
    const bundle = first.type === 'SAME_ITEM_BUNDLE';
    let header: PromotionHeader;
    try {
      header = normalizeHeader({
        vendors: [vendor.code],
        type: first.type,
        active: items.some((x) => x.row.active),
        reason: first.reason as never,
        display_name: { [vendor.locale]: first.campaignName },
        conditions: {
          start_time: first.startTime,
          end_time: first.endTime,
          ...(bundle ? { purchased_quantity: first.purchasedQuantity ?? 2, discounted_quantity: first.discountedQuantity ?? 1 } : {}),
        },
        limits: {
          ...(first.globalLimit !== undefined ? { global_limit: first.globalLimit } : {}),
          ...(first.maxItemsPerOrder !== undefined ? { max_items_per_order: first.maxItemsPerOrder } : {}),
        },
      });
    } catch (err) {
      const message = err instanceof AppError ? err.message : String(err);
      for (const x of items) results[x.i] = { result: 'INVALID_PROMOTION', message };
      continue;
    }
    const skuRows: PromotionSkuRow[] = [];
    const rowsOfSku = new Map<string, number[]>();
    for (const x of items) {
      try {
        checkDiscountEntry(header, { discount_subtype: x.row.subType, discount_value: x.row.discountValue, active: x.row.active, sku: [x.sku] }, `row`);
      } catch (err) {
        results[x.i] = { result: 'INVALID_PROMOTION', message: err instanceof AppError ? err.message : String(err) };
        continue;
      }
      skuRows.push({ s: x.sku, t: x.row.subType, v: entryValue(x.row.subType, x.row.discountValue), a: x.row.active });
      rowsOfSku.set(x.sku, [...(rowsOfSku.get(x.sku) ?? []), x.i]);
    }
    const bodyHash = sha256(canonicalJson({ header, skuRows }));
    const promotion = await upsertPromotionHeader(ctx, trx, chainId, header, { bodyHash, source: 'SFTP', jobId: null });
    const issues: Issue[] = [];
    await applyPairs(trx, ctx.dialect, promotion, [{ id: vendor.id, ref: vendor.code }], skuRows, { jobId: null, issues, keepIssues: Number.MAX_SAFE_INTEGER });
    const problem = new Map(issues.map((x) => [x.sku, x]));
    for (const r of skuRows) {
      for (const i of rowsOfSku.get(r.s) ?? []) {
        const p = problem.get(r.s);
        if (!r.a) results[i] = { result: 'DEACTIVATED' };
        else if (!p) results[i] = { result: 'UPDATED' };
        else if (p.kind === 'MISSING_SKU') results[i] = { result: 'SKU_NOT_FOUND', message: `sku ${r.s} is not listed at vendor ${vendor.code}` };
        else results[i] = { result: 'INVALID_DISCOUNTED_SKU', message: p.reason };
      }
    }
  }
  return results;
}
