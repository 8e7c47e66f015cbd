import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, startPortalServer, type PortalServer } from '../test-support/browser.js';
import { seedChain, type ChainFixture } from '../test-support/fixtures.js';
import { createTestContext, type TestContext } from '../test-support/test-db.js';

/**
 * Shops Integrations → Homologación / Certification in Debian's Chromium: an admin starts a run on the
 * test store of a chain without a webhook endpoint; the run is listed by date, ends FAILED, and its
 * report names the failing setup check with its evidence. Staff do not get the page.
 */
describe('Partner Portal certification page', () => {
  let t: TestContext;
  let server: PortalServer;
  let browser: Browser;
  let page: Page;
  let a: ChainFixture;

  beforeAll(async () => {
    t = await createTestContext();
    a = await seedChain(t.ctx, 'Cert Page');
    server = await startPortalServer(t.ctx);
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, timezoneId: 'UTC', locale: 'es-AR' });
    context.setDefaultTimeout(10_000);
    page = await context.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await t?.close();
  });

  const loginAs = async (u: { email: string; password: string }) => {
    await page.context().clearCookies();
    await page.goto(server.url);
    await page.getByLabel('E-mail').fill(u.email);
    await page.getByLabel('Contraseña').fill(u.password);
    await page.getByRole('button', { name: 'Ingresar' }).click();
    await page.waitForURL('**/dashboard');
  };

  it('an admin runs the kit, sees the run listed with its date and reads the failing check', async () => {
    await loginAs(a.admin);
    await page.getByRole('link', { name: 'Homologación' }).click();
    await page.waitForURL('**/integrations/certification');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toContain('Homologación');
    await page.getByLabel('Tienda').selectOption({ label: `${a.test.name} (${a.test.code})` });
    await page.getByLabel('Espera máxima (s)').fill('10');
    await page.getByTestId('cert-start').click();
    const row = page.getByTestId('cert-runs').locator('tbody tr').first();
    await expect.poll(() => row.getAttribute('data-status')).toBe('RUNNING');
    // The list refreshes itself until the run ends (10 s of waiting for the integration).
    await expect.poll(() => row.getAttribute('data-status'), { timeout: 40_000 }).toBe('FAILED');
    expect(await row.textContent()).toContain(a.test.code);
    expect(await row.textContent()).toMatch(/\d{4}|\d{1,2}\/\d{1,2}/);
    const check = page.getByTestId('cert-report').locator('tr[data-check="WEBHOOK_ENDPOINT"]');
    await expect.poll(() => check.getAttribute('data-pass'), { timeout: 10_000 }).toBe('false');
    expect(await check.textContent()).toContain('no enabled webhook endpoint');
    // The printable report the page links to, fetched with the page's session.
    const printable = await page.getByTestId('cert-report').getByRole('link', { name: 'Informe imprimible (HTML)' }).getAttribute('href');
    const html = await page.request.get(`${server.url}${printable}`);
    expect(html.status()).toBe(200);
    expect(await html.text()).toContain('NO APROBADA / FAILED');
  }, 90_000);

  it('staff do not see the page in the menu', async () => {
    await loginAs(a.staff);
    expect(await page.getByRole('link', { name: 'Homologación' }).count()).toBe(0);
  }, 30_000);
});
