import fs from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyProductRows } from '../catalog/products.repository.js';
import type { ProductBody } from '../catalog/product-input.js';
import { JobRunner } from '../jobs/job-runner.js';
import { JOB_TYPES } from '../jobs-list.js';
import { loginThroughForm, usePortalBrowser } from '../test-support/browser.js';
import { seedCatalog } from '../test-support/order-fixtures.js';
import { useTestContext } from '../test-support/test-app.js';

/**
 * Catalog, promotion and user editing in Debian's Chromium, in Spanish and English: strict fields that
 * never clear a value by mistake, errors that say what happened, paging and filters in the URL, CSV
 * upload and export through the jobs, promotions through the promotion job, users with one-time
 * password links and the audit log. One browser; a second context plays the invited person.
 */
describe('Partner Portal editing in a real browser', () => {
  const s = useTestContext({ chains: { a: 'Edit A' } });
  let runner: JobRunner;

  const chainUrl = (sub: string) => `${web.server.url}/chains/${s.a.chain.id}/${sub}`;
  const lang = async (l: 'es' | 'en') => web.page.getByTestId('language').selectOption(l);
  const listingOf = (sku: string) =>
    s.ctx.db.selectFrom('listings').select(['price_milli', 'maximum_sales_quantity', 'active']).where('vendor_id', '=', s.a.direct.id).where('sku', '=', sku).executeTakeFirstOrThrow();
  const jobCount = async () => Number((await s.ctx.db.selectFrom('jobs').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  const login = (p: Page, email: string, password: string) => loginThroughForm(p, web.server.url, { email, password });

  beforeAll(async () => {
    // 243 listings in two categories (the catalog used to stop at 100 of them), each capped at 5 per order.
    const rows: ProductBody[] = Array.from({ length: 243 }, (_, i) => {
      const n = String(i + 1).padStart(3, '0');
      return { sku: `P-${n}`, title: { es_AR: `Producto ${n}` }, price: 1000 + i, categories: [i < 40 ? 'Almacén/Yerbas' : 'Bebidas'], maximum_sales_quantity: 5 };
    });
    await s.ctx.db.transaction().execute((trx) => applyProductRows(s.ctx, trx, s.a.chain.id, [s.a.direct.id], rows, 0));
    await seedCatalog(s.ctx, [s.a.test]);
    runner = new JobRunner(s.ctx, JOB_TYPES, { owner: 'edit-browser' });
    await runner.start();
  });
  afterAll(async () => {
    await runner?.stop();
  });
  const web = usePortalBrowser(s, { locale: 'en-US', viewport: { width: 1280, height: 900 }, context: { acceptDownloads: true } });
  beforeAll(() => login(web.page, s.a.admin.email, s.a.admin.password));

  it('pages the catalog with the total, filters by category, and keeps the view in the URL across a reload', async () => {
    await web.page.getByRole('link', { name: 'Catálogo' }).click();
    await web.page.waitForURL('**/catalog');
    const table = web.page.getByTestId('catalog-table');
    const range = web.page.getByTestId('catalog-pager-range');
    await expect.poll(() => range.textContent(), { timeout: 10_000 }).toBe('1–50 de 243');
    expect(await table.locator('tbody tr[data-sku]').count()).toBe(50);
    await web.page.getByTestId('catalog-pager').getByRole('button', { name: 'Siguiente' }).click();
    await expect.poll(() => range.textContent(), { timeout: 10_000 }).toBe('51–100 de 243');
    expect(web.page.url()).toContain('page=2');
    await web.page.getByLabel('Categoría', { exact: true }).selectOption({ label: 'Almacén/Yerbas' });
    await expect.poll(() => range.textContent(), { timeout: 10_000 }).toBe('1–40 de 40');
    expect(web.page.url()).toMatch(/category=[^&]+/);
    expect(web.page.url()).not.toContain('page=');
    await web.page.getByLabel('Filtrar').fill('P-03');
    await web.page.getByRole('button', { name: 'Aplicar', exact: true }).click();
    await expect.poll(() => range.textContent(), { timeout: 10_000 }).toBe('1–10 de 10');
    await web.page.reload();
    await expect.poll(() => range.textContent(), { timeout: 10_000 }).toBe('1–10 de 10');
    expect(await web.page.getByLabel('Filtrar').inputValue()).toBe('P-03');
    await lang('en');
    await expect.poll(() => range.textContent(), { timeout: 10_000 }).toBe('1–10 of 10');
    await lang('es');
  });

  it('never clears the per-order cap on a mistyped value: a field message (es/en), nothing sent; clearing is explicit', async () => {
    await web.page.goto(chainUrl(`catalog?store=${s.a.direct.id}&q=P-00`));
    const table = web.page.getByTestId('catalog-table');
    await expect.poll(() => table.locator('tbody tr[data-sku]').count(), { timeout: 10_000 }).toBe(9);
    const before = await jobCount();
    await table.getByLabel('Seleccionar P-001').check();
    await table.getByLabel('Seleccionar P-002').check();
    const bulk = web.page.getByTestId('bulk-form');
    await bulk.getByLabel('Máximo por pedido', { exact: true }).selectOption('set');
    await bulk.getByLabel('Unidades por pedido').fill('abc');
    await bulk.getByRole('button', { name: 'Aplicar a los seleccionados' }).click();
    const units = bulk.getByLabel('Unidades por pedido');
    expect(await units.getAttribute('aria-invalid')).toBe('true');
    await expect.poll(() => bulk.getByRole('alert').textContent(), { timeout: 10_000 }).toBe('Ingresá un número entero mayor que 0.');
    await lang('en');
    await expect.poll(() => bulk.getByRole('alert').textContent(), { timeout: 10_000 }).toBe('Enter a whole number above 0.');
    await lang('es');
    await bulk.getByLabel('Unidades por pedido').fill('0');
    await bulk.getByRole('button', { name: 'Aplicar a los seleccionados' }).click();
    expect(await bulk.getByRole('alert').count()).toBe(1);
    await new Promise((r) => setTimeout(r, 300));
    expect(await jobCount()).toBe(before);
    expect((await listingOf('P-001')).maximum_sales_quantity).toBe(5);

    // The single edit: an emptied maximum is refused as well; "Quitar el máximo" removes it.
    await table.getByRole('button', { name: 'Editar P-003' }).click();
    const dialog = web.page.getByRole('dialog');
    await dialog.getByLabel('Máximo por pedido').fill('');
    await dialog.getByRole('button', { name: 'Guardar' }).click();
    await expect.poll(() => dialog.getByRole('alert').textContent(), { timeout: 10_000 }).toBe('Ingresá un número entero mayor que 0.');
    await dialog.getByLabel('Quitar el máximo').check();
    await dialog.getByRole('button', { name: 'Guardar' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(async () => (await listingOf('P-003')).maximum_sales_quantity, { timeout: 10_000 }).toBeNull();
    await expect.poll(async () => (await table.locator('tr[data-sku="P-003"] td').allTextContents())[5], { timeout: 10_000 }).toBe('—');
    // The bulk form's explicit "remove" does it for many.
    await table.getByLabel('Seleccionar P-001').check();
    await table.getByLabel('Seleccionar P-002').check();
    await bulk.getByLabel('Máximo por pedido', { exact: true }).selectOption('clear');
    await bulk.getByRole('button', { name: 'Aplicar a los seleccionados' }).click();
    await expect.poll(async () => (await listingOf('P-002')).maximum_sales_quantity, { timeout: 10_000 }).toBeNull();
    expect((await listingOf('P-004')).maximum_sales_quantity).toBe(5);
  });

  it('edits prices in bulk (a new price, or a percentage with a preview) and creates a product through the job', async () => {
    const table = web.page.getByTestId('catalog-table');
    await table.getByLabel('Seleccionar P-005').check();
    await table.getByLabel('Seleccionar P-006').check();
    const bulk = web.page.getByTestId('bulk-form');
    await bulk.getByLabel('Precio', { exact: true }).selectOption('percent');
    await bulk.getByLabel('Porcentaje').fill('-10');
    await expect.poll(async () => (await bulk.getByTestId('price-preview').textContent())?.replace(/\s/g, ' '), { timeout: 10_000 }).toContain('P-005: $ 1.004,00 → $ 903,60');
    await bulk.getByRole('button', { name: 'Aplicar a los seleccionados' }).click();
    await expect.poll(async () => Number((await listingOf('P-006')).price_milli), { timeout: 10_000 }).toBe(904_500);
    expect(Number((await listingOf('P-005')).price_milli)).toBe(903_600);
    await table.getByLabel('Seleccionar P-007').check();
    await bulk.getByLabel('Precio', { exact: true }).selectOption('set');
    await bulk.getByLabel('Precio nuevo').fill('1.299,5');
    await bulk.getByRole('button', { name: 'Aplicar a los seleccionados' }).click();
    await expect.poll(async () => Number((await listingOf('P-007')).price_milli), { timeout: 10_000 }).toBe(1_299_500);

    await web.page.getByRole('button', { name: 'Nuevo producto' }).click();
    const dialog = web.page.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Crear producto' }).click();
    await expect.poll(() => dialog.getByRole('alert').allTextContents(), { timeout: 10_000 }).toEqual(expect.arrayContaining(['El SKU es obligatorio: hasta 64 caracteres, sin espacios.', 'Poné un nombre.', 'Ingresá un precio mayor que 0, por ejemplo 1250,50.']));
    await dialog.getByLabel('SKU', { exact: true }).fill('NUEVO-1');
    await dialog.getByLabel('Nombre', { exact: true }).fill('Yerba nueva');
    await dialog.getByLabel('Precio', { exact: true }).fill('1500,25');
    await dialog.getByLabel('Categoría').fill('Almacén/Yerbas');
    await dialog.getByLabel('Todas las tiendas').uncheck();
    await dialog.getByLabel(s.a.direct.name).check();
    await dialog.getByRole('button', { name: 'Crear producto' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(() => web.page.getByRole('status').first().textContent(), { timeout: 10_000 }).toContain('Producto encolado');
    await expect.poll(async () => Number((await listingOf('NUEVO-1').catch(() => ({ price_milli: 0 }))).price_milli), { timeout: 10_000 }).toBe(1_500_250);
    const job = web.page.getByTestId('jobs-table').locator('tbody tr[data-type="product_create"]').first();
    await expect.poll(() => job.getAttribute('data-status'), { timeout: 10_000 }).toBe('COMPLETED');
    expect(await job.textContent()).toContain('Alta de productos');
  });

  it('uploads a CSV through the SFTP job path and shows each row in words (en, then es); an export downloads the real file', async () => {
    await lang('en');
    await web.page.getByRole('button', { name: 'Upload CSV' }).click();
    const dialog = web.page.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Upload', exact: true }).click();
    await expect.poll(() => dialog.getByRole('alert').textContent(), { timeout: 10_000 }).toBe('Choose a file.');
    await dialog.getByLabel('CSV file').setInputFiles({ name: 'prices.csv', mimeType: 'text/csv', buffer: Buffer.from('sku,price\nP-010,777\nNO-EXISTE,5\nP-011,abc\n') });
    await dialog.getByRole('button', { name: 'Upload', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(() => web.page.getByRole('status').first().textContent(), { timeout: 10_000 }).toContain(`File prices_${s.a.direct.code}.csv received`);
    const job = web.page.getByTestId('jobs-table').locator('tbody tr[data-type="sftp_file"]').first();
    await expect.poll(() => job.getAttribute('data-status'), { timeout: 10_000 }).toBe('COMPLETED');
    expect(await job.textContent()).toContain('CSV file');
    expect(await job.textContent()).toContain(`prices_${s.a.direct.code}.csv`);
    await job.getByRole('button', { name: /^Details/ }).click();
    const results = web.page.getByTestId('job-results').locator('tbody tr');
    await expect.poll(() => results.count(), { timeout: 10_000 }).toBe(3);
    expect((await results.allTextContents()).map((r) => r.replace(/\s+/g, ' '))).toEqual([
      expect.stringContaining('Updated'),
      expect.stringContaining('SKU not found at the store'),
      expect.stringContaining('Invalid price (must be above 0)'),
    ]);
    await web.page.getByRole('dialog').getByRole('button', { name: 'Close' }).click();
    await lang('es');
    await job.getByRole('button', { name: /^Detalle/ }).click();
    await expect.poll(() => web.page.getByTestId('job-results').locator('tbody tr').nth(1).textContent(), { timeout: 10_000 }).toContain('SKU no encontrado en la tienda');
    // No English from the server in a Spanish dialog.
    expect(await web.page.getByRole('dialog').textContent()).not.toMatch(/not listed|is not|must be/);
    await web.page.getByRole('dialog').getByRole('button', { name: 'Cerrar' }).click();
    expect(Number((await listingOf('P-010')).price_milli)).toBe(777_000);

    await web.page.getByRole('button', { name: 'Exportar catálogo' }).click();
    const exportRow = web.page.getByTestId('jobs-table').locator('tbody tr[data-type="catalog_export"]').first();
    await expect.poll(() => exportRow.getAttribute('data-status'), { timeout: 10_000 }).toBe('COMPLETED');
    expect(await exportRow.getByRole('link', { name: 'Descargar resultados' }).count()).toBe(0);
    const [download] = await Promise.all([web.page.waitForEvent('download'), exportRow.getByRole('link', { name: 'Descargar catálogo' }).click()]);
    const csv = fs.readFileSync((await download.path())!, 'utf8').trim().split(/\r?\n/);
    expect(csv[0]).toMatch(/^"?sku"?,/);
    expect(csv).toHaveLength(1 + 244);
    expect(csv.some((l) => l.includes('NUEVO-1'))).toBe(true);
  });

  it('says what happened: the SKU named and no "try again" for a refusal; a missing order is a not-found state (es and en)', async () => {
    await web.page.goto(chainUrl('integrations/test-order'));
    await web.page.getByLabel('SKU 1').fill('NO-EXISTE');
    await web.page.getByRole('button', { name: 'Crear pedido de prueba' }).click();
    const alert = web.page.locator('main').getByRole('alert');
    await expect.poll(() => alert.textContent(), { timeout: 10_000 }).toBe('El SKU NO-EXISTE no está en el surtido de la tienda.');
    await lang('en');
    await web.page.getByRole('button', { name: 'Place test order' }).click();
    await expect.poll(() => alert.textContent(), { timeout: 10_000 }).toBe("The SKU NO-EXISTE is not in the store's assortment.");
    expect(await alert.textContent()).not.toMatch(/try again/i);

    const missing = '00000000-0000-4000-8000-000000000000';
    await web.page.goto(chainUrl(`orders/${missing}`));
    await web.page.getByTestId('not-found').waitFor();
    expect(await web.page.getByRole('heading', { level: 1 }).textContent()).toBe('Not found');
    expect(await web.page.getByTestId('not-found').textContent()).toContain(`There is no order ${missing} in this chain.`);
    await lang('es');
    await expect.poll(() => web.page.getByRole('heading', { level: 1 }).textContent(), { timeout: 10_000 }).toBe('No encontrado');
    expect(await web.page.getByTestId('not-found').textContent()).toContain(`No hay ningún pedido ${missing} en esta cadena.`);
    expect(await web.page.locator('main').textContent()).not.toContain('Cargando');
  });

  it('creates, filters, edits and switches off promotions through the promotion job, with types in words (es and en)', async () => {
    await web.page.goto(chainUrl('promotions'));
    await web.page.getByRole('button', { name: 'Nueva promoción' }).click();
    let dialog = web.page.getByRole('dialog');
    await dialog.getByLabel('Nombre').fill('Yerbas 10');
    await dialog.getByLabel('Empieza').fill('2020-01-01T00:00');
    await dialog.getByLabel('Termina').fill('2019-01-01T00:00');
    await dialog.getByRole('button', { name: 'Crear promoción' }).click();
    await expect.poll(() => dialog.getByRole('alert').allTextContents(), { timeout: 10_000 }).toEqual(expect.arrayContaining(['Tiene que terminar después de empezar.', 'Ingresá un porcentaje entre 1 y 100.', 'Ingresá al menos un SKU.']));
    await dialog.getByLabel('Termina').fill('2099-01-01T00:00');
    await dialog.getByLabel('Todas las tiendas de la cadena').uncheck();
    await dialog.getByLabel(s.a.direct.name).check();
    await dialog.getByLabel('Porcentaje').fill('10');
    await dialog.getByLabel('SKUs').fill('P-020\nP-021');
    await dialog.getByLabel('Máximo de unidades con descuento por pedido (opcional)').fill('0');
    await dialog.getByRole('button', { name: 'Crear promoción' }).click();
    await expect.poll(() => dialog.getByRole('alert').allTextContents(), { timeout: 10_000 }).not.toEqual([]);
    await dialog.getByLabel('Máximo de unidades con descuento por pedido (opcional)').fill('2');
    await dialog.getByRole('button', { name: 'Crear promoción' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(() => web.page.getByRole('status').first().textContent(), { timeout: 10_000 }).toBe('Promoción guardada.');

    await web.page.getByRole('button', { name: 'Nueva promoción' }).click();
    dialog = web.page.getByRole('dialog');
    await dialog.getByLabel('Nombre').fill('Combo futuro');
    await dialog.getByLabel('Tipo', { exact: true }).selectOption('SAME_ITEM_BUNDLE');
    await dialog.getByLabel('Tipo de descuento').selectOption('FREE_ITEM');
    await dialog.getByLabel('Empieza').fill('2098-01-01T00:00');
    await dialog.getByLabel('Termina').fill('2099-01-01T00:00');
    await dialog.getByLabel('SKUs').fill('P-030, NO-EXISTE');
    await dialog.getByRole('button', { name: 'Crear promoción' }).click();
    await dialog.waitFor({ state: 'hidden' });
    // Every store of the chain: the SKUs missing at each are named, with the store's name.
    await expect.poll(() => web.page.getByRole('alert').first().textContent(), { timeout: 10_000 }).toContain(`NO-EXISTE (${s.a.direct.name})`);

    const table = web.page.getByTestId('promotions-table');
    const row = (name: string) => table.locator('tbody tr', { hasText: name });
    await expect.poll(() => row('Yerbas 10').textContent(), { timeout: 10_000 }).toContain('P-020 -10 %');
    expect(await row('Yerbas 10').textContent()).toMatch(/Activa.*Precio tachado.*Portal/);
    expect(await row('Combo futuro').textContent()).toMatch(/Programada.*Llevá 3, pagá 2/);
    await web.page.getByLabel('Estado', { exact: true }).selectOption('SCHEDULED');
    await expect.poll(() => table.locator('tbody tr[data-promotion]').count(), { timeout: 10_000 }).toBe(1);
    expect(web.page.url()).toContain('state=SCHEDULED');
    expect(await web.page.getByTestId('promotions-pager-range').textContent()).toBe('1–1 de 1');
    await web.page.getByLabel('Estado', { exact: true }).selectOption('');
    await web.page.getByLabel('SKU', { exact: true }).fill('P-021');
    await web.page.getByRole('button', { name: 'Aplicar', exact: true }).click();
    await expect.poll(() => table.locator('tbody tr[data-promotion]').allTextContents(), { timeout: 10_000 }).toEqual([expect.stringContaining('Yerbas 10')]);
    await web.page.getByLabel('Tienda', { exact: true }).selectOption(s.a.indirect.id);
    await expect.poll(() => table.textContent(), { timeout: 10_000 }).toContain('No hay promociones.');
    await web.page.goto(chainUrl('promotions'));

    // Edit: the key fields are locked; 15 % on P-020, P-021 taken out.
    await row('Yerbas 10').getByRole('button', { name: 'Editar Yerbas 10' }).click();
    dialog = web.page.getByRole('dialog');
    expect(await dialog.getByLabel('Nombre').isDisabled()).toBe(true);
    // The per-SKU cap comes back into the form and is sent again with the edit.
    expect(await dialog.getByLabel('Máximo de unidades con descuento por pedido (opcional)').inputValue()).toBe('2');
    await dialog.getByLabel('Porcentaje').fill('15');
    await dialog.getByLabel('SKUs').fill('P-020');
    await dialog.getByRole('button', { name: 'Guardar' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(() => row('Yerbas 10').textContent(), { timeout: 10_000 }).toContain('P-020 -15 %');
    expect(await row('Yerbas 10').textContent()).not.toContain('P-021');
    const cap = await s.ctx.db.selectFrom('promotion_items').select(['value', 'max_quantity']).where('vendor_id', '=', s.a.direct.id).where('sku', '=', 'P-020').executeTakeFirstOrThrow();
    expect([Number(cap.value), Number(cap.max_quantity)]).toEqual([15_000, 2]);

    await row('Yerbas 10').getByRole('button', { name: 'Desactivar Yerbas 10' }).click();
    await web.page.getByRole('dialog').getByRole('button', { name: 'Desactivar' }).click();
    await expect.poll(() => row('Yerbas 10').getAttribute('data-state'), { timeout: 10_000 }).toBe('INACTIVE');
    expect(await row('Yerbas 10').textContent()).toContain('Desactivada');
    await lang('en');
    await expect.poll(() => row('Yerbas 10').textContent(), { timeout: 10_000 }).toMatch(/Switched off.*Strikethrough price.*Portal/);
    expect(await row('Combo futuro').textContent()).toMatch(/Scheduled.*Buy 3, pay 2/);
    expect(await table.textContent()).not.toMatch(/STRIKETHROUGH|SAME_ITEM_BUNDLE|FREE_ITEM/);
    await lang('es');
  });

  it('admins invite a person with a one-time link, who sets a password under the policy; roles, deactivation and resets follow', async () => {
    await web.page.getByRole('link', { name: 'Usuarios' }).click();
    await web.page.waitForURL('**/integrations/users');
    await web.page.getByRole('button', { name: 'Invitar a una persona' }).click();
    let dialog = web.page.getByRole('dialog');
    await dialog.getByLabel('E-mail').fill('sin-arroba');
    await dialog.getByRole('button', { name: 'Invitar', exact: true }).click();
    await expect.poll(() => dialog.getByRole('alert').textContent(), { timeout: 10_000 }).toBe('Ingresá un e-mail válido, por ejemplo ana@ejemplo.com.');
    await dialog.getByLabel('E-mail').fill('nueva@ejemplo.com');
    await dialog.getByLabel('Nombre').fill('Nueva Persona');
    await dialog.getByRole('button', { name: 'Invitar', exact: true }).click();
    dialog = web.page.getByRole('dialog');
    await expect.poll(() => dialog.getByRole('heading').textContent(), { timeout: 10_000 }).toBe('Enlace de invitación');
    const link = await dialog.getByTestId('secret-value').inputValue();
    expect(link).toMatch(new RegExp(`^${web.server.url}/set-password#cmdpw_`));
    await dialog.getByRole('button', { name: 'Ya lo copié' }).click();
    const users = web.page.getByTestId('users-table');
    await expect.poll(() => users.locator('tr[data-email="nueva@ejemplo.com"]').getAttribute('data-status'), { timeout: 10_000 }).toBe('invited');

    // The invited person, in another browser context.
    const other = await web.browser.newContext({ viewport: { width: 390, height: 800 }, timezoneId: 'UTC' });
    other.setDefaultTimeout(10_000);
    const them = await other.newPage();
    await them.goto(link);
    await expect.poll(() => them.getByRole('heading', { level: 1 }).textContent(), { timeout: 10_000 }).toBe('Bienvenido: elegí tu contraseña');
    expect(them.url()).not.toContain('cmdpw_');
    await them.getByLabel('Contraseña nueva').fill('corta');
    await them.getByLabel('Repetí la contraseña').fill('corta');
    await them.getByRole('button', { name: 'Guardar contraseña' }).click();
    await expect.poll(() => them.getByRole('alert').textContent(), { timeout: 10_000 }).toBe('Esa contraseña no sirve: usá al menos 12 caracteres, que no sea una contraseña común ni tu e-mail.');
    await them.getByTestId('language').selectOption('en');
    await them.getByRole('button', { name: 'Save password' }).click();
    await expect.poll(() => them.getByRole('alert').textContent(), { timeout: 10_000 }).toBe('That password will not do: use at least 12 characters, not a common password and not your e-mail.');
    await them.getByLabel('New password').fill('una-clave-bien-larga-2026');
    await them.getByLabel('Repeat the password').fill('una-clave-bien-larga-2026');
    await them.getByRole('button', { name: 'Save password' }).click();
    await them.getByTestId('password-done').waitFor();
    // The link works once.
    await them.goto('about:blank');
    await them.goto(link);
    await them.getByTestId('not-found').waitFor();
    expect(await them.getByTestId('not-found').textContent()).toContain('already used or has expired');
    await them.getByTestId('language').selectOption('es');
    await login(them, 'nueva@ejemplo.com', 'una-clave-bien-larga-2026');
    expect(await them.getByRole('navigation').getByRole('link', { name: 'Usuarios' }).count()).toBe(0);

    await web.page.reload();
    const row = users.locator('tr[data-email="nueva@ejemplo.com"]');
    await expect.poll(() => row.getAttribute('data-status'), { timeout: 10_000 }).toBe('active');
    await row.getByLabel('Rol de nueva@ejemplo.com').selectOption('admin');
    await expect.poll(() => web.page.getByRole('status').first().textContent(), { timeout: 10_000 }).toBe('nueva@ejemplo.com ahora es Administrador.');
    await row.getByRole('button', { name: 'Desactivar a nueva@ejemplo.com' }).click();
    await web.page.getByRole('dialog').getByRole('button', { name: 'Desactivar' }).click();
    await expect.poll(() => row.getAttribute('data-status'), { timeout: 10_000 }).toBe('disabled');
    await them.reload();
    await expect.poll(() => them.getByTestId('message').textContent(), { timeout: 10_000 }).toContain('no tiene acceso a ninguna cadena');
    await row.getByRole('button', { name: 'Reactivar a nueva@ejemplo.com' }).click();
    await web.page.getByRole('dialog').getByRole('button', { name: 'Reactivar' }).click();
    await expect.poll(() => row.getAttribute('data-status'), { timeout: 10_000 }).toBe('active');

    // The chain's only other admin cannot be demoted away: LAST_ADMIN in words, no retry.
    await row.getByLabel('Rol de nueva@ejemplo.com').selectOption('staff');
    await expect.poll(() => web.page.getByRole('status').first().textContent(), { timeout: 10_000 }).toBe('nueva@ejemplo.com ahora es Personal.');
    await users.locator(`tr[data-email="${s.a.admin.email}"]`).getByLabel(`Rol de ${s.a.admin.email}`).selectOption('staff');
    await expect.poll(() => web.page.getByRole('alert').first().textContent(), { timeout: 10_000 }).toBe('La cadena se quedaría sin administradores activos. Nombrá otro administrador antes.');

    await row.getByRole('button', { name: 'Restablecer la contraseña de nueva@ejemplo.com' }).click();
    await web.page.getByRole('dialog').getByRole('button', { name: 'Generar enlace' }).click();
    dialog = web.page.getByRole('dialog');
    await expect.poll(() => dialog.getByRole('heading').textContent(), { timeout: 10_000 }).toBe('Enlace para restablecer la contraseña');
    const reset = await dialog.getByTestId('secret-value').inputValue();
    await dialog.getByRole('button', { name: 'Ya lo copié' }).click();
    await them.goto('about:blank');
    await them.goto(reset);
    await expect.poll(() => them.getByRole('heading', { level: 1 }).textContent(), { timeout: 10_000 }).toBe('Elegí una contraseña nueva');
    await other.close();

    await lang('en');
    await expect.poll(() => web.page.getByRole('heading', { level: 1 }).textContent(), { timeout: 10_000 }).toBe('Users');
    expect(await row.textContent()).toContain('Active');
    await web.page.getByLabel('Status', { exact: true }).selectOption('invited');
    await expect.poll(() => web.page.getByTestId('users-table').textContent(), { timeout: 10_000 }).toContain('Nothing to show.');
    expect(web.page.url()).toContain('status=invited');
    await lang('es');
  });

  it('the audit log shows catalog, promotion and user changes, filtered by who, what and when, paged (es and en)', async () => {
    await web.page.goto(chainUrl('integrations/audit'));
    const table = web.page.getByTestId('audit-table');
    await expect.poll(() => table.locator('[data-action="catalog.update"]').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    for (const action of ['catalog.create', 'catalog.upload', 'promotion.upsert', 'promotion.deactivate', 'user.invite', 'user.role_change', 'user.deactivate', 'user.password_link', 'user.password_set']) {
      expect(await table.locator(`[data-action="${action}"]`).count(), action).toBeGreaterThan(0);
    }
    await web.page.getByLabel('Acción').selectOption('user.');
    await expect.poll(() => table.locator('tbody [data-action]').evaluateAll((els) => els.every((e) => e.getAttribute('data-action')!.startsWith('user.'))), { timeout: 10_000 }).toBe(true);
    expect(web.page.url()).toContain('action=user.');
    const adminName = (await s.ctx.db.selectFrom('users').select('name').where('email', '=', s.a.admin.email).executeTakeFirstOrThrow()).name;
    await web.page.getByLabel('Quién').selectOption({ label: `${adminName} (${s.a.admin.email})` });
    await expect.poll(() => table.locator('tbody [data-action="user.password_set"]').count(), { timeout: 10_000 }).toBe(0);
    expect(await table.locator('tbody [data-action="user.invite"]').count()).toBe(1);
    await web.page.getByLabel('Desde').fill('2020-01-01');
    await web.page.getByLabel('Hasta').fill('2020-01-02');
    await web.page.getByRole('button', { name: 'Aplicar', exact: true }).click();
    await expect.poll(() => table.textContent(), { timeout: 10_000 }).toContain('No hay nada para mostrar.');
    await web.page.goto(chainUrl('integrations/audit?action=catalog.'));
    await lang('en');
    await expect.poll(() => table.locator('tbody tr').first().textContent(), { timeout: 10_000 }).toMatch(/Products edited|Product created|Catalog file received/);
    expect(await web.page.getByTestId('audit-pager-range').textContent()).toMatch(/^1–\d+ of \d+$/);
    await lang('es');
  });

  it('the editing pages fit a 390 px phone: the page itself never scrolls sideways', async () => {
    await web.page.setViewportSize({ width: 390, height: 800 });
    try {
      for (const sub of [`catalog?store=${s.a.direct.id}`, 'promotions', 'integrations/users', 'integrations/audit']) {
        await web.page.goto(chainUrl(sub));
        await web.page.getByRole('heading', { level: 1 }).waitFor();
        await web.page.locator('[data-testid$="-table"] tbody tr').first().waitFor();
        const overflow = await web.page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
        expect(overflow, sub).toBeLessThanOrEqual(0);
      }
      await web.page.goto(chainUrl('promotions'));
      await web.page.getByRole('button', { name: 'Nueva promoción' }).click();
      await web.page.getByRole('dialog').getByLabel('Nombre').waitFor();
      expect(await web.page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth')).toBeLessThanOrEqual(0);
      await web.page.getByRole('dialog').getByRole('button', { name: 'Cancelar' }).click();
    } finally {
      await web.page.setViewportSize({ width: 1280, height: 900 });
    }
  });

  it('staff see neither users nor the audit log: hidden in the menu, "no access" on the page, 403 from the API', async () => {
    const staffContext = await web.browser.newContext({ viewport: { width: 1280, height: 800 }, timezoneId: 'UTC' });
    staffContext.setDefaultTimeout(10_000);
    const staff = await staffContext.newPage();
    await login(staff, s.a.staff.email, s.a.staff.password);
    const nav = staff.getByRole('navigation', { name: 'Navegación principal' });
    expect(await nav.getByRole('link', { name: 'Usuarios' }).count()).toBe(0);
    expect(await nav.getByRole('link', { name: 'Registro de auditoría' }).count()).toBe(0);
    await staff.goto(`${web.server.url}/chains/${s.a.chain.id}/integrations/users`);
    await staff.getByText('Sin acceso').first().waitFor();
    const status = await staff.evaluate(async (chainId) => (await fetch(`/portal/api/chains/${chainId}/users`)).status, s.a.chain.id);
    expect(status).toBe(403);
    const audit = await staff.evaluate(async (chainId) => (await fetch(`/portal/api/chains/${chainId}/audit`)).status, s.a.chain.id);
    expect(audit).toBe(403);
    await staffContext.close();
  });
});
