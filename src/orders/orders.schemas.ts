import { Type, type Static } from 'typebox';
import { UtcTime } from '../platform/http/schemas.js';
import { CANCEL_REASONS, CANCELLED_BY, ITEM_STATUSES, ORDER_STATUSES, ORDER_TYPES, PUT_STATUSES, TRANSPORT_TYPES } from './orders.model.js';

const lit = <const V extends string[]>(values: readonly [...V], description?: string) => Type.Enum(values, description ? { description } : {});
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);
const NStr = Nullable(Type.String());
const NNum = Type.Union([Type.Number(), Type.Null()]);

export const OrderStatusSchema = lit(ORDER_STATUSES);
export const TransportTypeSchema = lit(TRANSPORT_TYPES);
export const OrderTypeSchema = lit(ORDER_TYPES);

const Pricing = Type.Object({
  pricing_type: lit(['UNIT', 'KG'] as const),
  unit_price: Type.Number({ description: 'per unit, or per kg for KG lines' }),
  total_price: Type.Number(),
  quantity: Type.Integer(),
  weight: Type.Optional(Type.Number({ description: 'kg, KG lines only' })),
  min_quantity: Type.Integer(),
  max_quantity: Type.Integer(),
  vat_percent: Type.Number(),
});

export const OrderItem = Type.Object({
  _id: Type.String(),
  sku: Type.String(),
  barcode: Type.Array(Type.String()),
  name: Type.String(),
  status: lit(ITEM_STATUSES),
  replaced_id: Type.Optional(Type.String()),
  instructions: Type.String(),
  image_url: NStr,
  container_deposit: Type.Number(),
  pricing: Pricing,
  original_pricing: Pricing,
  discount: Type.Number(),
  promotion: Type.Array(Type.Object({ promotion_id: Type.String(), type: Type.String(), discount_amount: Type.Number() })),
});

const AddressFields = {
  country: NStr,
  city: NStr,
  street: NStr,
  number: NStr,
  company: NStr,
  block: NStr,
  building: NStr,
  entrance: NStr,
  intercom: NStr,
  floor: NStr,
  apartment: NStr,
  suburb: NStr,
  zipcode: NStr,
  latitude: NNum,
  longitude: NNum,
  instructions: NStr,
  formattedAddress: NStr,
};
export const DeliveryAddressOut = Type.Object(AddressFields);

/** The order object (partner-api.md §3.2): GET response, PUT response and webhook body. */
export const OrderObject = Type.Object(
  {
    order_id: Type.String({ format: 'uuid' }),
    external_order_id: Type.String(),
    order_code: Type.String(),
    status: OrderStatusSchema,
    order_type: OrderTypeSchema,
    transport_type: TransportTypeSchema,
    isPreorder: Type.Boolean(),
    comment: Type.String(),
    promised_for: Type.String({ format: 'date-time' }),
    accepted_for: NStr,
    client: Type.Object({
      id: Type.String(),
      chain_id: Type.String(),
      name: Type.String(),
      country_code: Type.String(),
      store_id: Type.String({ description: 'external vendor id when mapped, else the platform code' }),
      vendor_id: Type.String({ description: 'platform code' }),
      external_partner_config_id: Type.String({ description: "the partner-side store id (external id when mapped, else the platform code): valid as {vendor_id} in every path" }),
    }),
    customer: Type.Object({
      _id: Type.String(),
      first_name: Type.String(),
      last_name: Type.String(),
      phone_number: Type.String(),
      national_id: NStr,
      tax_id: NStr,
      delivery_address: DeliveryAddressOut,
    }),
    items: Type.Array(OrderItem),
    payment: Type.Object({
      type: Type.String(),
      sub_total: Type.Number(),
      order_total: Type.Number(),
      delivery_fee: Type.Number(),
      service_fee: Type.Number(),
      difference_to_minimum: Type.Number(),
      discount: Type.Number(),
      discounts: Type.Array(Type.Object({ name: Type.String(), value: Type.Number(), promotion_id: NStr })),
      container_charge: Type.Number(),
      total_taxes: Type.Number(),
    }),
    cancellation: Type.Optional(Type.Object({ reason: Type.String(), cancelled_by: Type.String() })),
    sys: Type.Object({
      created_at: Type.String(),
      updated_at: Type.String(),
      created_by: Type.String(),
      updated_by: Type.String(),
      webhook_status: Type.String(),
      event_id: NStr,
      sequence: Type.Integer({ description: 'per-order, increases with every webhook event of the order' }),
    }),
  },
  { $id: 'Order', title: 'Order' },
);
export type OrderObject = Static<typeof OrderObject>;

export const OrderParams = Type.Object({ chain_id: Type.String({ minLength: 1, maxLength: 64 }), order_id: Type.String({ minLength: 1, maxLength: 64 }) });

/** What a partner may send as an item's status; omitted means IN_CART, NOT_PROCESSED leaves the line as it is. */
export const PUT_ITEM_STATUSES = ['IN_CART', 'NOT_FOUND', 'REPLACED', 'ADDITION', 'NOT_PROCESSED'] as const;

