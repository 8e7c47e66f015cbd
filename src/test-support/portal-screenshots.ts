/**
 * Regenerates docs/screenshots/*.png: boots the real server on a throw-away SQLite database with the
 * demo data, drives Debian's Chromium through the main portal pages. Run with `npm run screenshots`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Locator } from 'playwright-core';
import { DEMO_ADMIN, seedDemo } from '../demo/demo.seed.js';
import { launchChromium, startPortalServer } from './browser.js';
import { createTestContext } from './test-db.js';
import { WebhookReceiver } from './webhook-receiver.js';
import { FAST_WEBHOOKS } from './webhooks.js';
import { WebhookDispatcher } from '../webhooks/dispatcher.js';

const OUT = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));

async function main(): Promise<void> {
  process.env.COMANDA_TEST_DB = 'sqlite';
  const t = await createTestContext({ config: FAST_WEBHOOKS });
  const demo = await seedDemo(t.ctx);
  // A real receiver and dispatcher, so the delivery log and order detail show real attempts.
  const receiver = await WebhookReceiver.start();
  const dispatcher = new WebhookDispatcher(t.ctx);
  await dispatcher.start();
  const server = await startPortalServer(t.ctx);
  const browser = await launchChromium();
  fs.mkdirSync(OUT, { recursive: true });
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 }, timezoneId: 'America/Argentina/Buenos_Aires' });
    context.setDefaultTimeout(10_000);
    const page = await context.newPage();
    const shot = async (name: string, opts: { mask?: Locator[] } = {}) => {
      await page.screenshot({ path: path.join(OUT, `${name}.png`), maskColor: '#c9d1d9', ...opts });
      process.stderr.write(`docs/screenshots/${name}.png\n`);
    };
    const go = async (sub: string) => {
      await page.goto(`${server.url}/chains/${demo.chain_id}/${sub}`);
      await page.locator('main h1').waitFor();
      // The live event stream stays open, so the network never goes idle: give the page's data a moment.
      await page.waitForTimeout(800);
    };

    await page.goto(server.url);
    await page.getByLabel('E-mail').fill(DEMO_ADMIN.email);
    await shot('login');
    await page.getByLabel('Contraseña').fill(DEMO_ADMIN.password);
    await page.getByRole('button', { name: 'Ingresar' }).click();
    await page.waitForURL('**/dashboard');
    await go('stores');
    await page.getByTestId('stores-table').waitFor();
    await shot('stores');

    await go('integrations/tokens');
    await page.getByLabel('Nombre del token').fill('ERP pedidos');
    await page.getByRole('button', { name: 'Crear token' }).click();
    await page.getByRole('dialog').waitFor();
    // The secret is masked: a throw-away token, but secrets do not belong in pictures.
    await shot('token-created', { mask: [page.getByTestId('secret-value')] });
    await page.getByRole('button', { name: 'Ya lo copié' }).click();
    await page.getByRole('dialog').waitFor({ state: 'hidden' });
    await shot('tokens');

    await go('integrations/oauth-clients');
    await page.getByLabel('Nombre del cliente').fill('WMS');
    await page.getByRole('button', { name: 'Crear cliente' }).click();
    await page.getByRole('button', { name: 'Ya lo copié' }).click();
    await shot('oauth-clients');

    await go('integrations/store-ids');
    await shot('store-ids');
    await go('integrations/audit');
    await shot('audit');

    await go('integrations/webhooks');
    await page.getByLabel('URL').fill(receiver.url);
    await page.getByLabel('Secreto de Authorization').fill('Bearer demo-partner-secret');
    await page.getByLabel('Descripción').fill('ERP pedidos');
    await page.getByRole('button', { name: 'Crear endpoint' }).click();
    await page.getByRole('dialog').waitFor();
    await page.getByRole('button', { name: 'Ya lo copié' }).click();
    await page.getByRole('dialog').waitFor({ state: 'hidden' });
    await page.getByRole('button', { name: 'Enviar evento de prueba' }).click();
    await receiver.waitFor(1);
    await shot('webhooks');

    await go('integrations/test-order');
    await page.getByLabel('SKU 1', { exact: true }).waitFor();
    await shot('test-order');
    // Two orders from sample baskets (no SKU chosen), then one picked.
    for (let i = 0; i < 2; i++) {
      await page.getByRole('button', { name: 'Crear pedido de prueba' }).click();
      await page.getByTestId('test-order-placed').waitFor();
    }
    await page.getByTestId('test-order-placed').getByRole('link').click();
    await page.getByTestId('order-items').waitFor();
    await receiver.waitFor(3);
    await page.waitForTimeout(3000);
    await shot('order-detail');

    await go('orders');
    await page.getByTestId('orders-table').locator('tbody tr[data-order-id]').first().waitFor();
    await shot('orders');

    await go('dashboard');
    await page.locator('[data-testid="orders-per-hour"] canvas').first().waitFor();
    await page.getByTestId('dash-stores').waitFor();
    await shot('dashboard');

    await go('integrations/deliveries');
    await page.getByTestId('deliveries-table').locator('tbody tr[data-delivery-id]').first().waitFor();
    await shot('deliveries');

    await go('catalog');
    await page.getByTestId('catalog-table').locator('tbody tr[data-sku]').first().waitFor();
    await shot('catalog');

    await page.getByTestId('language').selectOption('en');
    await go('integrations/tokens');
    await shot('tokens-en');
    await context.close();
  } finally {
    await browser.close();
    await server.close();
    await dispatcher.stop();
    await receiver.close();
    await t.close();
  }
}

await main();
