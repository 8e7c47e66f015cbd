import type { Json } from '../platform/http/openapi-components.js';

/**
 * The OpenAPI documents' examples, taken from the demo (`comanda start`): its stores (PAL-001 Partner
 * Picking, TEST-900 test store), its catalog SKUs and an order placed on it. A test sends every
 * request example to a server seeded with the demo and expects 2xx (test/openapi-examples.test.ts).
 * The demo's ids are made per installation: the chain, order, job and line ids below are where the
 * reader puts their own (the test puts the ones its server made).
 */
export const EXAMPLE_IDS = {
  chain_id: '706eaea4-547b-4d35-ad98-5a94a65ac0be',
  order_id: 'f3d6c084-1d57-4704-94eb-7b52e96b4cfd',
  job_id: '3586b3f6-5450-425a-9b7b-b7f474a44654',
} as const;

/** An order of the demo as GET answers it and RECEIVED delivers it (2 x ACE-0021, 1 x ACE-0022, 1 kg of KG-FRU-0198). */
export const ORDER_EXAMPLE: Json = {
  "order_id": "f3d6c084-1d57-4704-94eb-7b52e96b4cfd",
  "external_order_id": "068634541679269703",
  "order_code": "CW-984",
  "status": "RECEIVED",
  "order_type": "DELIVERY",
  "transport_type": "LOGISTICS_DELIVERY",
  "isPreorder": false,
  "comment": "",
  "promised_for": "2026-12-02T00:56:05.557Z",
  "accepted_for": null,
  "client": {
    "id": "d2386288-4a7e-4c81-8d6f-fc293311fe9a",
    "chain_id": "706eaea4-547b-4d35-ad98-5a94a65ac0be",
    "name": "Mercado Demo Palermo",
    "country_code": "AR",
    "store_id": "PAL-001",
    "vendor_id": "kc3i",
    "external_partner_config_id": "PAL-001"
  },
  "customer": {
    "_id": "82a82d54-a69c-4339-9ebf-3456eee46db6",
    "first_name": "María",
    "last_name": "González",
    "phone_number": "+5491155550000",
    "national_id": null,
    "tax_id": null,
    "delivery_address": {
      "country": "AR",
      "city": "Buenos Aires",
      "street": "Honduras",
      "number": "5000",
      "company": null,
      "block": null,
      "building": null,
      "entrance": null,
      "intercom": null,
      "floor": null,
      "apartment": null,
      "suburb": null,
      "zipcode": null,
      "latitude": null,
      "longitude": null,
      "instructions": null,
      "formattedAddress": null
    }
  },
  "items": [
    {
      "_id": "66e49972-ed83-47df-9177-c00f4b86a18f",
      "sku": "ACE-0021",
      "barcode": [
        "7790001000217"
      ],
      "name": "Aceite de girasol Natura 900 ml",
      "status": "NOT_PROCESSED",
      "instructions": "",
      "image_url": null,
      "container_deposit": 0,
      "pricing": {
        "pricing_type": "UNIT",
        "unit_price": 1978.99,
        "total_price": 3957.98,
        "quantity": 2,
        "min_quantity": 1,
        "max_quantity": 2,
        "vat_percent": 21
      },
      "original_pricing": {
        "pricing_type": "UNIT",
        "unit_price": 1978.99,
        "total_price": 3957.98,
        "quantity": 2,
        "min_quantity": 1,
        "max_quantity": 2,
        "vat_percent": 21
      },
      "discount": 0,
      "promotion": []
    },
    {
      "_id": "c4be8dd1-5062-42cc-a2d8-ff120496c26f",
      "sku": "ACE-0022",
      "barcode": [
        "7790001000224"
      ],
      "name": "Aceite de girasol Natura 1,5 L",
      "status": "NOT_PROCESSED",
      "instructions": "",
      "image_url": null,
      "container_deposit": 0,
      "pricing": {
        "pricing_type": "UNIT",
        "unit_price": 3568.99,
        "total_price": 3568.99,
        "quantity": 1,
        "min_quantity": 1,
        "max_quantity": 1,
        "vat_percent": 21
      },
      "original_pricing": {
        "pricing_type": "UNIT",
        "unit_price": 3568.99,
        "total_price": 3568.99,
        "quantity": 1,
        "min_quantity": 1,
        "max_quantity": 1,
        "vat_percent": 21
      },
      "discount": 0,
      "promotion": []
    },
    {
      "_id": "855cc82a-72d1-4a06-9ee5-f64f44b9d610",
      "sku": "KG-FRU-0198",
      "barcode": [
        "2000198"
      ],
      "name": "Banana Ecuador x kg",
      "status": "NOT_PROCESSED",
      "instructions": "",
      "image_url": null,
      "container_deposit": 0,
      "pricing": {
        "pricing_type": "KG",
        "unit_price": 1899,
        "total_price": 1899,
        "quantity": 1,
        "min_quantity": 1,
        "max_quantity": 1,
        "vat_percent": 10.5,
        "weight": 1
      },
      "original_pricing": {
        "pricing_type": "KG",
        "unit_price": 1899,
        "total_price": 1899,
        "quantity": 1,
        "min_quantity": 1,
        "max_quantity": 1,
        "vat_percent": 10.5,
        "weight": 1
      },
      "discount": 0,
      "promotion": []
    }
  ],
  "payment": {
    "type": "PAID",
    "sub_total": 9425.97,
    "order_total": 9425.97,
    "delivery_fee": 0,
    "service_fee": 0,
    "difference_to_minimum": 0,
    "discount": 0,
    "discounts": [],
    "container_charge": 0,
    "total_taxes": 1486.78
  },
  "sys": {
    "created_at": "2026-12-02T00:26:05.557Z",
    "updated_at": "2026-12-02T00:26:05.557Z",
    "created_by": "operator-key:a0b4ec94-40e3-460e-b146-e43e6d7466d3",
    "updated_by": "operator-key:a0b4ec94-40e3-460e-b146-e43e6d7466d3",
    "webhook_status": "SENT_TO_OUTBOX",
    "event_id": "3812e1de-e237-4078-9fc8-c3f7b64e6e61",
    "sequence": 1
  }
};

