import { describe, expect, it } from 'vitest';
import { loginThroughForm, usePortalBrowser } from '../test-support/browser.js';
import { useTestContext } from '../test-support/test-app.js';

/**
 * Shops Integrations → Homologación / Certification in Debian's Chromium: an admin starts a run on the
 * test store of a chain without a webhook endpoint; the run is listed by date, ends FAILED, and its
 * report names the failing setup check with its evidence. Staff do not get the page.
 */
describe('Partner Portal certification page', () => {
  const s = useTestContext({ chains: { a: 'Cert Page' } });

  const web = usePortalBrowser(s, { locale: 'es-AR' });

  const loginAs = async (u: { email: string; password: string }) => {
    await web.page.context().clearCookies();
    await loginThroughForm(web.page, web.server.url, u);
  };

  it('an admin runs the kit, sees the run listed with its date and reads the failing check', async () => {
    await loginAs(s.a.admin);
    await web.page.getByRole('link', { name: 'Homologación' }).click();
    await web.page.waitForURL('**/integrations/certification');
    await expect.poll(() => web.page.getByRole('heading', { level: 1 }).textContent()).toContain('Homologación');
    await web.page.getByLabel('Tienda').selectOption({ label: `${s.a.test.name} (${s.a.test.code})` });
    await web.page.getByLabel('Espera máxima (s)').fill('10');
    await web.page.getByTestId('cert-start').click();
    const row = web.page.getByTestId('cert-runs').locator('tbody tr').first();
    await expect.poll(() => row.getAttribute('data-status')).toBe('RUNNING');
    // The list refreshes itself until the run ends (10 s of waiting for the integration).
    await expect.poll(() => row.getAttribute('data-status'), { timeout: 40_000 }).toBe('FAILED');
    expect(await row.textContent()).toContain(s.a.test.code);
    expect(await row.textContent()).toMatch(/\d{4}|\d{1,2}\/\d{1,2}/);
    const check = web.page.getByTestId('cert-report').locator('tr[data-check="WEBHOOK_ENDPOINT"]');
    await expect.poll(() => check.getAttribute('data-pass'), { timeout: 10_000 }).toBe('false');
    expect(await check.textContent()).toContain('no enabled webhook endpoint');
    // The printable report the page links to, fetched with the page's session.
    const printable = await web.page.getByTestId('cert-report').getByRole('link', { name: 'Informe imprimible (HTML)' }).getAttribute('href');
    const html = await web.page.request.get(`${web.server.url}${printable}`);
    expect(html.status()).toBe(200);
    expect(await html.text()).toContain('NO APROBADA / FAILED');
  }, 90_000);

  it('staff do not see the page in the menu', async () => {
    await loginAs(s.a.staff);
    expect(await web.page.getByRole('link', { name: 'Homologación' }).count()).toBe(0);
  }, 30_000);
});
