import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.js';
import { applyProductRows } from '../catalog/products.repository.js';
import { JobRunner } from '../jobs/job-runner.js';
import { JOB_TYPES } from '../jobs-list.js';
import { onUploadClosed } from '../sftp/on-upload-closed.js';
import { storeFile } from '../sftp/sftp-files.service.js';
import { createSftpLogin } from '../sftp/sftp-users.service.js';
import { launchChromium, startPortalServer, type PortalServer } from '../test-support/browser.js';
import { bearer, portalLogin, seedChain, type ChainFixture, type PortalLogin } from '../test-support/fixtures.js';
import { createTestContext, type TestContext } from '../test-support/test-db.js';

/**
 * Promotions page and Shops Integrations → SFTP in Debian's Chromium (one browser, one page), plus the
 * portal API's role and 404 rules for both.
 */
describe('Partner Portal promotions and SFTP pages', () => {
  let t: TestContext;
  let app: FastifyInstance;
  let server: PortalServer;
  let browser: Browser;
  let page: Page;
  let a: ChainFixture;
  let b: ChainFixture;
  let runner: JobRunner;
  let staff: PortalLogin;
  let admin: PortalLogin;

  const chainUrl = (sub: string) => `${server.url}/chains/${a.chain.id}/${sub}`;
  const get = (path: string, login: PortalLogin, chainId = a.chain.id) => app.inject({ method: 'GET', url: `/portal/api/chains/${chainId}${path}`, headers: { cookie: login.cookie } });

  beforeAll(async () => {
    t = await createTestContext();
    app = await buildApp(t.ctx);
    a = await seedChain(t.ctx, 'Promos A');
    b = await seedChain(t.ctx, 'Promos B');
    await t.ctx.db.transaction().execute(async (trx) => {
      await applyProductRows(t.ctx, trx, a.chain.id, [a.direct.id], [{ sku: 'A1', title: { es_AR: 'Agua' }, price: 10 }], 0);
    });
    runner = new JobRunner(t.ctx, JOB_TYPES, { owner: 'promos-test' });
    staff = await portalLogin(app, a.staff.email, a.staff.password);
    admin = await portalLogin(app, a.admin.email, a.admin.password);
    server = await startPortalServer(t.ctx);
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, timezoneId: 'UTC', locale: 'en-US' });
    context.setDefaultTimeout(8_000);
    page = await context.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await app?.close();
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

  it('shows a promotion created through PUT /v2 on the Promotions page (staff)', async () => {
    const res = await app.inject({
      method: 'PUT',
      url: `/v2/chains/${a.chain.id}/promotion`,
      headers: bearer(a.token),
      payload: {
        vendors: [a.direct.code],
        type: 'STRIKETHROUGH',
        reason: 'COMPETITIVENESS',
        display_name: { es_AR: 'Agua barata' },
        conditions: { start_time: '2020-01-01T00:00:00Z', end_time: '2099-01-01T00:00:00Z' },
        discount: [{ discount_subtype: 'FINAL_PRICE', discount_value: 8.5, sku: ['A1'] }],
      },
    });
    expect(res.statusCode).toBe(202);
    await runner.runUntilIdle();

    const api = await get('/promotions', staff);
    expect(api.statusCode).toBe(200);
    const [p] = api.json().promotions;
    expect(p).toMatchObject({ state: 'RUNNING', source: 'API', skus_total: 1, skus: [{ sku: 'A1', subtype: 'FINAL_PRICE', value: 8.5 }] });
    expect((await get('/promotions', staff, b.chain.id)).statusCode).toBe(404);

    await loginAs(a.staff);
    await page.getByRole('link', { name: 'Promociones' }).click();
    await page.waitForURL('**/promotions');
    const row = page.getByTestId('promotions-table').locator('tbody tr', { hasText: 'Agua barata' });
    await expect.poll(() => row.textContent()).toContain('A1');
    expect(await row.textContent()).toContain('Activa');
    expect(await row.textContent()).toContain('API');
  });

  it('staff cannot open the SFTP page nor its API', async () => {
    expect(await page.getByRole('link', { name: 'SFTP' }).count()).toBe(0);
    await page.goto(chainUrl('integrations/sftp'));
    await page.getByText('No access').or(page.getByText('Sin acceso')).first().waitFor();
    expect((await get('/sftp/login', staff)).statusCode).toBe(403);
    expect((await get('/sftp/files', staff)).statusCode).toBe(403);
  });

  it('admin: no login yet (404 → ask your account manager), then the login and the file history', async () => {
    const none = await get('/sftp/login', admin);
    expect(none.statusCode).toBe(404);
    expect(none.json().error.code).toBe('SFTP_LOGIN_NOT_FOUND');

    await loginAs(a.admin);
    await page.goto(chainUrl('integrations/sftp'));
    await page.getByTestId('sftp-no-login').waitFor();

    const created = await createSftpLogin(t.ctx, a.chain.id, { password: 'a-long-sftp-password' }, 'test');
    const file = await storeFile(t.ctx, { chainId: a.chain.id, folder: 'Assortment', name: 'prices.csv' }, ['sku,price\nA1,9\n']);
    // What the SFTP server does when an upload closes: queue the file's job.
    await t.ctx.db.transaction().execute((trx) => onUploadClosed(t.ctx, trx, file));
    await runner.runUntilIdle();
    const files = (await get('/sftp/files', admin)).json().files;
    expect(files).toHaveLength(1);
    expect(files[0].name).toBe('prices.csv');
    expect(files[0].job_status).toMatch(/COMPLETED|FAILED/);
    expect(files[0].result_file).toBe('prices.csv.result.csv');
    expect((await get('/sftp/results/nope.csv', admin)).statusCode).toBe(404);
    {
      const dl = await get(`/sftp/results/${encodeURIComponent(files[0].result_file)}`, admin);
      expect(dl.statusCode).toBe(200);
      expect(dl.headers['content-type']).toContain('text/csv');
      expect(dl.body).toContain('row,vendor,sku');
    }

    await page.getByRole('button', { name: 'Actualizar' }).click();
    await expect.poll(() => page.getByTestId('sftp-login').textContent()).toContain(created.username);
    await expect.poll(() => page.getByTestId('sftp-files').textContent()).toContain('Assortment/prices.csv');
  });
});
