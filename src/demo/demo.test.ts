import { useTestContext } from '../test-support/test-app.js';
import { describe, expect, it } from 'vitest';
import { seedDemo } from './demo.seed.js';

const TABLES = ['chains', 'vendors', 'users', 'chain_memberships', 'api_tokens', 'operator_keys'] as const;

describe('demo seed', () => {
  const s = useTestContext();

  async function counts(): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const table of TABLES) {
      const row = await s.ctx.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      out[table] = Number(row.n);
    }
    return out;
  }

  it('creates the demo chain with a DIRECT_POS, an INDIRECT_POS and a test store, and creates nothing twice', async () => {
    const first = await seedDemo(s.ctx);
    expect(first.created).toBe(true);
    const vendors = first.vendors.all;
    expect(vendors.find((v) => v.code === first.vendors.direct)?.integration_type).toBe('DIRECT_POS');
    expect(vendors.find((v) => v.code === first.vendors.indirect)?.integration_type).toBe('INDIRECT_POS');
    expect(vendors.find((v) => v.code === first.vendors.test)?.is_test).toBe(true);
    const after1 = await counts();
    expect(after1).toMatchObject({ chains: 1, vendors: 3, users: 2, api_tokens: 1, operator_keys: 1 });

    const second = await seedDemo(s.ctx);
    expect(second.created).toBe(false);
    expect(await counts()).toEqual(after1);
    expect(second.chain_id).toBe(first.chain_id);
    expect(second.token).toBe(first.token);
    expect(second.operator_key).toBe(first.operator_key);
  });

  it('re-issues the demo token when it was revoked, without piling up active tokens', async () => {
    await s.ctx.db.updateTable('api_tokens').set({ revoked_at: new Date().toISOString() }).execute();
    const again = await seedDemo(s.ctx);
    const active = await s.ctx.db.selectFrom('api_tokens').select('id').where('revoked_at', 'is', null).execute();
    expect(active).toHaveLength(1);
    expect(again.token).toMatch(/^cmd_live_/);
  });
});
