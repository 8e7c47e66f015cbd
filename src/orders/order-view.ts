import type { Vendor } from '../vendors/index.js';
import { gramsToKg, minorDigits, scaled, thousandthsToUnits } from '../platform/money.js';
import type { Order, OrderLine, OriginalPricing } from './orders.model.js';
import type { OrderObject } from './orders.schemas.js';
import { computeTotals, lineTotal, type OrderTotals } from './pricing.js';

type Pricing = OrderObject['items'][number]['pricing'];

function pricing(line: OrderLine, p: { unit_price: number; quantity: number; grams: number | null; total: number }): Pricing {
  const out: Pricing = {
    pricing_type: line.pricing_type,
    unit_price: thousandthsToUnits(p.unit_price),
    total_price: 0,
    quantity: p.quantity,
    min_quantity: line.min_quantity,
    max_quantity: line.max_quantity,
    vat_percent: line.vat_percent,
  };
  if (line.pricing_type === 'KG') out.weight = gramsToKg(p.grams ?? 0);
  return out;
}

/** Totals of a stored order, minor units. */
export function orderTotals(order: Order): OrderTotals {
  return computeTotals(order.lines, order.fees, minorDigits(order.currency));
}

/**
 * The order object of partner-api.md §3.2 (GET, PUT response and webhook body), from the stored
 * order and its vendor. Integer money becomes JSON numbers here and nowhere else.
 */
export function renderOrder(order: Order, vendor: Vendor, totals: OrderTotals = orderTotals(order)): OrderObject {
  const d = minorDigits(order.currency);
  const money = (minor: number) => scaled(minor, d);
  const items = order.lines.map((line) => {
    const current = pricing(line, { unit_price: line.unit_price, quantity: line.quantity, grams: line.grams, total: 0 });
    current.total_price = money(lineTotal(line, d));
    const o: OriginalPricing = line.original;
    const original = pricing(line, o);
    original.total_price = money(o.total);
    const item: OrderObject['items'][number] = {
      _id: line.id,
      sku: line.sku,
      barcode: line.barcodes,
      name: line.name,
      status: line.status,
      instructions: line.instructions,
      image_url: line.image_url,
      container_deposit: money(line.container_deposit),
      pricing: current,
      original_pricing: original,
      discount: money(line.discount),
      promotion: line.promotions.map((p) => ({ ...p, discount_amount: money(p.discount_amount) })),
    };
    if (line.replaced_id) item.replaced_id = line.replaced_id;
    return item;
  });
  const out: OrderObject = {
    order_id: order.id,
    external_order_id: order.external_order_id,
    order_code: order.order_code,
    status: order.status,
    order_type: order.order_type,
    transport_type: order.transport_type,
    isPreorder: order.is_preorder,
    comment: order.comment,
    promised_for: order.promised_for,
    accepted_for: order.accepted_for,
    client: {
      id: vendor.id,
      chain_id: vendor.chain_id,
      name: vendor.name,
      country_code: vendor.country_code,
      store_id: vendor.external_id ?? vendor.code,
      vendor_id: vendor.code,
      // The partner-side store id: a value that works as {vendor_id} in every path.
      external_partner_config_id: vendor.external_id ?? vendor.code,
    },
    customer: {
      ...order.customer,
      delivery_address: fullAddress(order.customer.delivery_address),
    },
    items,
    payment: {
      type: order.payment_type,
      sub_total: money(totals.sub_total),
      order_total: money(totals.order_total),
      delivery_fee: money(order.fees.delivery_fee),
      service_fee: money(order.fees.service_fee),
      difference_to_minimum: money(order.fees.difference_to_minimum),
      discount: money(totals.discount),
      discounts: totals.discounts.map((x) => ({ ...x, value: money(x.value) })),
      container_charge: money(order.fees.container_charge),
      total_taxes: money(totals.total_taxes),
    },
    // Before sys: the webhook body of a change is this object with sys last (the snapshot is derived from it).
    ...(order.cancellation ? { cancellation: order.cancellation } : {}),
    sys: {
      created_at: order.created_at,
      updated_at: order.updated_at,
      created_by: order.created_by,
      updated_by: order.updated_by,
      webhook_status: order.webhook_status,
      event_id: order.last_event_id,
      sequence: order.event_sequence,
    },
  };
  return out;
}

const ADDRESS_KEYS = [
  'country', 'city', 'street', 'number', 'company', 'block', 'building', 'entrance', 'intercom', 'floor',
  'apartment', 'suburb', 'zipcode', 'latitude', 'longitude', 'instructions', 'formattedAddress',
] as const;

function fullAddress(a: Order['customer']['delivery_address']): OrderObject['customer']['delivery_address'] {
  const out = {} as Record<string, unknown>;
  for (const k of ADDRESS_KEYS) out[k] = a[k] ?? null;
  return out as OrderObject['customer']['delivery_address'];
}
