import crypto from 'node:crypto';
import type { AppContext } from '../platform/context.js';
import type { Executor } from '../db/database.js';
import { AppError } from '../platform/errors.js';
import { assertStoreOpen } from '../outlets/index.js';
import { uuid } from '../platform/secrets.js';
import { resolveVendor, toVendor, type Vendor } from '../vendors/index.js';
import { findListings, productName, type ListedProduct } from './catalog-lookup.js';
import { minorDigits, toGrams } from '../platform/money.js';
import type { Customer, Order, OrderLine } from './orders.model.js';
import type { IntakeBody } from './orders.schemas.js';
import { commitOrderChange, type CommittedOrder } from './orders.service.js';
import { lineTotal } from './pricing.js';
import { applyPromotionCaps, assertPromotionItemLimits, attachPromotions } from './line-promotions.js';
import { effectivePromotions } from '../promotions/index.js';

const CODE_LETTERS = 'ABCDEFGHJKLMNPRSTUVWXYZ';

/** A short code riders and pickers say aloud: two letters and three digits, e.g. "KP-482". */
export function newOrderCode(): string {
  const b = crypto.randomBytes(4);
  return `${CODE_LETTERS[b[0]! % CODE_LETTERS.length]}${CODE_LETTERS[b[1]! % CODE_LETTERS.length]}-${String(b.readUInt16BE(2) % 1000).padStart(3, '0')}`;
}

/** The platform order number: 18 digits from 56 random bits of the order's UUID (unique without a lookup). */
export function externalOrderIdFor(orderId: string): string {
  return BigInt(`0x${orderId.replace(/-/g, '').slice(0, 14)}`).toString().padStart(18, '0');
}

/** The vendor an intake names: platform code (global), or external id (with chain_id, or unique across chains). */
export async function resolveIntakeVendor(db: Executor, ref: string, chainId?: string): Promise<Vendor> {
  if (chainId) {
    const v = await resolveVendor(db, chainId, ref);
    if (!v) throw new AppError('VENDOR_NOT_FOUND', `body.vendor_id: no vendor "${ref}" in chain ${chainId}`);
    return v;
  }
  const rows = await db
    .selectFrom('vendors')
    .selectAll()
    .where((eb) => eb.or([eb('code', '=', ref), eb('external_id', '=', ref)]))
    .limit(3)
    .execute();
  const byCode = rows.find((r) => r.code === ref);
  if (byCode) return toVendor(byCode);
  if (rows.length > 1) throw new AppError('VALIDATION_FAILED', `body.vendor_id "${ref}" is an external id used by several chains: send body.chain_id too`);
  if (!rows[0]) throw new AppError('VENDOR_NOT_FOUND', `body.vendor_id: no vendor "${ref}"`);
  return toVendor(rows[0]);
}

export interface IntakeOptions {
  actor: string;
  /** Sandbox test orders: only test stores, opening hours not enforced. */
  testOrder?: boolean;
}

/**
 * POST /platform/v1/orders: validates the basket against the vendor's listings, prices every line
 * from the listing, stores the order RECEIVED and (Partner Picking vendors) enqueues the RECEIVED
 * webhook in the same transaction. INDIRECT_POS orders wait for the Pelican picker.
 */
export async function placeOrder(ctx: AppContext, body: IntakeBody, opts: IntakeOptions): Promise<{ order: Order; vendor: Vendor; json: string }> {
  const vendor = await intakeVendor(ctx.db, body, opts);
  const skus = [...new Set(body.items.map((i) => i.sku))];
  const listings = await findListings(ctx.db, vendor.id, skus);
  const digits = minorDigits(vendor.currency);
  const lines = basketLines(body.items, listings, vendor, digits);
  const now = ctx.clock.now();
  await applyIntakePromotions(ctx.db, vendor, lines, skus, now, digits);
  const order = newOrder(body, vendor, lines, { now, digits, actor: opts.actor });
  const saved = await storeNewOrder(ctx, vendor, order, opts);
  return { order: saved.order, vendor, json: saved.json };
}

