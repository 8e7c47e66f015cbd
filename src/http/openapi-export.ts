import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildApp } from '../app.js';
import { createContext } from '../bootstrap.js';
import { loadConfig } from '../config.js';
import { createLogger } from '../platform/logger.js';

/** Which document: the partner API (/openapi.json) or the operator API (/platform/openapi.json). */
export type OpenApiKind = 'partner' | 'platform';

export const OPENAPI_PATHS: Record<OpenApiKind, string> = { partner: '/openapi.json', platform: '/platform/openapi.json' };

/**
 * The OpenAPI document exactly as a server serves it, without a server or a database to set up: the
 * app is assembled on a throw-away SQLite file. `publicUrl` becomes the document's server URL.
 */
export async function exportOpenApi(kind: OpenApiKind, publicUrl = 'http://localhost:3000'): Promise<Record<string, unknown>> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'comanda-openapi-'));
  try {
    const config = loadConfig({ COMANDA_DATA_DIR: dataDir, LOG_LEVEL: 'silent', PUBLIC_URL: publicUrl }, {});
    const ctx = await createContext(config, { log: createLogger({ logLevel: 'silent' }) });
    try {
      const app = await buildApp(ctx);
      try {
        const res = await app.inject({ method: 'GET', url: OPENAPI_PATHS[kind] });
        return res.json() as Record<string, unknown>;
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