/** Path and query parameter examples, by parameter name (every operation that has the parameter). */
export const PARAMETER_EXAMPLES: Record<string, unknown> = {
  ...EXAMPLE_IDS,
  vendor_id: 'PAL-001',
  start_time: '2026-11-01T00:00:00Z',
  end_time: '2026-11-30T23:59:59Z',
  page: 1,
  page_size: 20,
};

export interface ExampleValue {
  summary: string;
  value: unknown;
}

/** Request body examples by operationId: what a partner sends, in the shapes the server accepts. */
export const BODY_EXAMPLES: Record<string, Record<string, ExampleValue>> = {
  updateOrder: {
    fulfil: { summary: 'Full fulfilment: every line picked as ordered (logistics delivery)', value: { status: 'READY_FOR_PICKUP' } },
    partial: {
      summary: 'Partial fulfilment: one unit fewer of a line, another line not found',
      value: { status: 'READY_FOR_PICKUP', items: [{ sku: 'ACE-0021', pricing: { quantity: 1 } }, { sku: 'ACE-0022', status: 'NOT_FOUND' }] },
    },
    weight: { summary: 'A weighed line picked at 1.1 kg (within the tolerance) and fulfil', value: { status: 'READY_FOR_PICKUP', items: [{ sku: 'KG-FRU-0198', pricing: { weight: 1.1 } }] } },
    addition: { summary: 'An extra line the picker added, priced from the catalog', value: { status: 'READY_FOR_PICKUP', items: [{ sku: 'ACE-0023', status: 'ADDITION', pricing: { quantity: 1 } }] } },
    updateCart: { summary: 'Review the cart while picking (no webhook), then fulfil with another PUT', value: { status: 'UPDATE_CART', items: [{ sku: 'ACE-0021', pricing: { quantity: 1 } }] } },
    accept: { summary: 'Vendor delivery: accept with the time the order will be ready', value: { status: 'ACCEPTED', accepted_for: '2030-01-01T12:30:00Z' } },
    cancel: { summary: 'Cancel: the store cannot serve it', value: { status: 'CANCELLED', cancellation: { reason: 'ITEM_UNAVAILABLE' } } },
  },
  updateVendorCatalog: {
    prices: {
      summary: 'New price of one listing, another deactivated by quantity below its sales buffer',
      value: { products: [{ sku: 'ACE-0021', price: 1999.5, active: true }, { sku: 'ACE-0024', quantity: 0 }] },
    },
  },
  createProducts: {
    product: {
      summary: 'A new product listed on the Palermo store',
      value: {
        vendors: ['PAL-001'],
        products: [{ sku: 'ACE-9001', barcode: ['7790001090010'], title: { es_AR: 'Aceite de oliva Cocinero 1 L' }, categories: ['Almacén/Aceites y vinagres'], brand: 'Cocinero', vat_percent: 21, price: 11490, active: true }],
      },
    },
  },
  updateStoreStatus: {
    closeToday: { summary: 'Close the store for the rest of the day', value: { status: 'CLOSED_TODAY', closed_reason: 'TECHNICAL_PROBLEM' } },
  },
  updateOpeningHours: {
    week: {
      summary: 'Monday to Saturday 08:00–22:00, check-in not required',
      value: { opening_hours: [1, 2, 3, 4, 5, 6].map((day) => ({ day, opens: '08:00', closes: '22:00' })), checkin_required: false },
    },
  },
  upsertPromotion: {
    strikethrough: {
      summary: 'Strikethrough: a final price below the listing price on one store',
      value: {
        vendors: ['PAL-001'],
        type: 'STRIKETHROUGH',
        reason: 'COMPETITIVENESS',
        display_name: { es_AR: 'Aceite Natura a precio especial' },
        conditions: { start_time: '2030-01-01T03:00:00Z', end_time: '2030-01-31T03:00:00Z' },
        limits: { max_items_per_order: 6 },
        discount: [{ discount_subtype: 'FINAL_PRICE', discount_value: 1799, sku: ['ACE-0021'] }],
      },
    },
  },
};
