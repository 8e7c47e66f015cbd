import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { listAudit } from '../audit/audit.repository.js';
import { createUser } from '../users/users.service.js';
import { usePortalBrowser } from '../test-support/browser.js';
import { portalLogin } from '../test-support/fixtures.js';
import { useTestContext } from '../test-support/test-app.js';

/**
 * The Partner Portal end to end in Debian's Chromium against a real listening server. One browser for
 * the file; the admin's page is reused across steps (they build on each other, in order).
 */
describe('Partner Portal in a real browser', () => {
  const s = useTestContext({ chains: { a: 'Browser A', b: 'Browser B' } });
  let createdSecret = '';

  const v2 = (path: string, token: string) => fetch(`${web.server.url}/v2${path}`, { headers: { authorization: `Bearer ${token}` } });
  const chainUrl = (sub: string, chainId = s.a.chain.id) => `${web.server.url}/chains/${chainId}/${sub}`;

  async function login(p: Page, email: string, password: string) {
    await p.getByLabel(/^(E-mail)$/).fill(email);
    await p.getByLabel(/^(Contraseña|Password)$/).fill(password);
    await p.getByRole('button', { name: /^(Ingresar|Log in)$/ }).click();
  }

  // Fail fast: a missing element should not cost Playwright's default 30 s per step.
  const web = usePortalBrowser(s, { locale: 'en-US', timeoutMs: 8_000 });

  it('logs in, in Spanish by default, and lands on the dashboard', async () => {
    await web.page.goto(web.server.url);
    await expect.poll(() => web.page.locator('html').getAttribute('lang')).toBe('es');
    await expect.poll(() => web.page.getByRole('heading', { level: 1 }).textContent()).toBe('Iniciar sesión');
    await login(web.page, s.a.admin.email, 'wrong-password');
    await expect.poll(() => web.page.getByTestId('login-error').textContent()).toBe('E-mail o contraseña incorrectos.');
    await login(web.page, s.a.admin.email, s.a.admin.password);
    await web.page.waitForURL(`**/chains/${s.a.chain.id}/dashboard`);
    await web.page.getByRole('link', { name: 'Tiendas' }).click();
    await web.page.waitForURL(`**/chains/${s.a.chain.id}/stores`);
    const table = web.page.getByTestId('stores-table');
    await expect.poll(() => table.locator('tbody tr').count()).toBe(3);
    const direct = await table.locator(`tr[data-vendor="${s.a.direct.code}"]`).textContent();
    expect(direct).toContain(s.a.direct.external_id);
    expect(direct).toContain('Partner Picking (DIRECT_POS)');
    expect(await table.locator(`tr[data-vendor="${s.a.test.code}"]`).textContent()).toContain('Prueba');
    // Admins see the Shops Integrations section.
    const nav = web.page.getByRole('navigation', { name: 'Navegación principal' });
    expect(await nav.getByRole('link').allTextContents()).toEqual(['Resumen', 'Pedidos', 'Tiendas', 'Catálogo', 'Promociones', 'Tokens de API', 'Clientes OAuth', 'Webhooks', 'Registro de entregas', 'Pedido de prueba', 'Homologación', 'Identificadores de tienda', 'SFTP', 'Usuarios', 'Registro de auditoría']);
    // A single-chain admin has no chain switcher.
    expect(await web.page.getByTestId('chain-switcher').count()).toBe(0);
  });

  it('creates a token and shows its secret exactly once', async () => {
    await web.page.getByRole('link', { name: 'Tokens de API' }).click();
    await web.page.waitForURL('**/integrations/tokens');
    await expect.poll(() => web.page.getByTestId('token-limit').textContent()).toContain('1 de 11 tokens activos');
    await web.page.getByLabel('Nombre del token').fill('ERP pedidos');
    await web.page.getByRole('button', { name: 'Crear token' }).click();
    const dialog = web.page.getByRole('dialog');
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('Es la única vez que se muestra');
    createdSecret = await dialog.getByTestId('secret-value').inputValue();
    expect(createdSecret).toMatch(/^cmd_live_[0-9A-Za-z]{43}_[0-9A-Za-z]{6}$/);
    expect(await dialog.getByRole('button', { name: 'Copiar' }).isVisible()).toBe(true);
    await dialog.getByRole('button', { name: 'Ya lo copié' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const row = web.page.getByTestId('tokens-table').locator('tr', { hasText: 'ERP pedidos' });
    await expect.poll(() => row.textContent()).toContain(`${createdSecret.slice(0, 13)}…${createdSecret.slice(-4)}`);
    expect(await web.page.content()).not.toContain(createdSecret);
    expect(await row.textContent()).toContain('Nunca');
    expect(await web.page.getByTestId('token-limit').textContent()).toContain('2 de 11 tokens activos');
    // The secret works on the partner API…
    expect((await v2(`/chains/${s.a.chain.id}/vendors`, createdSecret)).status).toBe(200);
    // …and a reload shows the list without it (the secret is gone for good).
    await web.page.reload();
    await expect.poll(() => row.textContent()).toContain('ERP pedidos');
    expect(await web.page.content()).not.toContain(createdSecret);
  });

  it('revokes the token after confirmation, and /v2 refuses it at once', async () => {
    // After the reload above the CSRF token was re-read from GET /portal/api/session: this write needs it.
    const row = web.page.getByTestId('tokens-table').locator('tr', { hasText: 'ERP pedidos' });
    const dialog = web.page.getByRole('dialog');
    // Escape cancels (keyboard users), and nothing is revoked.
    await row.getByRole('button', { name: 'Revocar: ERP pedidos' }).click();
    await dialog.waitFor();
    await web.page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect((await v2(`/chains/${s.a.chain.id}/vendors`, createdSecret)).status).toBe(200);
    await row.getByRole('button', { name: 'Revocar: ERP pedidos' }).click();
    expect(await dialog.getByRole('heading').textContent()).toBe('¿Revocar el token «ERP pedidos»?');
    await dialog.getByRole('button', { name: 'Revocar' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(() => web.page.getByRole('status').first().textContent()).toContain('Token «ERP pedidos» revocado.');
    await expect.poll(() => row.count()).toBe(0);
    const refused = await v2(`/chains/${s.a.chain.id}/vendors`, createdSecret);
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('INVALID_TOKEN');
    await web.page.getByLabel('Mostrar revocados').check();
    await expect.poll(() => row.textContent()).toContain('Revocado');
  });

  it('explains the 11-token limit and disables creating at the limit', async () => {
    const admin = await portalLogin(web.server.app, s.a.admin.email, s.a.admin.password);
    for (let i = 0; i < 10; i++) {
      const res = await web.server.app.inject({
        method: 'POST',
        url: `/portal/api/chains/${s.a.chain.id}/tokens`,
        headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrf },
        payload: { name: `Integración ${i}` },
      });
      expect(res.statusCode).toBe(201);
    }
    await web.page.reload();
    await expect.poll(() => web.page.getByTestId('token-limit').textContent()).toContain('11 de 11 tokens activos');
    expect(await web.page.getByTestId('token-limit').textContent()).toContain('Llegaste al límite de 11 tokens activos');
    expect(await web.page.getByRole('button', { name: 'Crear token' }).isDisabled()).toBe(true);
  });

  it('creates an OAuth client whose secret is shown once and works on /v2/oauth/token', async () => {
    await web.page.getByRole('link', { name: 'Clientes OAuth' }).click();
    await web.page.getByLabel('Nombre del cliente').fill('WMS');
    await web.page.getByRole('button', { name: 'Crear cliente' }).click();
    const dialog = web.page.getByRole('dialog');
    await dialog.waitFor();
    const [clientId, clientSecret] = await dialog.getByTestId('secret-value').evaluateAll((els) => els.map((e) => (e as unknown as { value: string }).value));
    await dialog.getByRole('button', { name: 'Ya lo copié' }).click();
    await expect.poll(() => web.page.getByTestId('oauth-table').textContent()).toContain(clientId!);
    expect(await web.page.content()).not.toContain(clientSecret!);
    const res = await fetch(`${web.server.url}/v2/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId!, client_secret: clientSecret! }),
    });
    expect(res.status).toBe(200);
  });

  it('changes a store identifier; the partner API then accepts the new id in paths', async () => {
    await web.page.getByRole('link', { name: 'Identificadores de tienda' }).click();
    const input = web.page.getByLabel(`ID externo de ${s.a.direct.name}`);
    expect(await input.inputValue()).toBe(s.a.direct.external_id);
    await input.fill('SUC-0042');
    await web.page.getByTestId('mapping-table').locator(`tr[data-vendor="${s.a.direct.code}"]`).getByRole('button', { name: 'Guardar' }).click();
    await expect.poll(() => web.page.getByRole('status').first().textContent()).toContain(`Identificador de «${s.a.direct.name}» guardado.`);
    const res = await v2(`/chains/${s.a.chain.id}/vendors/SUC-0042`, s.a.token);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { code: string }).code).toBe(s.a.direct.code);
    expect((await v2(`/chains/${s.a.chain.id}/vendors/${s.a.direct.external_id}`, s.a.token)).status).toBe(404);
    // Another store cannot take the same id: the row says so.
    const other = web.page.getByTestId('mapping-table').locator(`tr[data-vendor="${s.a.indirect.code}"]`);
    await web.page.getByLabel(`ID externo de ${s.a.indirect.name}`).fill('SUC-0042');
    await other.getByRole('button', { name: 'Guardar' }).click();
    await expect.poll(() => other.getByRole('alert').textContent()).toBe('Otra tienda de la cadena ya usa ese identificador.');
  });

  it('shows the audit log with readable actions and actors', async () => {
    await web.page.getByRole('link', { name: 'Registro de auditoría' }).click();
    const table = web.page.getByTestId('audit-table');
    await expect.poll(() => table.locator('[data-action="token.revoke"]').count()).toBe(1);
    const revokeRow = table.locator('tr', { has: web.page.locator('[data-action="token.revoke"]') });
    expect(await revokeRow.textContent()).toContain('Token revocado');
    const admin = await createdByName();
    expect(await revokeRow.textContent()).toContain(admin);
    expect(await table.locator('[data-action="vendor.update"]').count()).toBe(1);
  });

  async function createdByName(): Promise<string> {
    const row = await s.ctx.db.selectFrom('users').select('name').where('email', '=', s.a.admin.email).executeTakeFirstOrThrow();
    return row.name;
  }

  it('switches to English, keeps the choice across reloads, and formats in the store time zone', async () => {
    await web.page.getByTestId('language').selectOption('en');
    await expect.poll(() => web.page.getByRole('heading', { level: 1 }).textContent()).toBe('Audit log');
    await web.page.reload();
    await expect.poll(() => web.page.getByRole('heading', { level: 1 }).textContent()).toBe('Audit log');
    expect(await web.page.locator('html').getAttribute('lang')).toBe('en');
    const nav = web.page.getByRole('navigation', { name: 'Main navigation' });
    expect(await nav.getByRole('link').allTextContents()).toEqual(['Dashboard', 'Orders', 'Stores', 'Catalog', 'Promotions', 'API tokens', 'OAuth clients', 'Webhooks', 'Delivery log', 'Test order', 'Certification', 'Store identifiers', 'SFTP', 'Users', 'Audit log']);
    expect(await web.page.textContent('main')).toContain(`Times in ${s.a.direct.time_zone}.`);
    // The browser runs in UTC; the table shows the store's clock in the store's layout.
    const latest = (await listAudit(s.ctx.db, s.a.chain.id, 1))[0]!;
    const expected = new Intl.DateTimeFormat('es-AR', { timeZone: s.a.direct.time_zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(latest.created_at));
    expect(s.a.direct.time_zone).not.toBe('UTC');
    expect(await web.page.getByTestId('audit-table').locator('tbody tr').first().locator('td').first().textContent()).toBe(expected);
    await web.page.getByTestId('language').selectOption('es');
    await expect.poll(() => web.page.getByRole('heading', { level: 1 }).textContent()).toBe('Registro de auditoría');
  });

  it('sends the user back to the login when the session ends, and carries on after logging in again', async () => {
    await s.ctx.db.deleteFrom('portal_sessions').execute();
    await web.page.getByRole('link', { name: 'Tokens de API' }).click();
    await expect.poll(() => web.page.getByRole('status').first().textContent()).toBe('Tu sesión terminó. Ingresá de nuevo.');
    await login(web.page, s.a.admin.email, s.a.admin.password);
    await expect.poll(() => web.page.getByRole('heading', { level: 1 }).textContent()).toBe('Tokens de API');
    expect(web.page.url()).toBe(chainUrl('integrations/tokens'));
  });

  it('refuses a state-changing call without the CSRF header, even with the session cookie', async () => {
    const res = await web.page.evaluate(async (chainId) => {
      const r = await fetch(`/portal/api/chains/${chainId}/tokens`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'csrf' }) });
      return { status: r.status, body: (await r.json()) as { error: { code: string } } };
    }, s.a.chain.id);
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('CSRF_TOKEN_INVALID');
  });

  it('logs out: the session is gone and the login form is back', async () => {
    await web.page.getByRole('button', { name: 'Cerrar sesión' }).click();
    await expect.poll(() => web.page.getByRole('heading', { level: 1 }).textContent()).toBe('Iniciar sesión');
    const status = await web.page.evaluate(async () => (await fetch('/portal/api/session')).status);
    expect(status).toBe(401);
  });

  it('keeps staff out of Shops Integrations (no menu entry, no page, API 403)', async () => {
    const staff = await web.browser.newContext({ viewport: { width: 1280, height: 800 } });
    staff.setDefaultTimeout(8_000);
    try {
      const p = await staff.newPage();
      await p.goto(chainUrl('integrations/tokens'));
      await login(p, s.a.staff.email, s.a.staff.password);
      await expect.poll(() => p.getByTestId('message').textContent()).toContain('Solo los administradores de la cadena pueden abrir Shops Integrations.');
      const nav = p.getByRole('navigation', { name: 'Navegación principal' });
      expect(await nav.getByRole('link').allTextContents()).toEqual(['Resumen', 'Pedidos', 'Tiendas', 'Catálogo', 'Promociones']);
      expect(await p.locator('[data-section="integrations"]').count()).toBe(0);
      expect(await p.getByTestId('tokens-table').count()).toBe(0);
      const api = await p.evaluate(async (chainId) => {
        const r = await fetch(`/portal/api/chains/${chainId}/tokens`);
        return { status: r.status, code: ((await r.json()) as { error: { code: string } }).error.code };
      }, s.a.chain.id);
      expect(api).toEqual({ status: 403, code: 'FORBIDDEN' });
      await nav.getByRole('link', { name: 'Tiendas' }).click();
      await expect.poll(() => p.getByTestId('stores-table').locator('tbody tr').count()).toBe(3);
    } finally {
      await staff.close();
    }
  });

  it('shows the login throttle message after repeated failures', async () => {
    const ctx = await web.browser.newContext();
    try {
      const p = await ctx.newPage();
      await p.goto(web.server.url);
      for (let i = 0; i < 5; i++) {
        await login(p, 'nobody@example.test', `wrong-${i}`);
        await expect.poll(() => p.getByTestId('login-error').textContent()).toBe('E-mail o contraseña incorrectos.');
        await p.getByRole('button', { name: 'Ingresar' }).waitFor();
      }
      // The 6th attempt is refused if it comes within 1 s of the 5th failure. On a loaded machine it may
      // come later and count as a 6th failure, which doubles the wait: retrying converges quickly.
      await expect
        .poll(
          async () => {
            await login(p, 'nobody@example.test', 'wrong-again');
            await p.getByRole('button', { name: 'Ingresar' }).waitFor();
            return p.getByTestId('login-error').textContent();
          },
          { timeout: 15_000, interval: 0 },
        )
        .toMatch(/^Demasiados intentos fallidos\. Probá de nuevo en \d+ s\.$/);
    } finally {
      await ctx.close();
    }
  });

  it('lets an operator switch chains', async () => {
    await createUser(s.ctx, { email: 'op@platform.test', password: 'operator-password-1', name: 'Olga Operator', isOperator: true }, 'test');
    const ctx = await web.browser.newContext();
    try {
      const p = await ctx.newPage();
      await p.goto(chainUrl('stores'));
      // Keyboard only: the e-mail field has focus on load, Tab moves to the password, Enter submits.
      await p.getByLabel('E-mail').waitFor();
      await p.keyboard.type('op@platform.test');
      await p.keyboard.press('Tab');
      await p.keyboard.type('operator-password-1');
      await p.keyboard.press('Enter');
      const switcher = p.getByLabel('Cadena');
      await switcher.waitFor();
      await switcher.selectOption(s.b.chain.id);
      await p.waitForURL(`**/chains/${s.b.chain.id}/stores`);
      await expect.poll(() => p.getByTestId('stores-table').textContent()).toContain(s.b.direct.name);
      expect(await p.getByTestId('stores-table').textContent()).not.toContain(s.a.direct.name);
    } finally {
      await ctx.close();
    }
  });
});
