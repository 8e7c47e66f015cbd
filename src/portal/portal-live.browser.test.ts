import { beforeAll, describe, expect, it } from 'vitest';
import { usePortalBrowser } from '../test-support/browser.js';
import { operatorKey } from '../test-support/fixtures.js';
import { CUSTOMER, seedCatalog } from '../test-support/order-fixtures.js';
import { useTestContext } from '../test-support/test-app.js';
import { emitEvents } from '../webhooks/deliveries.service.js';
import { createEndpoint } from '../webhooks/endpoints.service.js';

/**
 * The live portal in Debian's Chromium, in Spanish and English: the dashboard (figures, uPlot
 * chart, range/store in the URL), live updates over server-sent events (a new order within ~1 s without
 * reload, the polling fallback when the stream is refused, the new-order tab badge), the failing-webhook
 * banner on every page, orders paged with the total, the delivery log's resend on a retrying delivery, the
 * endpoint on the order page, and no page wider than the window at 1280 px and 390 px.
 */
describe('Partner Portal dashboard and live updates in a real browser', () => {
  const s = useTestContext({ chains: { a: 'Live A' }, config: { webhookAllowedHosts: ['127.0.0.1'] } });
  let op: string;
  let endpointId = '';
  const placed: string[] = [];

  const chainUrl = (sub: string) => `${web.server.url}/chains/${s.a.chain.id}/${sub}`;
  const place = async (sku = 'LECHE-1L') => {
    const res = await fetch(`${web.server.url}/platform/v1/orders`, {
      method: 'POST',
      headers: { authorization: `Bearer ${op}`, 'content-type': 'application/json' },
      body: JSON.stringify({ vendor_id: s.a.direct.code, transport_type: 'LOGISTICS_DELIVERY', order_type: 'DELIVERY', items: [{ sku, quantity: 1 }], customer: CUSTOMER }),
    });
    expect(res.status).toBe(201);
    const o = (await res.json()) as { order_id: string; order_code: string; items: Array<{ _id: string }> };
    placed.push(o.order_id);
    return o;
  };
  const noSideScroll = async (what: string) => {
    const over = await web.page.evaluate<number>('document.scrollingElement.scrollWidth - document.scrollingElement.clientWidth');
    expect(over, `${what} scrolls sideways by ${over}px`).toBeLessThanOrEqual(0);
  };

  beforeAll(async () => {
    await seedCatalog(s.ctx, [s.a.direct, s.a.test]);
    op = await operatorKey(s.ctx);
    // No dispatcher runs: deliveries stay where the test puts them.
    endpointId = (await createEndpoint(s.ctx, s.a.chain.id, { url: 'http://127.0.0.1:9/hook', authorization: 'Basic dXNlcjpwYXNz', description: 'ERP pedidos' }, 'test')).endpoint.id;
  });
  const web = usePortalBrowser(s, { locale: 'es-AR', login: () => s.a.admin });

  it('lands on the dashboard, which counts a new order live (no reload), with the chart and the range and store in the URL', async () => {
    expect(await web.page.getByRole('heading', { level: 1 }).textContent()).toBe('Resumen');
    await expect.poll(() => web.page.getByTestId('live-state').getAttribute('data-connected')).toBe('true');
    await expect.poll(() => web.page.getByTestId('kpi-orders').textContent()).toContain('0');
    const o = await place();
    const t0 = Date.now();
    await expect.poll(() => web.page.getByTestId('kpi-orders').textContent(), { timeout: 3000, interval: 50 }).toContain('Pedidos1');
    expect(Date.now() - t0).toBeLessThan(1500);
    // uPlot draws a canvas; the series holds the order.
    await expect.poll(() => web.page.getByTestId('orders-per-hour').getAttribute('data-points')).toBe('1');
    expect(await web.page.locator('[data-testid="orders-per-hour"] canvas').count()).toBeGreaterThan(0);
    expect(await web.page.getByTestId('dash-stores').textContent()).toContain(s.a.direct.name);
    expect(await web.page.getByTestId('kpi-cancel').textContent()).toContain('0');

    await web.page.getByTestId('dash-range').selectOption('7d');
    await web.page.waitForURL('**/dashboard?range=7d');
    await web.page.getByTestId('dash-store').selectOption(s.a.test.id);
    await web.page.waitForURL(`**/dashboard?range=7d&vendor_id=${s.a.test.id}`);
    await expect.poll(() => web.page.getByTestId('kpi-orders').textContent()).toBe('Pedidos0');
    await web.page.reload();
    expect(await web.page.getByTestId('dash-range').inputValue()).toBe('7d');
    // The store options arrive with the chain's stores.
    await expect.poll(() => web.page.getByTestId('dash-store').inputValue()).toBe(s.a.test.id);
    await web.page.goto(chainUrl('dashboard'));
    await expect.poll(() => web.page.getByTestId('kpi-orders').textContent()).toContain('1');
    void o;
  });

  it('shows a new order in the orders list within about a second, without a reload, with the total', async () => {
    await web.page.getByRole('link', { name: 'Pedidos' }).click();
    await web.page.waitForURL('**/orders');
    await expect.poll(() => web.page.getByTestId('live-state').getAttribute('data-connected')).toBe('true');
    await expect.poll(() => web.page.getByTestId('orders-pager-range').textContent()).toBe('1–1 de 1');
    const marker = await web.page.evaluate('window.__noReload = 1');
    void marker;
    const o = await place();
    const t0 = Date.now();
    await web.page.getByTestId('orders-table').locator(`tr[data-order-id="${o.order_id}"]`).waitFor({ timeout: 3000 });
    const ms = Date.now() - t0;
    expect(ms, `the order appeared after ${ms} ms`).toBeLessThan(1500);
    expect(await web.page.evaluate('window.__noReload')).toBe(1);
    await expect.poll(() => web.page.getByTestId('orders-pager-range').textContent()).toBe('1–2 de 2');
  });

  it('pages the orders with the filters in the URL', async () => {
    for (let i = 0; i < 50; i++) await place();
    await web.page.goto(chainUrl(`orders?vendor_id=${s.a.direct.id}`));
    await expect.poll(() => web.page.getByTestId('orders-pager-range').textContent()).toBe('1–50 de 52');
    await web.page.getByTestId('orders-pager').getByRole('button', { name: 'Siguiente' }).click();
    await expect.poll(() => web.page.getByTestId('orders-pager-range').textContent()).toBe('51–52 de 52');
    expect(web.page.url()).toContain(`vendor_id=${s.a.direct.id}`);
    expect(web.page.url()).toContain('cursor=');
    await web.page.reload();
    await expect.poll(() => web.page.getByTestId('orders-pager-range').textContent()).toBe('51–52 de 52');
    expect(await web.page.getByTestId('orders-table').locator('tbody tr').count()).toBe(2);
    await web.page.getByTestId('orders-pager').getByRole('button', { name: 'Primera' }).click();
    await expect.poll(() => web.page.getByTestId('orders-pager-range').textContent()).toBe('1–50 de 52');
  });

  it('filter fields follow back and forward (orders, deliveries, catalog, promotions, audit)', async () => {
    const filters = web.page.getByRole('form', { name: 'Filtros' });
    await web.page.goto(chainUrl('orders'));
    await expect.poll(() => web.page.getByTestId('orders-pager-range').textContent()).toMatch(/^1–50 de/);
    const code = filters.getByLabel('Código de pedido');
    await code.fill('NOPE-1');
    await filters.getByRole('button', { name: 'Aplicar' }).click();
    await expect.poll(() => web.page.getByTestId('orders-pager-range').textContent()).toBe('Sin resultados');
    expect(web.page.url()).toContain('code=NOPE-1');
    // Back and forward within the app (popstate, no reload).
    await web.page.evaluate('window.__noReload = 1');
    await web.page.evaluate('window.history.back()');
    await expect.poll(() => web.page.getByTestId('orders-pager-range').textContent()).toMatch(/^1–50 de/);
    expect(await code.inputValue()).toBe('');
    await web.page.evaluate('window.history.forward()');
    await expect.poll(() => code.inputValue()).toBe('NOPE-1');
    // A field typed but not applied is the URL's again after back.
    await code.fill('typed');
    await web.page.evaluate('window.history.back()');
    await expect.poll(() => code.inputValue()).toBe('');
    expect(await web.page.evaluate('window.__noReload')).toBe(1);

    // The same hook on the other four pages: each field shows the URL's value after back.
    const checks: Array<[string, string, string, string]> = [
      ['integrations/deliveries', 'order_id', 'ID de pedido', 'abc-1'],
      ['catalog', 'q', 'Filtrar', 'leche'],
      ['promotions', 'sku', 'SKU', 'LECHE-1L'],
      ['integrations/audit', 'from', 'Desde', '2026-01-02'],
    ];
    for (const [sub, key, label, value] of checks) {
      await web.page.goto(chainUrl(sub));
      await web.page.getByRole('heading', { level: 1 }).waitFor();
      const field = web.page.getByLabel(label, { exact: true });
      await field.fill(value);
      await field.locator('xpath=ancestor::form').locator('button[type=submit]').first().click();
      await expect.poll(() => web.page.url(), { message: `${sub} applied` }).toContain(`${key}=${value}`);
      await web.page.evaluate('window.history.back()');
      await expect.poll(() => field.inputValue(), { message: `${sub} after back` }).toBe('');
      await web.page.evaluate('window.history.forward()');
      await expect.poll(() => field.inputValue(), { message: `${sub} after forward` }).toBe(value);
    }
  });

  it('falls back to polling when the stream is refused, and still shows new orders', async () => {
    const p = await web.context.newPage();
    try {
      await p.route('**/live', (route) => route.fulfill({ status: 503, body: '' }));
      await p.goto(chainUrl('orders'));
      await p.getByTestId('orders-table').locator('tbody tr').first().waitFor();
      expect(await p.getByTestId('live-state').getAttribute('data-connected')).toBe('false');
      expect(await p.getByTestId('live-state').textContent()).toContain('actualizando cada 2,5 s');
      const o = await place();
      await p.getByTestId('orders-table').locator(`tr[data-order-id="${o.order_id}"]`).waitFor({ timeout: 6000 });
    } finally {
      await p.close();
    }
  });

  it('puts a "(n)" badge in the tab title on a new order while the tab is in the background, when switched on', async () => {
    await web.page.goto(chainUrl('orders'));
    await expect.poll(() => web.page.getByTestId('live-state').getAttribute('data-connected')).toBe('true');
    const toggle = web.page.getByTestId('new-order-alert').getByRole('checkbox');
    await toggle.check();
    const title = await web.page.title();
    await web.page.evaluate(`Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' })`);
    await place();
    await expect.poll(() => web.page.title(), { timeout: 3000 }).toBe(`(1) ${title}`);
    await web.page.evaluate(`Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'visible' }); document.dispatchEvent(new Event('visibilitychange'))`);
    await expect.poll(() => web.page.title()).toBe(title);
    await toggle.uncheck();
  });

  it('offers resend on a retrying delivery, and the order page names the endpoint', async () => {
    const orderId = placed[0]!;
    const d = await s.ctx.db.selectFrom('webhook_deliveries').select(['id']).where('order_key', '=', orderId).executeTakeFirstOrThrow();
    const later = new Date(Date.now() + 3_600_000).toISOString();
    await s.ctx.db.updateTable('webhook_deliveries').set({ attempts: 2, last_status_code: 503, next_attempt_at: later, updated_at: new Date().toISOString() }).where('id', '=', d.id).execute();
    await web.page.goto(chainUrl(`integrations/deliveries?order_id=${orderId}`));
    const row = web.page.getByTestId('deliveries-table').locator(`tr[data-delivery-id="${d.id}"]`);
    await expect.poll(() => row.textContent()).toContain('Reintentando');
    // The delivery log's total, next to the pager.
    await expect.poll(() => web.page.getByTestId('deliveries-pager-range').textContent()).toBe('1–1 de 1');
    await row.getByRole('button', { name: 'Reenviar' }).click();
    await expect.poll(async () => (await s.ctx.db.selectFrom('webhook_deliveries').select(['attempts']).where('id', '=', d.id).executeTakeFirstOrThrow()).attempts).toBe(0);
    // Reset to "never tried": no resend button (it is about to be sent).
    await expect.poll(() => row.getByRole('button', { name: 'Reenviar' }).count()).toBe(0);
    expect(web.page.url()).toContain(`order_id=${orderId}`);

    await web.page.goto(chainUrl(`orders/${orderId}`));
    await expect.poll(() => web.page.getByTestId('delivery-endpoint').first().textContent()).toBe('Enviado a ERP pedidos (http://127.0.0.1:9/hook)');
  });

  it("pages the order's deliveries on the order page, with the total", async () => {
    const orderId = placed[1]!;
    await emitEvents(s.ctx, s.a.chain.id, { events: Array.from({ length: 24 }, (_, n) => ({ type: 'RECEIVED' as const, order_key: orderId, payload: { order_id: orderId, n } })) });
    const total = (await s.ctx.db.selectFrom('webhook_deliveries').select(['id']).where('order_key', '=', orderId).execute()).length;
    expect(total).toBeGreaterThan(24);
    await web.page.goto(chainUrl(`orders/${orderId}`));
    const range = web.page.getByTestId('order-deliveries-pager-range');
    await expect.poll(() => range.textContent()).toBe(`1–20 de ${total}`);
    expect(await web.page.locator('section[data-delivery-id]').count()).toBe(20);
    await web.page.getByTestId('order-deliveries-pager').getByRole('button', { name: 'Siguiente' }).click();
    await expect.poll(() => range.textContent()).toBe(`21–${total} de ${total}`);
    expect(await web.page.locator('section[data-delivery-id]').count()).toBe(total - 20);
    expect(web.page.url()).toContain('cursor=');
    await web.page.getByTestId('order-deliveries-pager').getByRole('button', { name: 'Primera' }).click();
    await expect.poll(() => range.textContent()).toBe(`1–20 de ${total}`);
  });

  it('shows a banner on every page while an endpoint is failing, and the dashboard lists it', async () => {
    await web.page.goto(chainUrl('stores'));
    await web.page.getByRole('heading', { level: 1 }).waitFor();
    expect(await web.page.getByTestId('webhook-banner').count()).toBe(0);
    const now = new Date().toISOString();
    await s.ctx.db.updateTable('webhook_endpoints').set({ failing_since: now, updated_at: now }).where('id', '=', endpointId).execute();
    // The stream's endpoints event brings it without a reload.
    await expect.poll(() => web.page.getByTestId('webhook-banner').textContent(), { timeout: 5000 }).toContain('1 endpoint(s) de webhooks fallando: ERP pedidos.');
    for (const sub of ['orders', 'catalog', 'integrations/tokens']) {
      await web.page.goto(chainUrl(sub));
      await expect.poll(() => web.page.getByTestId('webhook-banner').count()).toBe(1);
    }
    await web.page.goto(chainUrl('dashboard'));
    await expect.poll(() => web.page.getByTestId('dash-endpoint-alerts').textContent()).toContain('ERP pedidos');
  });

  it('in English: dashboard, live list and banner', async () => {
    await web.page.goto(chainUrl('dashboard'));
    await web.page.getByTestId('language').selectOption('en');
    await expect.poll(() => web.page.getByRole('heading', { level: 1 }).textContent()).toBe('Dashboard');
    expect(await web.page.getByTestId('kpi-ready').textContent()).toContain('Received → ready for pickup');
    expect(await web.page.getByTestId('webhook-banner').textContent()).toContain('1 webhook endpoint(s) failing: ERP pedidos.');
    await web.page.getByRole('link', { name: 'Orders' }).click();
    await web.page.waitForURL('**/orders');
    await expect.poll(() => web.page.getByTestId('live-state').textContent()).toContain('Live');
    await expect.poll(() => web.page.getByTestId('orders-pager-range').textContent()).toMatch(/^1–50 of \d+$/);
    const o = await place();
    const t0 = Date.now();
    await web.page.getByTestId('orders-table').locator(`tr[data-order-id="${o.order_id}"]`).waitFor({ timeout: 3000 });
    expect(Date.now() - t0).toBeLessThan(1500);
    await web.page.goto(chainUrl(`integrations/deliveries?order_id=${placed[1]}`));
    await expect.poll(() => web.page.getByTestId('deliveries-table').textContent()).toContain('RECEIVED');
    await web.page.getByTestId('language').selectOption('es');
  });

  it('no page scrolls sideways at 1280 px or at 390 px, and the menu collapses on the phone', async () => {
    // Every page of web/src/nav.ts (kept in step by hand: the menu is checked to list exactly these).
    const pages = ['dashboard', 'orders', 'stores', 'catalog', 'promotions', 'integrations/tokens', 'integrations/oauth-clients', 'integrations/webhooks', 'integrations/deliveries', 'integrations/test-order', 'integrations/certification', 'integrations/store-ids', 'integrations/sftp', 'integrations/users', 'integrations/audit'];
    const inMenu = await web.page.getByRole('navigation', { name: 'Navegación principal' }).getByRole('link').evaluateAll((links) => links.map((l) => (l as unknown as { getAttribute(n: string): string }).getAttribute('href').replace(/^\/chains\/[^/]+\//, '')));
    expect(inMenu.filter((p) => !pages.includes(p)), 'pages missing from this check').toEqual([]);
    pages.push(`orders/${placed[0]}`);
    for (const width of [1280, 390]) {
      await web.page.setViewportSize({ width, height: 800 });
      try {
        for (const sub of pages) {
          await web.page.goto(chainUrl(sub));
          await web.page.getByRole('heading', { level: 1 }).waitFor();
          // The page's first data (tables fill in after the heading); an open event stream never lets the network go idle.
          await web.page.waitForTimeout(300);
          await noSideScroll(`${sub} at ${width}px`);
        }
        const toggle = web.page.getByTestId('nav-toggle');
        if (width === 390) {
          expect(await toggle.isVisible()).toBe(true);
          expect(await web.page.getByRole('navigation', { name: 'Navegación principal' }).isVisible()).toBe(false);
        } else {
          expect(await toggle.isVisible()).toBe(false);
        }
      } finally {
        await web.page.setViewportSize({ width: 1280, height: 800 });
      }
    }
  }, 180_000);

  it('at 1280 px the webhook events never wrap mid-word and no action button is clipped (Webhooks, Stores)', async () => {
    // The widest case: an endpoint with every event.
    const every = ['RECEIVED', 'ACCEPTED', 'READY_FOR_PICKUP', 'DISPATCHED', 'DELIVERED', 'CANCELLED', 'CATALOG_JOB_COMPLETED', 'PRODUCT_JOB_COMPLETED', 'EXPORT_JOB_COMPLETED', 'PROMOTION_JOB_COMPLETED', 'SFTP_FILE_PROCESSED'] as const;
    await createEndpoint(s.ctx, s.a.chain.id, { url: 'http://127.0.0.1:9/every-event-hook', authorization: 'Basic dXNlcjpwYXNz', description: 'Todos los eventos', events: [...every] }, 'test');
    await web.page.setViewportSize({ width: 1280, height: 800 });
    // Each event name: one line box for its text (a word broken across lines has two), nothing hidden inside its chip.
    const brokenChips = `(() => [...document.querySelectorAll('[data-testid="endpoint-events"] .chip')].map((el) => {
      const r = document.createRange(); r.selectNodeContents(el);
      const lines = new Set([...r.getClientRects()].map((x) => Math.round(x.top))).size;
      return { text: el.textContent, lines, overflow: el.scrollWidth - el.clientWidth };
    }))()`;
    // Every action button's box inside its table container (the scrolling card) and inside the window.
    const clippedButtons = (table: string) => `(() => [...document.querySelectorAll('[data-testid="${table}"] button')].map((b) => {
      const box = b.getBoundingClientRect(); const wrap = b.closest('.table-wrap').getBoundingClientRect();
      const inside = box.width > 0 && box.left >= wrap.left - 0.5 && box.right <= wrap.right + 0.5 && box.top >= wrap.top - 0.5 && box.bottom <= wrap.bottom + 0.5 && box.right <= window.innerWidth;
      return { text: b.textContent, inside, clipped: b.scrollWidth - b.clientWidth, right: Math.round(box.right), wrapRight: Math.round(wrap.right) };
    }).filter((x) => !x.inside || x.clipped > 0))()`;
    for (const lang of ['es', 'en']) {
      await web.page.goto(chainUrl('integrations/webhooks'));
      await web.page.getByTestId('language').selectOption(lang);
      await web.page.getByTestId('webhooks-table').locator('tr[data-endpoint-id]').nth(1).waitFor();
      const chips = await web.page.evaluate<Array<{ text: string; lines: number; overflow: number }>>(brokenChips);
      expect(chips.length).toBe(every.length + 9); // the new endpoint's and the first one's (default events)
      expect(chips.filter((c) => c.lines !== 1 || c.overflow > 0), `${lang}: event names broken or cut`).toEqual([]);
      const webhookButtons = await web.page.evaluate<unknown[]>(clippedButtons('webhooks-table'));
      expect(webhookButtons, `${lang}: clipped buttons on Webhooks`).toEqual([]);
      expect(await web.page.getByTestId('webhooks-table').locator('button').count()).toBe(10);
      await web.page.goto(chainUrl('stores'));
      await web.page.getByTestId('stores-table').locator('tbody button').first().waitFor();
      expect(await web.page.evaluate<unknown[]>(clippedButtons('stores-table')), `${lang}: clipped buttons on Stores`).toEqual([]);
    }
    await web.page.getByTestId('language').selectOption('es');
  });
});
