import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { afterAll, beforeAll } from 'vitest';
import { buildApp } from '../app.js';
import type { Config } from '../config.js';
import type { Clock } from '../platform/clock.js';
import type { AppContext } from '../platform/context.js';
import { portalLogin, seedChain, type ChainFixture, type PortalLogin } from './fixtures.js';
import { createTestContext, type TestContext } from './test-db.js';

/** A chain's portal user: `['a', 'admin']` is chain `a`'s admin. */
export type LoginOf<K extends string> = readonly [chain: K, user: 'admin' | 'staff'];

export interface TestContextOptions<K extends string = never> {
  clock?: Clock;
  config?: Partial<Config>;
  log?: Logger;
  /** Chains seeded with `seedChain` in this order, by name; null: seedChain's own numbered name. */
  chains?: Record<K, string | null>;
}

export interface TestAppOptions<K extends string = never, L extends string = never> extends TestContextOptions<K> {
  /** Portal logins made once the chains exist: `{ admin: ['a', 'admin'] }` → `s.admin`. */
  logins?: Record<L, LoginOf<NoInfer<K>>>;
}

export interface TestContextHolder {
  t: TestContext;
  ctx: AppContext;
}

export interface TestApp extends TestContextHolder {
  app: FastifyInstance;
}

/**
 * The holder's fields are filled in by a beforeAll: reading one before that (at collection time)
 * throws, so a `const x = s.app` outside a hook or test fails loudly instead of being undefined.
 */
function holder<T extends object>(keys: string[]): { value: Partial<T>; view: T } {
  const value: Partial<T> = {};
  const view = new Proxy(value, {
    get(target, key) {
      if (typeof key === 'string' && keys.includes(key) && !(key in target)) throw new Error(`test fixture: \`${key}\` is read before the beforeAll that sets it ran (or it failed)`);
      return Reflect.get(target, key);
    },
    set() {
      throw new Error('test fixture: the holder is read-only');
    },
  }) as T;
  return { value, view };
}

async function seed(ctx: AppContext, chains: Record<string, string | null> | undefined, into: Record<string, unknown>): Promise<void> {
  for (const [key, name] of Object.entries(chains ?? {})) into[key] = await seedChain(ctx, name ?? undefined);
}

/**
 * A migrated context on a fresh database for the enclosing describe (or file), plus seeded chains:
 * registers the beforeAll that creates them and the afterAll that closes the context.
 */
export function useTestContext<const K extends string = never>(options: TestContextOptions<K> = {}): TestContextHolder & Record<K, ChainFixture> {
  const { value, view } = holder<TestContextHolder & Record<K, ChainFixture>>(['t', 'ctx', ...Object.keys(options.chains ?? {})]);
  const fields = value as Record<string, unknown>;
  beforeAll(async () => {
    const t = await createTestContext({ clock: options.clock, config: options.config, log: options.log });
    Object.assign(fields, { t, ctx: t.ctx });
    await seed(t.ctx, options.chains, fields);
  });
  afterAll(async () => {
    await value.t?.close();
  });
  return view;
}

/**
 * `useTestContext` plus the app built on it (`buildApp(ctx)`, not listening: `s.app.inject`) and
 * portal logins. Closes the app, then the context, also when a later beforeAll failed.
 */
export function useTestApp<const K extends string = never, const L extends string = never>(
  options: TestAppOptions<K, L> = {},
): TestApp & Record<K, ChainFixture> & Record<L, PortalLogin> {
  const { value, view } = holder<TestApp & Record<K, ChainFixture> & Record<L, PortalLogin>>(['t', 'ctx', 'app', ...Object.keys(options.chains ?? {}), ...Object.keys(options.logins ?? {})]);
  const fields = value as Record<string, unknown>;
  beforeAll(async () => {
    const t = await createTestContext({ clock: options.clock, config: options.config, log: options.log });
    Object.assign(fields, { t, ctx: t.ctx });
    fields.app = await buildApp(t.ctx);
    await seed(t.ctx, options.chains, fields);
    for (const [key, [chain, user]] of Object.entries(options.logins ?? {}) as Array<[string, LoginOf<string>]>) {
      const who = (fields[chain] as ChainFixture)[user];
      fields[key] = await portalLogin(fields.app as FastifyInstance, who.email, who.password);
    }
  });
  afterAll(async () => {
    try {
      await value.app?.close();
    } finally {
      await value.t?.close();
    }
  });
  return view;
}
