import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usePortalBrowser } from '../test-support/browser.js';
import { operatorKey } from '../test-support/fixtures.js';
import { CUSTOMER, seedCatalog } from '../test-support/order-fixtures.js';
import { WebhookReceiver } from '../test-support/webhook-receiver.js';
import { FAST_WEBHOOKS } from '../test-support/webhooks.js';
import { JobRunner } from '../jobs/job-runner.js';
import { JOB_TYPES } from '../jobs-list.js';
import { useTestContext } from '../test-support/test-app.js';
import { WebhookDispatcher } from '../webhooks/dispatcher.js';

/**
 * Phase-2 pages in Debian's Chromium: webhooks + delivery log against a real receiver, the live orders
 * list and detail while the order is picked through /v2, and the CSV export. One browser, one page.
 */
describe('Partner Portal operations pages in a real browser', () => {
  const s = useTestContext({ chains: { a: 'Ops A' }, config: FAST_WEBHOOKS });
  let receiver: WebhookReceiver;
  let dispatcher: WebhookDispatcher;
  let runner: JobRunner;
  let op: string;
  let orderId = '';

  beforeAll(async () => {
    await seedCatalog(s.ctx, [s.a.test]);
    op = await operatorKey(s.ctx);
    receiver = await WebhookReceiver.start();
    dispatcher = new WebhookDispatcher(s.ctx);
    await dispatcher.start();
    runner = new JobRunner(s.ctx, JOB_TYPES, { owner: 'browser' });
    await runner.start();
  });
  afterAll(async () => {
    await dispatcher?.stop();
    await runner?.stop();
    await receiver?.close();
  });
  const web = usePortalBrowser(s, { locale: 'en-US', timeoutMs: 8_000, context: { acceptDownloads: true }, login: () => s.a.admin });

  it('creates a webhook endpoint (signing secret once), sends a test event to a real receiver, and shows it in the delivery log', async () => {
    await web.page.getByRole('link', { name: 'Webhooks' }).click();
    await web.page.waitForURL('**/integrations/webhooks');
    await web.page.getByLabel('URL').fill(receiver.url);
    await web.page.getByLabel('Secreto de Authorization').fill('Bearer hook-secret-42');
    await web.page.getByRole('button', { name: 'Crear endpoint' }).click();
    const dialog = web.page.getByRole('dialog');
    const secret = await dialog.getByTestId('secret-value').inputValue();
    expect(secret).toMatch(/^whsec_/);
    await dialog.getByRole('button', { name: 'Ya lo copié' }).click();
    await dialog.waitFor({ state: 'hidden' });
    receiver.setSecrets([secret]);
    const row = web.page.getByTestId('webhooks-table').locator('tbody tr', { hasText: receiver.url });
    await expect.poll(() => row.textContent()).toContain('Authorization: …t-42');
    expect(await web.page.content()).not.toContain(secret);

    await row.getByRole('button', { name: 'Enviar evento de prueba' }).click();
    const [got] = await receiver.waitFor(1);
    expect(got!.verified).toBe(true);
    expect(got!.headers.authorization).toBe('Bearer hook-secret-42');
    expect(got!.json.type).toBe('TEST');

    await web.page.getByRole('link', { name: 'Registro de entregas' }).first().click();
    await web.page.waitForURL('**/integrations/deliveries');
    const delivery = web.page.getByTestId('deliveries-table').locator(`tr[data-delivery-id]`, { hasText: 'TEST' });
    await expect.poll(async () => {
      await web.page.getByRole('button', { name: 'Actualizar' }).click();
      return delivery.getAttribute('data-status');
    }).toBe('succeeded');
    // Filtering by a status it does not have hides it.
    await web.page.getByLabel('Estado').selectOption('dead');
    await web.page.getByRole('button', { name: 'Aplicar' }).click();
    await expect.poll(() => delivery.count()).toBe(0);
    await web.page.getByLabel('Estado').selectOption('');
    await web.page.getByRole('button', { name: 'Aplicar' }).click();
    await delivery.getByRole('button', { name: 'Detalle' }).click();
    const detail = web.page.getByRole('dialog');
    await expect.poll(() => detail.getByRole('table').textContent()).toContain('200');
    await detail.getByRole('button', { name: 'Cerrar' }).click();
    // Replay one: sent again with the same webhook-id.
    await delivery.getByRole('button', { name: 'Reenviar' }).click();
    const again = await receiver.waitFor(2);
    expect(again[1]!.webhookId).toBe(got!.webhookId);
  });

  it('shows a new order live, updates its detail while it is picked through /v2, and lists its webhook deliveries', async () => {
    await web.page.getByRole('link', { name: 'Pedidos' }).click();
    await web.page.waitForURL('**/orders');
    const table = web.page.getByTestId('orders-table');
    await expect.poll(() => table.textContent()).toContain('No hay nada para mostrar.');
    // Placed after the page loaded: it must appear without a reload.
    const placed = await web.server.app.inject({
      method: 'POST',
      url: '/platform/v1/orders',
      headers: { authorization: `Bearer ${op}` },
      payload: { vendor_id: s.a.test.code, transport_type: 'LOGISTICS_DELIVERY', order_type: 'DELIVERY', items: [{ sku: 'LECHE-1L', quantity: 2 }, { sku: 'PAN-LACTAL', quantity: 1 }, { sku: 'BANANA', weight: 1.5 }], customer: { ...CUSTOMER, first_name: '=HYPERLINK("http://x")' } },
    });
    expect(placed.statusCode).toBe(201);
    orderId = placed.json().order_id;
    const row = table.locator(`tr[data-order-id="${orderId}"]`);
    await expect.poll(() => row.getAttribute('data-status'), { timeout: 8_000 }).toBe('RECEIVED');
    expect(await row.textContent()).toContain(placed.json().order_code);

    await row.getByRole('link').click();
    await web.page.waitForURL(`**/orders/${orderId}`);
    const items = web.page.getByTestId('order-items');
    await expect.poll(() => items.locator('tbody tr').count()).toBe(3);
    expect(await items.locator('tr[data-sku="BANANA"]').textContent()).toContain('1.5 kg');
    // Picked through the partner API: one milk instead of two, no bread.
    const [leche, pan] = placed.json().items;
    const put = await fetch(`${web.server.url}/v2/chains/${s.a.chain.id}/orders/${orderId}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${s.a.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ order_id: orderId, status: 'READY_FOR_PICKUP', items: [{ _id: leche._id, status: 'IN_CART', pricing: { quantity: 1 } }, { _id: pan._id, status: 'NOT_FOUND' }] }),
    });
    expect(put.status).toBe(200);
    await expect.poll(() => items.locator('tr[data-sku="PAN-LACTAL"]').getAttribute('data-item-status'), { timeout: 8_000 }).toBe('NOT_FOUND');
    const milk = await items.locator('tr[data-sku="LECHE-1L"]').locator('td').allTextContents();
    expect(milk.slice(3, 5)).toEqual(['2', '1']);
    expect(await web.page.getByTestId('order-summary').textContent()).toContain('Listo para retirar');
    expect(await web.page.getByTestId('order-timeline').locator('li').count()).toBe(2);
    // The order's own webhooks (RECEIVED, READY_FOR_PICKUP) reached the receiver; the detail lists them with their attempts.
    const hooks = web.page.locator('section[data-delivery-id]');
    await expect.poll(async () => (await hooks.allTextContents()).filter((x) => x.includes('Entregado')).length, { timeout: 8_000 }).toBe(2);
    const texts = await hooks.allTextContents();
    expect(texts.some((x) => x.startsWith('RECEIVED'))).toBe(true);
    expect(texts.some((x) => x.startsWith('READY_FOR_PICKUP'))).toBe(true);
    expect(await hooks.first().getByRole('table').textContent()).toContain('200');
    expect(receiver.forOrder(orderId).map((r) => r.json.status)).toEqual(['RECEIVED', 'READY_FOR_PICKUP']);
  });

  it('exports the filtered orders to CSV with formula cells neutralised', async () => {
    await web.page.getByRole('link', { name: '← Pedidos' }).click();
    await web.page.getByLabel('Estado').selectOption('READY_FOR_PICKUP');
    await web.page.getByRole('button', { name: 'Aplicar' }).click();
    await expect.poll(() => web.page.getByTestId('orders-table').locator('tbody tr[data-order-id]').count()).toBe(1);
    const [download] = await Promise.all([web.page.waitForEvent('download'), web.page.getByTestId('export-csv').click()]);
    const text = fs.readFileSync((await download.path())!, 'utf8');
    const lines = text.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain('"order_id","order_code"');
    expect(lines[1]).toContain(`"${orderId}"`);
    expect(lines[1]).toContain('"READY_FOR_PICKUP"');
    expect(lines[1]).toContain(`"'=HYPERLINK(""http://x"") González"`);
    expect(download.suggestedFilename()).toMatch(/^orders-\d{4}-\d{2}-\d{2}\.csv$/);
  });

  it('places a test order with chosen SKUs, units and weight, and links to it arriving', async () => {
    await web.page.getByRole('link', { name: 'Pedido de prueba' }).click();
    await web.page.waitForURL('**/integrations/test-order');
    expect(await web.page.getByLabel('Tienda de prueba').locator('option').allTextContents()).toEqual([`${s.a.test.name} (${s.a.test.code})`]);
    await web.page.getByLabel('SKU 1', { exact: true }).fill('YERBA-1K');
    await web.page.getByLabel('Cantidad 1').fill('2');
    await web.page.getByRole('button', { name: 'Agregar producto' }).click();
    await web.page.getByLabel('SKU 2', { exact: true }).fill('QUESO-TYBO');
    await web.page.getByLabel('Unidad o peso 2').selectOption('kg');
    await web.page.getByLabel('Cantidad 2').fill('0.5');
    await web.page.getByLabel('Entrega').selectOption('VENDOR_DELIVERY');
    await web.page.getByRole('button', { name: 'Crear pedido de prueba' }).click();
    const placed = web.page.getByTestId('test-order-placed');
    await placed.getByRole('link', { name: 'Ver cómo llega' }).click();
    await web.page.waitForURL('**/orders/*');
    const items = web.page.getByTestId('order-items');
    await expect.poll(() => items.locator('tbody tr').count()).toBe(2);
    expect(await items.locator('tr[data-sku="YERBA-1K"] td').nth(3).textContent()).toBe('2');
    expect(await items.locator('tr[data-sku="QUESO-TYBO"] td').nth(3).textContent()).toBe('0.5 kg');
    expect(await web.page.getByTestId('order-summary').textContent()).toContain('Envío propio');
  });

  it('closes a store until a time with a reason, sets opening hours with check-in, as /v2 then reports', async () => {
    await web.page.getByRole('link', { name: 'Tiendas' }).click();
    await web.page.waitForURL('**/stores');
    const row = web.page.getByTestId('stores-table').locator(`tr[data-vendor="${s.a.test.code}"]`);
    await expect.poll(() => row.getByTestId('store-status').textContent()).toContain('Abierta');
    await row.getByRole('button', { name: `Estado y horarios de ${s.a.test.name}` }).click();
    const dialog = web.page.getByRole('dialog');
    await dialog.getByLabel('Estado', { exact: true }).selectOption('CLOSED_UNTIL');
    await dialog.getByLabel('Motivo').selectOption('TOO_BUSY_KITCHEN');
    const day = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
    await dialog.getByLabel(/^Cerrada hasta/).fill(`${day}T10:30`);
    await dialog.getByRole('button', { name: 'Guardar estado' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const cell = row.getByTestId('store-status');
    await expect.poll(() => cell.textContent()).toContain('Demasiados pedidos');
    expect(await cell.textContent()).toContain('Cerrada');
    expect(await cell.textContent()).toContain('10:30');
    const v2 = async () => (await fetch(`${web.server.url}/v2/chains/${s.a.chain.id}/vendors/${s.a.test.code}/status`, { headers: { authorization: `Bearer ${s.a.token}` } })).json();
    expect(await v2()).toMatchObject({ status: 'CLOSED_UNTIL', closed_reason: 'TOO_BUSY_KITCHEN', is_open: false });

    await row.getByRole('button', { name: `Estado y horarios de ${s.a.test.name}` }).click();
    await dialog.getByRole('button', { name: 'Agregar horario' }).click();
    await dialog.getByLabel('Día 1').selectOption('3');
    await dialog.getByLabel('Abre 1').fill('08:00');
    await dialog.getByLabel('Cierra 1').fill('22:00');
    await dialog.getByLabel('Requerir check-in antes de cada apertura').check();
    await dialog.getByRole('button', { name: 'Guardar horarios' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(() => cell.textContent()).toContain('Requiere check-in');
    expect(await v2()).toMatchObject({ opening_hours: [{ day: 3, opens: '08:00', closes: '22:00' }], checkin: { required: true } });
  });

  it('searches the chain catalog, edits one listing and bulk-edits selected ones as jobs, with per-row results', async () => {
    await web.page.getByRole('link', { name: 'Catálogo' }).click();
    await web.page.waitForURL('**/catalog');
    await web.page.getByLabel(/^Buscar en toda la cadena/).fill('yerba');
    await web.page.getByRole('button', { name: 'Buscar', exact: true }).click();
    await expect.poll(() => web.page.getByTestId('chain-search').locator('tbody tr').allTextContents()).toEqual([expect.stringContaining('YERBA-1K')]);
    await web.page.getByLabel('Tienda', { exact: true }).selectOption(s.a.test.id);
    const table = web.page.getByTestId('catalog-table');
    await expect.poll(() => table.locator('tbody tr[data-sku]').count()).toBe(8);

    await table.getByRole('button', { name: 'Editar LECHE-1L' }).click();
    const dialog = web.page.getByRole('dialog');
    await dialog.getByLabel('Precio').fill('1300.25');
    await dialog.getByLabel('Máximo por pedido').fill('4');
    await dialog.getByRole('button', { name: 'Guardar' }).click();
    const milk = table.locator('tr[data-sku="LECHE-1L"] td');
    await expect.poll(async () => (await milk.allTextContents())[5], { timeout: 8_000 }).toBe('4');
    expect((await milk.allTextContents())[3]).toContain('1.300,25');

    await table.getByLabel('Seleccionar GALLETITAS').check();
    await table.getByLabel('Seleccionar AGUA-500').check();
    await web.page.getByLabel('Activo', { exact: true }).selectOption('off');
    await web.page.getByRole('button', { name: 'Aplicar a los seleccionados' }).click();
    await expect.poll(async () => (await table.locator('tr[data-sku="GALLETITAS"] td').allTextContents())[4], { timeout: 8_000 }).toBe('No');
    expect((await table.locator('tr[data-sku="AGUA-500"] td').allTextContents())[4]).toBe('No');

    // A mistyped maximum never leaves the form (it used to be sent as null and remove the cap).
    await table.getByLabel('Seleccionar PAN-LACTAL').check();
    await web.page.getByLabel('Máximo por pedido', { exact: true }).selectOption('set');
    await web.page.getByLabel('Unidades por pedido').fill('-3');
    await web.page.getByRole('button', { name: 'Aplicar a los seleccionados' }).click();
    await expect.poll(() => web.page.getByTestId('bulk-form').getByRole('alert').textContent(), { timeout: 8_000 }).toBe('Ingresá un número entero mayor que 0.');
    const jobs = web.page.getByTestId('jobs-table').locator('tbody tr[data-job-id]');
    expect(await jobs.count()).toBe(2);
    // A row the job refuses (the SKU left the store meanwhile) shows up in the per-row results and the CSV.
    await s.ctx.db.deleteFrom('listings').where('vendor_id', '=', s.a.test.id).where('sku', '=', 'PAN-LACTAL').execute();
    await web.page.getByLabel('Unidades por pedido').fill('3');
    await web.page.getByRole('button', { name: 'Aplicar a los seleccionados' }).click();
    await expect.poll(() => jobs.count(), { timeout: 8_000 }).toBe(3);
    await expect.poll(() => jobs.first().getAttribute('data-status'), { timeout: 8_000 }).toBe('COMPLETED');
    expect((await jobs.first().locator('td').allTextContents())[4]).toBe('1');
    await jobs.first().getByRole('button', { name: /^Detalle/ }).click();
    await expect.poll(() => web.page.getByTestId('job-results').locator('tbody tr').first().textContent(), { timeout: 8_000 }).toContain('PAN-LACTAL');
    expect(await web.page.getByTestId('job-results').locator('tbody tr').first().textContent()).toContain('SKU no encontrado en la tienda');
    await web.page.getByRole('dialog').getByRole('button', { name: 'Cerrar' }).click();
    const [download] = await Promise.all([web.page.waitForEvent('download'), jobs.first().getByRole('link', { name: 'Descargar resultados' }).click()]);
    expect(fs.readFileSync((await download.path())!, 'utf8')).toContain('PAN-LACTAL');
  });
});