/** The vendor of the intake; sandbox test orders only reach test stores. */
async function intakeVendor(db: Executor, body: IntakeBody, opts: IntakeOptions): Promise<Vendor> {
  const vendor = await resolveIntakeVendor(db, body.vendor_id, body.chain_id);
  if (opts.testOrder && !vendor.is_test) throw new AppError('NOT_A_TEST_STORE', `Vendor ${vendor.code} is not a test store`);
  return vendor;
}

type IntakeItem = IntakeBody['items'][number];

/**
 * One line per basket item, in order, each checked against its listing (listed, active, weight or
 * units as the product is sold, maximum_sales_quantity over the SKU's lines so far) and priced at the
 * listing price. The first item that fails refuses the order.
 */
function basketLines(items: readonly IntakeItem[], listings: ReadonlyMap<string, ListedProduct>, vendor: Vendor, digits: number): OrderLine[] {
  const unitsPerSku = new Map<string, number>();
  return items.map((item, i) => {
    const field = `body.items[${i}]`;
    const p = listedProduct(listings, item, field, vendor);
    const { quantity, grams } = orderedAmount(item, p, field);
    const units = (unitsPerSku.get(item.sku) ?? 0) + quantity;
    unitsPerSku.set(item.sku, units);
    assertMaxSalesQuantity(p, item, units, field);
    return intakeLine(item, p, quantity, grams, vendor, digits);
  });
}

/** The item's listing at the vendor: listed and active. */
function listedProduct(listings: ReadonlyMap<string, ListedProduct>, item: IntakeItem, field: string, vendor: Vendor): ListedProduct {
  const p = listings.get(item.sku);
  if (!p) throw new AppError('SKU_NOT_IN_ASSORTMENT', `${field}.sku: "${item.sku}" is not listed at vendor ${vendor.code}`, { field: `${field}.sku`, sku: item.sku });
  if (!p.active) throw new AppError('PRODUCT_INACTIVE', `${field}.sku: "${item.sku}" is not active at vendor ${vendor.code}`, { field: `${field}.sku`, sku: item.sku });
  return p;
}

/** Units (and grams for products sold by weight) the item orders: weight only and always for weighed products. */
function orderedAmount(item: IntakeItem, p: ListedProduct, field: string): { quantity: number; grams: number | null } {
  if (p.is_sold_by_weight) {
    if (item.weight === undefined) throw new AppError('WEIGHT_REQUIRED', `${field}.weight: "${item.sku}" is sold by weight; send weight in kg`, { field: `${field}.weight` });
    const grams = toGrams(item.weight);
    if (grams < 1) throw new AppError('WEIGHT_REQUIRED', `${field}.weight must be at least 0.001 kg`, { field: `${field}.weight` });
    return { quantity: item.quantity ?? 1, grams };
  }
  if (item.weight !== undefined) throw new AppError('WEIGHT_NOT_ALLOWED', `${field}.weight: "${item.sku}" is sold by unit; send quantity`, { field: `${field}.weight` });
  return { quantity: item.quantity ?? 1, grams: null };
}

/** maximum_sales_quantity: `units` of the SKU ordered up to and including this item. */
function assertMaxSalesQuantity(p: ListedProduct, item: IntakeItem, units: number, field: string): void {
  if (p.maximum_sales_quantity != null && units > p.maximum_sales_quantity) {
    throw new AppError('MAX_SALES_QUANTITY_EXCEEDED', `${field}.quantity: at most ${p.maximum_sales_quantity} of "${item.sku}" per order`, {
      field: `${field}.quantity`,
      maximum_sales_quantity: p.maximum_sales_quantity,
    });
  }
}

