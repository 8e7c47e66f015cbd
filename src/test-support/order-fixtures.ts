import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../platform/context.js';
import { applyProductRows } from '../catalog/products.repository.js';
import type { ProductBody } from '../catalog/product-input.js';
import type { Vendor } from '../vendors/vendors.schemas.js';

export interface TestProduct {
  sku: string;
  title: string;
  price: number;
  kg?: boolean;
  vat?: number;
  active?: boolean;
  max?: number | null;
}

/** A small assortment: unit and weighted items, awkward prices, an inactive product, a capped one. */
export const TEST_PRODUCTS: TestProduct[] = [
  { sku: 'LECHE-1L', title: 'Leche entera 1 L', price: 1250.5, max: 6 },
  { sku: 'PAN-LACTAL', title: 'Pan lactal', price: 2199.99 },
  { sku: 'AGUA-500', title: 'Agua mineral 500 ml', price: 650.755, max: 12 },
  { sku: 'YERBA-1K', title: 'Yerba mate 1 kg', price: 4999.999, vat: 10.5 },
  { sku: 'QUESO-TYBO', title: 'Queso tybo', price: 8999.9, kg: true },
  { sku: 'BANANA', title: 'Banana', price: 1899.999, kg: true },
  { sku: 'GALLETITAS', title: 'Galletitas dulces', price: 999.99 },
  { sku: 'INACTIVO', title: 'Producto inactivo', price: 100, active: false },
];

// Lists the test products on these vendors through the catalog domain (products + listings).
export async function seedCatalog(ctx: AppContext, vendors: Vendor[], products: TestProduct[] = TEST_PRODUCTS): Promise<void> {
  const byChain = new Map<string, string[]>();
  for (const v of vendors) byChain.set(v.chain_id, [...(byChain.get(v.chain_id) ?? []), v.id]);
  for (const [chainId, vendorIds] of byChain) {
    const rows: ProductBody[] = products.map((p, i) => ({
      sku: p.sku,
      barcode: [`779${String(1000000000 + i).slice(1)}`],
      title: { es_AR: p.title },
      categories: ['Test'],
      image_url: `https://img.example/${p.sku}.jpg`,
      is_sold_by_weight: p.kg ?? false,
      ...(p.kg ? { weight_specifications: { base_weight: 1, average_weight_per_piece: 0.5 } } : {}),
      vat_percent: p.vat ?? 21,
      price: p.price,
      active: p.active ?? true,
      maximum_sales_quantity: p.max ?? null,
    })) as ProductBody[];
    const results = await ctx.db.transaction().execute((trx) => applyProductRows(ctx, trx, chainId, vendorIds, rows, 0));
    const bad = results.filter((r) => r.result !== 'CREATED' && r.result !== 'UPDATED');
    if (bad.length) throw new Error(`seedCatalog: ${JSON.stringify(bad)}`);
  }
}

export const CUSTOMER = {
  first_name: 'María',
  last_name: 'González',
  phone_number: '+5491155550000',
  delivery_address: { city: 'Buenos Aires', street: 'Honduras', number: '5000', floor: '3', apartment: 'B', latitude: -34.58, longitude: -58.43 },
};

export type IntakeItemInput = { sku: string; quantity?: number; weight?: number };

/** POST /platform/v1/orders; throws unless 201. */
export async function placeOrderVia(
  app: FastifyInstance,
  opKey: string,
  vendor: Vendor,
  items: IntakeItemInput[],
  transport: 'LOGISTICS_DELIVERY' | 'VENDOR_DELIVERY' = 'LOGISTICS_DELIVERY',
): Promise<any> {
  const res = await app.inject({
    method: 'POST',
    url: '/platform/v1/orders',
    headers: { authorization: `Bearer ${opKey}` },
    payload: { vendor_id: vendor.code, transport_type: transport, order_type: 'DELIVERY', items, customer: CUSTOMER },
  });
  if (res.statusCode !== 201) throw new Error(`intake failed: ${res.statusCode} ${res.body}`);
  return res.json();
}
