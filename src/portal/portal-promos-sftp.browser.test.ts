import { beforeAll, describe, expect, it } from 'vitest';
import { applyProductRows } from '../catalog/products.repository.js';
import { JobRunner } from '../jobs/job-runner.js';
import { JOB_TYPES } from '../jobs-list.js';
import { onUploadClosed } from '../sftp/on-upload-closed.js';
import { storeFile } from '../sftp/sftp-files.service.js';
import { createSftpLogin } from '../sftp/sftp-users.service.js';
import { loginThroughForm, usePortalBrowser } from '../test-support/browser.js';
import { bearer, type PortalLogin } from '../test-support/fixtures.js';
import { useTestApp } from '../test-support/test-app.js';

/**
 * Promotions page and Shops Integrations → SFTP in Debian's Chromium (one browser, one page), plus the
 * portal API's role and 404 rules for both.
 */
describe('Partner Portal promotions and SFTP pages', () => {
  const s = useTestApp({ chains: { a: 'Promos A', b: 'Promos B' }, logins: { staff: ['a', 'staff'], admin: ['a', 'admin'] } });
  let runner: JobRunner;

  const chainUrl = (sub: string) => `${web.server.url}/chains/${s.a.chain.id}/${sub}`;
  const get = (path: string, login: PortalLogin, chainId = s.a.chain.id) => s.app.inject({ method: 'GET', url: `/portal/api/chains/${chainId}${path}`, headers: { cookie: login.cookie } });

  beforeAll(async () => {
    await s.ctx.db.transaction().execute(async (trx) => {
      await applyProductRows(s.ctx, trx, s.a.chain.id, [s.a.direct.id], [{ sku: 'A1', title: { es_AR: 'Agua' }, price: 10 }], 0);
    });
    runner = new JobRunner(s.ctx, JOB_TYPES, { owner: 'promos-test' });
  });
  const web = usePortalBrowser(s, { locale: 'en-US', timeoutMs: 8_000 });

  const loginAs = async (u: { email: string; password: string }) => {
    await web.page.context().clearCookies();
    await loginThroughForm(web.page, web.server.url, u);
  };

  it('shows a promotion created through PUT /v2 on the Promotions page (staff)', async () => {
    const res = await s.app.inject({
      method: 'PUT',
      url: `/v2/chains/${s.a.chain.id}/promotion`,
      headers: bearer(s.a.token),
      payload: {
        vendors: [s.a.direct.code],
        type: 'STRIKETHROUGH',
        reason: 'COMPETITIVENESS',
        display_name: { es_AR: 'Agua barata' },
        conditions: { start_time: '2020-01-01T00:00:00Z', end_time: '2099-01-01T00:00:00Z' },
        discount: [{ discount_subtype: 'FINAL_PRICE', discount_value: 8.5, sku: ['A1'] }],
      },
    });
    expect(res.statusCode).toBe(202);
    await runner.runUntilIdle();

    const api = await get('/promotions', s.staff);
    expect(api.statusCode).toBe(200);
    const [p] = api.json().promotions;
    expect(p).toMatchObject({ state: 'RUNNING', source: 'API', skus_total: 1, skus: [{ sku: 'A1', subtype: 'FINAL_PRICE', value: 8.5 }] });
    expect((await get('/promotions', s.staff, s.b.chain.id)).statusCode).toBe(404);

    await loginAs(s.a.staff);
    await web.page.getByRole('link', { name: 'Promociones' }).click();
    await web.page.waitForURL('**/promotions');
    const row = web.page.getByTestId('promotions-table').locator('tbody tr', { hasText: 'Agua barata' });
    await expect.poll(() => row.textContent()).toContain('A1');
    expect(await row.textContent()).toContain('Activa');
    expect(await row.textContent()).toContain('API');
  });

  it('staff cannot open the SFTP page nor its API', async () => {
    expect(await web.page.getByRole('link', { name: 'SFTP' }).count()).toBe(0);
    await web.page.goto(chainUrl('integrations/sftp'));
    await web.page.getByText('No access').or(web.page.getByText('Sin acceso')).first().waitFor();
    expect((await get('/sftp/login', s.staff)).statusCode).toBe(403);
    expect((await get('/sftp/files', s.staff)).statusCode).toBe(403);
  });

  it('admin: no login yet (404 → ask your account manager), then the login and the file history', async () => {
    const none = await get('/sftp/login', s.admin);
    expect(none.statusCode).toBe(404);
    expect(none.json().error.code).toBe('SFTP_LOGIN_NOT_FOUND');

    await loginAs(s.a.admin);
    await web.page.goto(chainUrl('integrations/sftp'));
    await web.page.getByTestId('sftp-no-login').waitFor();

    const created = await createSftpLogin(s.ctx, s.a.chain.id, { password: 'a-long-sftp-password' }, 'test');
    const file = await storeFile(s.ctx, { chainId: s.a.chain.id, folder: 'Assortment', name: 'prices.csv' }, ['sku,price\nA1,9\n']);
    // What the SFTP server does when an upload closes: queue the file's job.
    await s.ctx.db.transaction().execute((trx) => onUploadClosed(s.ctx, trx, file));
    await runner.runUntilIdle();
    const files = (await get('/sftp/files', s.admin)).json().files;
    expect(files).toHaveLength(1);
    expect(files[0].name).toBe('prices.csv');
    expect(files[0].job_status).toMatch(/COMPLETED|FAILED/);
    expect(files[0].result_file).toBe('prices.csv.result.csv');
    expect((await get('/sftp/results/nope.csv', s.admin)).statusCode).toBe(404);
    {
      const dl = await get(`/sftp/results/${encodeURIComponent(files[0].result_file)}`, s.admin);
      expect(dl.statusCode).toBe(200);
      expect(dl.headers['content-type']).toContain('text/csv');
      expect(dl.body).toContain('row,vendor,sku');
    }

    await web.page.getByRole('button', { name: 'Actualizar' }).click();
    await expect.poll(() => web.page.getByTestId('sftp-login').textContent()).toContain(created.username);
    await expect.poll(() => web.page.getByTestId('sftp-files').textContent()).toContain('Assortment/prices.csv');
  });
});
