import type { AppContext } from '../platform/context.js';
import { AppError } from '../platform/errors.js';
import { sampleListings } from './catalog-lookup.js';
import { placeOrder, resolveIntakeVendor } from './intake.service.js';
import type { Order } from './orders.model.js';
import type { IntakeBody } from './orders.schemas.js';
import type { Vendor } from '../vendors/index.js';

export interface TestOrderInput {
  vendor_id: string;
  chain_id?: string;
  transport_type?: IntakeBody['transport_type'];
  order_type?: IntakeBody['order_type'];
  items?: IntakeBody['items'];
  comment?: string;
}

/** A sample basket from the vendor's active listings: a few unit items and, when listed, one weighted item. */
export async function sampleBasket(ctx: AppContext, vendorId: string, size = 3): Promise<IntakeBody['items']> {
  const listed = (await sampleListings(ctx.db, vendorId, 50)).filter((p) => p.active);
  if (listed.length === 0) throw new AppError('NO_PRODUCTS_LISTED');
  const units = listed.filter((p) => !p.is_sold_by_weight);
  const weighted = listed.filter((p) => p.is_sold_by_weight);
  const items: IntakeBody['items'] = [];
  for (const p of units.slice(0, weighted.length ? size - 1 : size)) items.push({ sku: p.sku, quantity: Math.min(2, p.maximum_sales_quantity ?? 2) });
  if (weighted[0]) items.push({ sku: weighted[0].sku, weight: 0.75 });
  return items;
}

/**
 * A sandbox order on a test store (POST /platform/v1/test-orders and the portal's Test Order button):
 * the chosen SKUs (or a sample basket), a fictitious customer, the normal intake path and webhook.
 */
export async function createTestOrder(ctx: AppContext, input: TestOrderInput, actor: string, restrictToChain?: string): Promise<{ order: Order; vendor: Vendor; json: string }> {
  const vendor = await resolveIntakeVendor(ctx.db, input.vendor_id, input.chain_id ?? restrictToChain);
  if (restrictToChain && vendor.chain_id !== restrictToChain) throw new AppError('VENDOR_NOT_FOUND');
  if (!vendor.is_test) throw new AppError('NOT_A_TEST_STORE', `Vendor ${vendor.code} is not a test store`);
  const items = input.items?.length ? input.items : await sampleBasket(ctx, vendor.id);
  return placeOrder(
    ctx,
    {
      vendor_id: vendor.code,
      transport_type: input.transport_type ?? 'LOGISTICS_DELIVERY',
      order_type: input.order_type ?? 'DELIVERY',
      items,
      comment: input.comment ?? 'Pedido de prueba / test order',
      customer: {
        first_name: 'Cliente',
        last_name: 'De Prueba',
        phone_number: '+5491100000000',
        delivery_address: { city: 'Buenos Aires', street: 'Av. Siempre Viva', number: '742', formattedAddress: 'Av. Siempre Viva 742, Buenos Aires' },
      },
    },
    { actor, testOrder: true },
  );
}
