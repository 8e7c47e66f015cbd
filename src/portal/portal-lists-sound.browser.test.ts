import { beforeAll, describe, expect, it } from 'vitest';
import { COUNT_CAP } from '../db/bounded-count.js';
import { usePortalBrowser } from '../test-support/browser.js';
import { seedDeliveries } from '../test-support/bulk-deliveries.js';
import { operatorKey } from '../test-support/fixtures.js';
import { CUSTOMER, seedCatalog } from '../test-support/order-fixtures.js';
import { useTestContext } from '../test-support/test-app.js';
import { createVendor } from '../vendors/vendors.service.js';
import { createEndpoint } from '../webhooks/endpoints.service.js';

/**
 * Wraps the page's real AudioContext (the portal's beep still builds and starts its real oscillators)
 * and records, per AudioContext created, the frequencies of the oscillators started on it.
 */
const AUDIO_SPY = `(() => {
  const Real = window.AudioContext;
  window.__beeps = [];
  if (!Real) return;
  window.AudioContext = class extends Real {
    constructor(...args) {
      const tones = [];
      window.__beeps.push(tones);
      super(...args);
      const create = this.createOscillator.bind(this);
      this.createOscillator = () => {
        const o = create();
        const start = o.start.bind(o);
        o.start = (...when) => { tones.push(o.frequency.value); return start(...when); };
        return o;
      };
    }
  };
})()`;

/**
 * Loose ends of the portal in Debian's Chromium: the delivery log past COUNT_CAP deliveries ("10.000+",
 * paging on), the stores search kept in the URL (reload, a shared link, back/forward), and the optional
 * new-order sound and tab badge: on, a new order placed through the operator API beeps (the two tones)
 * and badges the background tab's title; off, neither.
 */