/**
 * One item of a PUT. Items echoed from the GET order may carry every read-only field of the order
 * item (barcode, name, pricing.pricing_type, unit_price, total_price, original_pricing, discount,
 * promotion, …): the tolerant reader ignores them; prices always come from the catalog.
 */
export const PutItem = Type.Object(
  {
    _id: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    sku: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
    status: Type.Optional(lit(PUT_ITEM_STATUSES, 'omitted: IN_CART. NOT_PROCESSED: not touched (unchanged on UPDATE_CART, picked as ordered on a fulfilment status)')),
    pricing: Type.Optional(
      Type.Object(
        {
          quantity: Type.Optional(Type.Integer({ minimum: 0, maximum: 100000 })),
          weight: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 10000, description: 'kg' })),
        },
        { additionalProperties: false },
      ),
    ),
    replaced_id: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  },
  { additionalProperties: false },
);
export type PutItem = Static<typeof PutItem>;

export const PutOrderBody = Type.Object(
  {
    order_id: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'optional: the path names the order; when sent it must be the same' })),
    status: lit(PUT_STATUSES),
    accepted_for: Type.Optional(UtcTime({ description: 'with ACCEPTED only; without a zone it is UTC' })),
    items: Type.Optional(Type.Array(PutItem, { maxItems: 500, description: 'with CANCELLED: accepted and ignored' })),
    cancellation: Type.Optional(
      Type.Object(
        {
          reason: lit(CANCEL_REASONS),
          cancelled_by: Type.Optional(lit(CANCELLED_BY, 'accepted and ignored: a cancellation by PUT is always the vendor’s')),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
export type PutOrderBody = Static<typeof PutOrderBody>;

export const VendorOrdersQuery = Type.Object(
  {
    start_time: UtcTime({ description: 'orders created from this time; without a zone it is UTC (2024-09-11T10:40:00)' }),
    end_time: UtcTime({ description: 'until this time (at most 60 days after start_time)' }),
    page: Type.Integer({ minimum: 1, maximum: 100000, default: 1 }),
    page_size: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
    status: Type.Optional(OrderStatusSchema),
    updated_since: Type.Optional(UtcTime()),
  },
  { additionalProperties: false },
);
export type VendorOrdersQuery = Static<typeof VendorOrdersQuery>;

const Pagination = { page: Type.Integer(), page_size: Type.Integer(), total_count: Type.Integer(), total_pages: Type.Integer() };
/** The list: paging at the top level (as existing clients read it, like the catalog list) and in `pagination`. */
export const OrderList = Type.Object({
  orders: Type.Array(OrderObject),
  ...Pagination,
  pagination: Type.Object(Pagination),
});

const OStr = Type.Optional(Type.String({ maxLength: 500 }));
const AddressIn = Type.Object(
  {
    country: OStr, city: OStr, street: OStr, number: OStr, company: OStr, block: OStr, building: OStr, entrance: OStr, intercom: OStr,
    floor: OStr, apartment: OStr, suburb: OStr, zipcode: OStr, latitude: Type.Optional(Type.Number({ minimum: -90, maximum: 90 })),
    longitude: Type.Optional(Type.Number({ minimum: -180, maximum: 180 })), instructions: OStr, formattedAddress: OStr,
  },
  { additionalProperties: false },
);

export const IntakeItem = Type.Object(
  {
    sku: Type.String({ minLength: 1, maxLength: 128 }),
    quantity: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
    weight: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1000, description: 'kg, for products sold by weight' })),
    instructions: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);

export const IntakeCustomer = Type.Object(
  {
    first_name: Type.String({ minLength: 1, maxLength: 100 }),
    last_name: Type.String({ maxLength: 100 }),
    phone_number: Type.String({ minLength: 3, maxLength: 40 }),
    national_id: Type.Optional(Type.String({ maxLength: 40 })),
    tax_id: Type.Optional(Type.String({ maxLength: 40 })),
    delivery_address: Type.Optional(AddressIn),
  },
  { additionalProperties: false },
);

export const IntakeBody = Type.Object(
  {
    vendor_id: Type.String({ minLength: 1, maxLength: 64, description: 'platform code or external id' }),
    chain_id: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'needed only when vendor_id is an external id' })),
    transport_type: TransportTypeSchema,
    order_type: OrderTypeSchema,
    items: Type.Array(IntakeItem, { minItems: 1, maxItems: 200 }),
    customer: IntakeCustomer,
    comment: Type.Optional(Type.String({ maxLength: 1000 })),
    promised_for: Type.Optional(Type.String({ format: 'date-time' })),
    payment_type: Type.Optional(Type.String({ minLength: 1, maxLength: 20 })),
    delivery_fee: Type.Optional(Type.Number({ minimum: 0, maximum: 1_000_000 })),
    service_fee: Type.Optional(Type.Number({ minimum: 0, maximum: 1_000_000 })),
  },
  { additionalProperties: false },
);
export type IntakeBody = Static<typeof IntakeBody>;

export const OperatorOrderParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
export const OperatorCancelBody = Type.Object(
  {
    reason: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    cancelled_by: Type.Optional(lit(['CUSTOMER', 'LOGISTICS', 'PLATFORM'] as const)),
  },
  { additionalProperties: false },
);
