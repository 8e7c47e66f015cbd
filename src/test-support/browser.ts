import fs from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser } from 'playwright-core';
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
