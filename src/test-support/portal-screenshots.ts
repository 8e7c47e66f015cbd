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

const OUT = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));

async function main(): Promise<void> {
  process.env.COMANDA_TEST_DB = 'sqlite';
  const t = await createTestContext();
  const demo = await seedDemo(t.ctx);
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
      await page.waitForLoadState('networkidle');
    };

    await page.goto(server.url);
    await page.getByLabel('E-mail').fill(DEMO_ADMIN.email);
    await shot('login');
    await page.getByLabel('Contraseña').fill(DEMO_ADMIN.password);
    await page.getByRole('button', { name: 'Ingresar' }).click();
    await page.waitForURL('**/stores');
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

    await page.getByTestId('language').selectOption('en');
    await go('integrations/tokens');
    await shot('tokens-en');
    await context.close();
  } finally {
    await browser.close();
    await server.close();
    await t.close();
  }
}

await main();
