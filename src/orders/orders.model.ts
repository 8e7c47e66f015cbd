import type { PromotionTerms } from '../promotions/index.js';

/** The order as Comanda keeps it internally: integer money, grams, camel-free snake_case like the wire. */

export const ORDER_STATUSES = ['RECEIVED', 'ACCEPTED', 'READY_FOR_PICKUP', 'DISPATCHED', 'DELIVERED', 'CANCELLED'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];
/** What a PUT may ask for: the stored statuses a partner sets, plus UPDATE_CART (not a stored state). */
export const PUT_STATUSES = ['UPDATE_CART', 'READY_FOR_PICKUP', 'ACCEPTED', 'DISPATCHED', 'CANCELLED'] as const;
export type PutStatus = (typeof PUT_STATUSES)[number];
export const ITEM_STATUSES = ['NOT_PROCESSED', 'IN_CART', 'NOT_FOUND', 'REPLACED', 'ADDITION'] as const;
export type ItemStatus = (typeof ITEM_STATUSES)[number];
export const TRANSPORT_TYPES = ['LOGISTICS_DELIVERY', 'VENDOR_DELIVERY'] as const;
export type TransportType = (typeof TRANSPORT_TYPES)[number];
export const ORDER_TYPES = ['DELIVERY', 'PICKUP'] as const;
export type OrderType = (typeof ORDER_TYPES)[number];
export type PricingType = 'UNIT' | 'KG';
export const CANCEL_REASONS = ['CLOSED', 'ITEM_UNAVAILABLE', 'TOO_BUSY', 'OUT_OF_DELIVERY_AREA', 'OTHER'] as const;
export type CancelReason = (typeof CANCEL_REASONS)[number];
export const CANCELLED_BY = ['CUSTOMER', 'VENDOR', 'LOGISTICS', 'PLATFORM'] as const;
export type CancelledBy = (typeof CANCELLED_BY)[number];

/** The terms of the promotion a line got (kept on the line so picking changes re-price it exactly). */
export interface LinePromotionTerms extends PromotionTerms {
  name: string;
  maxItemsPerOrder: number | null;
  /** limits.max_discount_per_order, thousandths of the currency unit (absent on lines priced before it existed). */
  maxDiscountPerOrder?: number | null;
}

/** What the customer ordered on a line; never changes after intake (zeros for lines the picker added). */
export interface OriginalPricing {
  unit_price: number;
  quantity: number;
  grams: number | null;
  total: number;
}

export interface OrderLine {
  id: string;
  sku: string;
  barcodes: string[];
  name: string;
  status: ItemStatus;
  replaced_id: string | null;
  instructions: string;
  image_url: string | null;
  /** Minor units. */
  container_deposit: number;
  pricing_type: PricingType;
  /** Thousandths of the currency unit (per kg for KG lines). */
  unit_price: number;
  quantity: number;
  /** Picked/ordered weight in grams (KG lines only). */
  grams: number | null;
  min_quantity: number;
  max_quantity: number;
  vat_percent: number;
  original: OriginalPricing;
  /** Amount off this line, minor units (promotions). */
  discount: number;
  promotions: Array<{ promotion_id: string; type: string; discount_amount: number }>;
  /** Listing price, thousandths (unit_price differs from it under a strikethrough promotion). */
  list_price?: number;
  /** The promotion this line got, kept so picking changes re-price it exactly. */
  promotion_terms?: LinePromotionTerms | null;
  /** True for lines added while picking (replacements and additions). */
  added: boolean;
}

export interface DeliveryAddress {
  country?: string | null;
  city?: string | null;
  street?: string | null;
  number?: string | null;
  company?: string | null;
  block?: string | null;
  building?: string | null;
  entrance?: string | null;
  intercom?: string | null;
  floor?: string | null;
  apartment?: string | null;
  suburb?: string | null;
  zipcode?: string | null;
  latitude?: number | null;
  longitude?: number | null;
  instructions?: string | null;
  formattedAddress?: string | null;
}

export interface Customer {
  _id: string;
  first_name: string;
  last_name: string;
  phone_number: string;
  national_id: string | null;
  tax_id: string | null;
  delivery_address: DeliveryAddress;
}

export interface Cancellation {
  reason: string;
  cancelled_by: CancelledBy;
}

/** One stored order (a row of `orders`, mapped). */
export interface Order {
  id: string;
  chain_id: string;
  vendor_id: string;
  external_order_id: string;
  order_code: string;
  status: OrderStatus;
  transport_type: TransportType;
  order_type: OrderType;
  is_preorder: boolean;
  is_test: boolean;
  comment: string;
  promised_for: string;
  accepted_for: string | null;
  currency: string;
  payment_type: string;
  customer: Customer;
  lines: OrderLine[];
  fees: { delivery_fee: number; service_fee: number; difference_to_minimum: number; container_charge: number };
  cancellation: Cancellation | null;
  created_at: string;
  updated_at: string;
  created_by: string;
  updated_by: string;
  /** Bumped on every write. */
  version: number;
  /** sys.sequence / sys.event_id of the last webhook event of this order (0 / null before the first). */
  event_sequence: number;
  last_event_id: string | null;
  webhook_status: string;
}
