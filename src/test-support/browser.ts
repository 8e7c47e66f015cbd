import fs from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { buildApp } from '../app.js';
import type { AppContext } from '../platform/context.js';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Debian's Chromium, headless; Playwright gives every launch a fresh temporary user-data-dir. */
export async function launchChromium(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM_PATH)) throw new Error(`${CHROMIUM_PATH} is missing: apt-get install -y chromium`);
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    chromiumSandbox: false,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'],
  });
}

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Makes sure web/dist exists (npm test builds it first; a lone `npx vitest run` of a browser test
 * builds it here once).
 */
export function ensureWebBuilt(webDir: string): void {
  if (fs.existsSync(path.join(webDir, 'index.html'))) return;
  execFileSync('npx', ['vite', 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit' });
}

export interface PortalServer {
  app: FastifyInstance;
  url: string;
  close(): Promise<void>;
}

/** The real app on 127.0.0.1:<random port>, serving the built portal. */
export async function startPortalServer(ctx: AppContext): Promise<PortalServer> {
  ensureWebBuilt(ctx.config.portalWebDir);
  const app = await buildApp(ctx);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { app, url: `http://127.0.0.1:${port}`, close: () => app.close() };
}

/** Opens the portal at `url`, logs in through the (Spanish) login form and waits for the dashboard. */
export async function loginThroughForm(page: Page, url: string, user: { email: string; password: string }): Promise<void> {
  await page.goto(url);
  await page.getByLabel('E-mail').fill(user.email);
  await page.getByLabel('Contraseña').fill(user.password);
  await page.getByRole('button', { name: 'Ingresar' }).click();
  await page.waitForURL('**/dashboard');
}

export interface UsePortalBrowserOptions {
  /** The browser's locale (`es-AR`, `en-US`); the time zone is UTC. */
  locale: string;
  /** Default 1280×800. */
  viewport?: { width: number; height: number };
  /** Playwright's default timeout per step, ms (default 10 s: a missing element fails fast). */
  timeoutMs?: number;
  /** More options of the browser context (e.g. `acceptDownloads`). */
  context?: BrowserContextOptions;
  /** A script every page runs first (`context.addInitScript`). */
  initScript?: string;
  /** Log this user in through the (Spanish) login form, then wait for the dashboard. */
  login?: () => { email: string; password: string };
}

export interface PortalBrowser {
  server: PortalServer;
  browser: Browser;
  context: BrowserContext;
  page: Page;
}

/**
 * The portal served for real (`startPortalServer`) on the context of `useTestContext` / `useTestApp`,
 * Chromium, one browser context and its page, for the enclosing describe. Call it after that one (and
 * after any beforeAll that must run before the server starts); it closes the browser, then the server.
 */
export function usePortalBrowser(on: { ctx: AppContext }, options: UsePortalBrowserOptions): PortalBrowser {
  const value: Partial<PortalBrowser> = {};
  beforeAll(async () => {
    value.server = await startPortalServer(on.ctx);
    value.browser = await launchChromium();
    value.context = await value.browser.newContext({ viewport: options.viewport ?? { width: 1280, height: 800 }, timezoneId: 'UTC', locale: options.locale, ...options.context });
    value.context.setDefaultTimeout(options.timeoutMs ?? 10_000);
    if (options.initScript) await value.context.addInitScript(options.initScript);
    value.page = await value.context.newPage();
    if (options.login) await loginThroughForm(value.page, value.server.url, options.login());
  });
  afterAll(async () => {
    try {
      await value.browser?.close();
    } finally {
      await value.server?.close();
    }
  });
  return new Proxy(value, {
    get(target, key) {
      if (typeof key === 'string' && ['server', 'browser', 'context', 'page'].includes(key) && !(key in target)) throw new Error(`usePortalBrowser: \`${key}\` is read before its beforeAll ran (or it failed)`);
      return Reflect.get(target, key);
    },
  }) as PortalBrowser;
}