describe('Partner Portal: capped delivery total, stores search in the URL, new-order sound', () => {
  const s = useTestContext({ chains: { a: 'Minor A' }, config: { webhookAllowedHosts: ['127.0.0.1'] } });
  let op: string;
  let ids: string[] = [];

  const chainUrl = (sub: string) => `${web.server.url}/chains/${s.a.chain.id}/${sub}`;
  const place = async () => {
    const res = await fetch(`${web.server.url}/platform/v1/orders`, {
      method: 'POST',
      headers: { authorization: `Bearer ${op}`, 'content-type': 'application/json' },
      body: JSON.stringify({ vendor_id: s.a.direct.code, transport_type: 'LOGISTICS_DELIVERY', order_type: 'DELIVERY', items: [{ sku: 'LECHE-1L', quantity: 1 }], customer: CUSTOMER }),
    });
    expect(res.status).toBe(201);
    return ((await res.json()) as { order_id: string }).order_id;
  };
  const beeps = () => web.page.evaluate<number[][]>('window.__beeps');
  const setHidden = (hidden: boolean) =>
    web.page.evaluate(`Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => '${hidden ? 'hidden' : 'visible'}' }); document.dispatchEvent(new Event('visibilitychange'))`);

  beforeAll(async () => {
    await seedCatalog(s.ctx, [s.a.direct]);
    op = await operatorKey(s.ctx);
    // 70 + 50 more stores: the search box shows above 50, and a search matching 70 has two pages.
    for (let i = 1; i <= 70; i++) await createVendor(s.ctx, s.a.chain.id, { name: `Sucursal Norte ${i}`, integration_type: 'DIRECT_POS' }, 'test');
    for (let i = 1; i <= 50; i++) await createVendor(s.ctx, s.a.chain.id, { name: `Sucursal Sur ${i}`, integration_type: 'DIRECT_POS' }, 'test');
    // No dispatcher runs: the seeded deliveries are finished, new orders' stay pending.
    const ep = (await createEndpoint(s.ctx, s.a.chain.id, { url: 'http://127.0.0.1:9/hook', authorization: 'Basic dXNlcjpwYXNz', description: 'ERP' }, 'test')).endpoint.id;
    ids = await seedDeliveries(s.ctx, s.a.chain.id, ep, COUNT_CAP + 50);
  });
  const web = usePortalBrowser(s, { locale: 'es-AR', initScript: AUDIO_SPY, login: () => s.a.admin });

  it('shows the delivery log total as "10.000+" past 10,000 deliveries ("10,000+" in English), and still pages', async () => {
    await web.page.goto(chainUrl('integrations/deliveries'));
    const range = web.page.getByTestId('deliveries-pager-range');
    const pager = web.page.getByTestId('deliveries-pager');
    const firstRow = () => web.page.getByTestId('deliveries-table').locator('tr[data-delivery-id]').first().getAttribute('data-delivery-id');
    await expect.poll(() => range.textContent()).toBe('1–50 de 10.000+');
    expect(await web.page.getByTestId('deliveries-table').locator('tr[data-delivery-id]').count()).toBe(50);
    expect(await firstRow()).toBe(ids[0]);
    await pager.getByRole('button', { name: 'Siguiente' }).click();
    await expect.poll(() => range.textContent()).toBe('51–100 de 10.000+');
    await expect.poll(firstRow).toBe(ids[50]);
    expect(web.page.url()).toContain('cursor=');
    // The page is in the URL: a reload stays on it.
    await web.page.reload();
    await expect.poll(() => range.textContent()).toBe('51–100 de 10.000+');
    expect(await firstRow()).toBe(ids[50]);
    await pager.getByRole('button', { name: 'Siguiente' }).click();
    await expect.poll(() => range.textContent()).toBe('101–150 de 10.000+');
    await expect.poll(firstRow).toBe(ids[100]);
    await pager.getByRole('button', { name: 'Anterior' }).click();
    await expect.poll(firstRow).toBe(ids[50]);
    await web.page.getByTestId('language').selectOption('en');
    await expect.poll(() => range.textContent()).toBe('51–100 of 10,000+');
    await pager.getByRole('button', { name: 'First' }).click();
    await expect.poll(() => range.textContent()).toBe('1–50 of 10,000+');
    // The range follows the URL at once; the rows follow when the page has loaded.
    await expect.poll(firstRow).toBe(ids[0]);
    await web.page.getByTestId('language').selectOption('es');
    await expect.poll(() => range.textContent()).toBe('1–50 de 10.000+');
  });

  it('keeps the stores search in the URL: applied, reloaded, shared, back and forward, and over paging', async () => {
    await web.page.goto(chainUrl('stores'));
    const box = web.page.getByLabel('Buscar por nombre, código o ID externo');
    const range = web.page.getByTestId('pager-range');
    await expect.poll(() => range.textContent()).toBe('1–50 de 123');
    await box.fill('norte');
    await web.page.getByRole('button', { name: 'Aplicar' }).click();
    await expect.poll(() => range.textContent()).toBe('1–50 de 70');
    expect(new URL(web.page.url()).searchParams.get('q')).toBe('norte');
    // Reload: the box and the list keep the search.
    await web.page.reload();
    await expect.poll(() => range.textContent()).toBe('1–50 de 70');
    expect(await box.inputValue()).toBe('norte');
    // Paging keeps it; a half-typed search is dropped for the one on screen when the view moves.
    await box.fill('sur');
    await web.page.getByRole('navigation', { name: 'Paginación' }).getByRole('button', { name: 'Siguiente' }).click();
    await expect.poll(() => range.textContent()).toBe('51–70 de 70');
    expect(await box.inputValue()).toBe('norte');
    const shared = web.page.url();
    expect(new URL(shared).searchParams.get('page')).toBe('2');
    // Another search, then back and forward: the box follows the view.
    await box.fill('sur');
    await web.page.getByRole('button', { name: 'Aplicar' }).click();
    await expect.poll(() => web.page.getByTestId('stores-count').textContent()).toBe('50 tiendas');
    expect(await box.inputValue()).toBe('sur');
    await web.page.goBack();
    await expect.poll(() => range.textContent()).toBe('51–70 de 70');
    expect(await box.inputValue()).toBe('norte');
    await web.page.goForward();
    await expect.poll(() => web.page.getByTestId('stores-count').textContent()).toBe('50 tiendas');
    expect(await box.inputValue()).toBe('sur');
    // A shared link opens on the same search and page in a fresh tab.
    const other = await web.context.newPage();
    try {
      await other.goto(shared);
      await expect.poll(() => other.getByTestId('pager-range').textContent()).toBe('51–70 de 70');
      expect(await other.getByLabel('Buscar por nombre, código o ID externo').inputValue()).toBe('norte');
      const names = await other.getByTestId('stores-table').locator('tbody tr[data-vendor]').allTextContents();
      expect(names).toHaveLength(20);
      expect(names.every((n) => n.includes('Sucursal Norte'))).toBe(true);
    } finally {
      await other.close();
    }
  });

  it('with the sound on, a new order beeps (two tones) and badges the background tab; with it off, neither', async () => {
    await web.page.goto(chainUrl('orders'));
    await expect.poll(() => web.page.getByTestId('live-state').getAttribute('data-connected')).toBe('true');
    const toggle = web.page.getByTestId('new-order-alert').getByRole('checkbox');
    expect(await toggle.isChecked()).toBe(false);
    const table = web.page.getByTestId('orders-table');
    const title = await web.page.title();
    expect(title).not.toMatch(/^\(\d+\)/);

    // Off (the default): a new order arrives live, silently, and the hidden tab's title stays.
    await setHidden(true);
    const silent = await place();
    await table.locator(`tr[data-order-id="${silent}"]`).waitFor();
    await web.page.waitForTimeout(500);
    expect(await beeps()).toEqual([]);
    expect(await web.page.title()).toBe(title);
    await setHidden(false);

    // On, tab in view: the beep, no badge.
    await toggle.check();
    const seen = await place();
    await table.locator(`tr[data-order-id="${seen}"]`).waitFor();
    await expect.poll(beeps, { timeout: 5000 }).toEqual([[880, 1320]]);
    expect(await web.page.title()).toBe(title);

    // On, tab in the background: a beep per order and the "(n)" badge counting them.
    await setHidden(true);
    await place();
    await expect.poll(() => web.page.title(), { timeout: 5000 }).toBe(`(1) ${title}`);
    await expect.poll(beeps).toHaveLength(2);
    await place();
    await expect.poll(() => web.page.title(), { timeout: 5000 }).toBe(`(2) ${title}`);
    await expect.poll(beeps).toEqual([[880, 1320], [880, 1320], [880, 1320]]);
    // Back in view: the badge goes.
    await setHidden(false);
    await expect.poll(() => web.page.title()).toBe(title);

    // Off again (kept across reloads): neither beep nor badge for a new order.
    await toggle.uncheck();
    await web.page.reload();
    await expect.poll(() => web.page.getByTestId('live-state').getAttribute('data-connected')).toBe('true');
    expect(await toggle.isChecked()).toBe(false);
    expect(await beeps()).toEqual([]);
    await setHidden(true);
    const quiet = await place();
    await table.locator(`tr[data-order-id="${quiet}"]`).waitFor();
    // The live list saw it; give the alert the same chance it had above before judging.
    await web.page.waitForTimeout(500);
    expect(await beeps()).toEqual([]);
    expect(await web.page.title()).toBe(title);
    await setHidden(false);
  });
});
