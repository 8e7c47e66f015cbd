import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildApp } from '../app.js';
import { createContext } from '../bootstrap.js';
import { loadConfig } from '../config.js';
import type { FastifyInstance } from 'fastify';
import { createLogger } from '../platform/logger.js';

/** Which document: the partner API (/openapi.json) or the operator API (/platform/openapi.json). */
export type OpenApiKind = 'partner' | 'platform';

export const OPENAPI_PATHS: Record<OpenApiKind, string> = { partner: '/openapi.json', platform: '/platform/openapi.json' };

/**
 * Runs `use` on the assembled app, without a server or a database to set up: the app is built on a
 * throw-away SQLite file, removed afterwards. `publicUrl` becomes the documents' server URL.
 */
export async function withThrowawayApp<T>(use: (app: FastifyInstance) => Promise<T>, publicUrl = 'http://localhost:3000'): Promise<T> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'comanda-app-'));
  try {
    const config = loadConfig({ COMANDA_DATA_DIR: dataDir, LOG_LEVEL: 'silent', PUBLIC_URL: publicUrl }, {});
    const ctx = await createContext(config, { log: createLogger({ logLevel: 'silent' }) });
    try {
      const app = await buildApp(ctx);
      try {
        return await use(app);
      } finally {
        await app.close();
      }
    } finally {
      await ctx.handle.close();
    }
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The OpenAPI document exactly as a server serves it (see withThrowawayApp). */
export async function exportOpenApi(kind: OpenApiKind, publicUrl = 'http://localhost:3000'): Promise<Record<string, unknown>> {
  return withThrowawayApp(async (app) => (await app.inject({ method: 'GET', url: OPENAPI_PATHS[kind] })).json() as Record<string, unknown>, publicUrl);
}
