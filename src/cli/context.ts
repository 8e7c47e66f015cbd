import { createContext } from '../bootstrap.js';
import { loadConfig, type Config } from '../config.js';
import type { AppContext } from '../platform/context.js';

/** Runs `fn` with a context for one CLI command (quiet logs unless LOG_LEVEL is set), then closes the database. */
export async function withContext<T>(fn: (ctx: AppContext) => Promise<T>, overrides: Partial<Config> = {}): Promise<T> {
  const config = loadConfig(process.env, { logLevel: process.env.LOG_LEVEL ? loadConfig().logLevel : 'warn', ...overrides });
  const ctx = await createContext(config);
  try {
    return await fn(ctx);
  } finally {
    await ctx.handle.close();
  }
}
