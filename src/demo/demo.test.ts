import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../test-support/test-db.js';
import { seedDemo } from './demo.seed.js';

const TABLES = ['chains', 'vendors', 'users', 'chain_memberships', 'api_tokens', 'operator_keys'] as const;

describe('demo seed', () => {
  let t: TestContext;
  beforeAll(async () => {
    t = await createTestContext();
  });
  afterAll(async () => t.close());

  async function counts(): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const table of TABLES) {
      const row = await t.ctx.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      out[table] = Number(row.n);
    }
    return out;
  }

  it('creates the demo chain with a DIRECT_POS, an INDIRECT_POS and a test store, and creates nothing twice', async () => {
    const first = await seedDemo(t.ctx);
    expect(first.created).toBe(true);
    const vendors = first.vendors.all;
    expect(vendors.find((v) => v.code === first.vendors.direct)?.integration_type).toBe('DIRECT_POS');
    expect(vendors.find((v) => v.code === first.vendors.indirect)?.integration_type).toBe('INDIRECT_POS');
    expect(vendors.find((v) => v.code === first.vendors.test)?.is_test).toBe(true);
    const after1 = await counts();
    expect(after1).toMatchObject({ chains: 1, vendors: 3, users: 2, api_tokens: 1, operator_keys: 1 });

    const second = await seedDemo(t.ctx);
    expect(second.created).toBe(false);
    expect(await counts()).toEqual(after1);
    expect(second.chain_id).toBe(first.chain_id);
    expect(second.token).toBe(first.token);
    expect(second.operator_key).toBe(first.operator_key);
  });

  it('re-issues the demo token when it was revoked, without piling up active tokens', async () => {
    await t.ctx.db.updateTable('api_tokens').set({ revoked_at: new Date().toISOString() }).execute();
    const again = await seedDemo(t.ctx);
    const active = await t.ctx.db.selectFrom('api_tokens').select('id').where('revoked_at', 'is', null).execute();
    expect(active).toHaveLength(1);
    expect(again.token).toMatch(/^cmd_live_/);
  });
});