/** A new NOT_PROCESSED line at the listing price (promotions come after). */
function intakeLine(item: IntakeItem, p: ListedProduct, quantity: number, grams: number | null, vendor: Vendor, digits: number): OrderLine {
  const pricing = { pricing_type: p.is_sold_by_weight ? ('KG' as const) : ('UNIT' as const), unit_price: p.price, quantity, grams };
  return {
    id: uuid(),
    sku: p.sku,
    barcodes: p.barcodes,
    name: productName(p, vendor.locale),
    status: 'NOT_PROCESSED',
    replaced_id: null,
    instructions: item.instructions ?? '',
    image_url: p.image_url,
    container_deposit: 0,
    pricing_type: pricing.pricing_type,
    unit_price: p.price,
    quantity,
    grams,
    min_quantity: 1,
    max_quantity: quantity,
    vat_percent: p.vat_percent,
    original: { unit_price: p.price, quantity, grams, total: lineTotal(pricing, digits) },
    discount: 0,
    promotions: [],
    added: false,
  };
}

/**
 * Promotions running now (partner-api.md §5): price, discount and promotion[] of each line (mutates);
 * the ordered (original) pricing is the promoted one; max_items_per_order is refused like
 * maximum_sales_quantity.
 */
async function applyIntakePromotions(db: Executor, vendor: Vendor, lines: OrderLine[], skus: readonly string[], now: Date, digits: number): Promise<void> {
  attachPromotions(lines, await effectivePromotions(db, vendor.id, skus, now, vendor.locale), digits);
  applyPromotionCaps(lines, digits);
  assertPromotionItemLimits(lines, (i) => `body.items[${i}]`);
  for (const line of lines) line.original = { ...line.original, unit_price: line.unit_price, total: lineTotal(line, digits) };
}

/** The RECEIVED order of an intake, not yet stored (ids, codes, promised time, customer, fees in minor units). */
function newOrder(body: IntakeBody, vendor: Vendor, lines: OrderLine[], { now, digits, actor }: { now: Date; digits: number; actor: string }): Order {
  const promised = body.promised_for ? new Date(body.promised_for) : new Date(now.getTime() + 30 * 60_000);
  const id = uuid();
  const minor = (v: number | undefined) => Math.round((v ?? 0) * 10 ** digits);
  return {
    id,
    chain_id: vendor.chain_id,
    vendor_id: vendor.id,
    external_order_id: externalOrderIdFor(id),
    order_code: newOrderCode(),
    status: 'RECEIVED',
    transport_type: body.transport_type,
    order_type: body.order_type,
    is_preorder: promised.getTime() - now.getTime() > 60 * 60_000,
    is_test: vendor.is_test,
    comment: body.comment ?? '',
    promised_for: promised.toISOString(),
    accepted_for: null,
    currency: vendor.currency,
    payment_type: body.payment_type ?? 'PAID',
    customer: intakeCustomer(body.customer, vendor),
    lines,
    fees: { delivery_fee: minor(body.delivery_fee), service_fee: minor(body.service_fee), difference_to_minimum: 0, container_charge: 0 },
    cancellation: null,
    created_at: now.toISOString(),
    updated_at: now.toISOString(),
    created_by: actor,
    updated_by: actor,
    version: 0,
    event_sequence: 0,
    last_event_id: null,
    webhook_status: vendor.integration_type === 'DIRECT_POS' ? 'SENT_TO_OUTBOX' : 'NOT_SENT',
  };
}

/** The order's customer; the delivery address defaults to the vendor's country. */
function intakeCustomer(c: IntakeBody['customer'], vendor: Vendor): Customer {
  return {
    _id: uuid(),
    first_name: c.first_name,
    last_name: c.last_name,
    phone_number: c.phone_number,
    national_id: c.national_id ?? null,
    tax_id: c.tax_id ?? null,
    delivery_address: { country: vendor.country_code, ...(c.delivery_address ?? {}) },
  };
}

/** Stores the order RECEIVED in one transaction (the store must be open, except for test orders). */
async function storeNewOrder(ctx: AppContext, vendor: Vendor, order: Order, opts: IntakeOptions): Promise<CommittedOrder> {
  return ctx.db.transaction().execute(async (trx) => {
    if (!opts.testOrder) await assertStoreOpen(ctx, trx, vendor);
    return commitOrderChange(ctx, trx, vendor, order, { type: 'RECEIVED', actor: opts.actor }, true);
  });
}
