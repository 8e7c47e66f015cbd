import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.js';
import { portalLogin, seedChain, type ChainFixture } from '../test-support/fixtures.js';
import { createTestContext, type TestContext } from '../test-support/test-db.js';

describe('GET /portal/api/chains/:chainId/actors', () => {
  let t: TestContext;
  let app: FastifyInstance;
  let a: ChainFixture;

  beforeAll(async () => {
    t = await createTestContext();
    app = await buildApp(t.ctx);
    a = await seedChain(t.ctx, 'Actors A');
  });
  afterAll(async () => {
    await app.close();
    await t.close();
  });

  it("names the chain's actors for admins, and refuses staff and other chains", async () => {
    const admin = await portalLogin(app, a.admin.email, a.admin.password);
    const created = await app.inject({
      method: 'POST',
      url: `/portal/api/chains/${a.chain.id}/tokens`,
      headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrf },
      payload: { name: 'by admin' },
    });
    expect(created.statusCode).toBe(201);
    const creator = created.json().token.created_by as string;
    expect(creator).toMatch(/^user:/);
    const res = await app.inject({ method: 'GET', url: `/portal/api/chains/${a.chain.id}/actors`, headers: { cookie: admin.cookie } });
    expect(res.statusCode).toBe(200);
    const actors = res.json().actors as Array<{ actor: string; kind: string; name: string | null; email: string | null }>;
    const me = actors.find((x) => x.actor === creator);
    expect(me).toMatchObject({ kind: 'user', email: a.admin.email });
    expect(me?.name).toBeTruthy();
    // Seed actors ('test') are listed without a name.
    expect(actors.find((x) => x.actor === 'test')).toMatchObject({ kind: 'other', name: null });
    expect(JSON.stringify(actors)).not.toContain('password');

    const staff = await portalLogin(app, a.staff.email, a.staff.password);
    const forbidden = await app.inject({ method: 'GET', url: `/portal/api/chains/${a.chain.id}/actors`, headers: { cookie: staff.cookie } });
    expect(forbidden.statusCode).toBe(403);
    const b = await seedChain(t.ctx, 'Actors B');
    const other = await app.inject({ method: 'GET', url: `/portal/api/chains/${b.chain.id}/actors`, headers: { cookie: admin.cookie } });
    expect(other.statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: `/portal/api/chains/${a.chain.id}/actors` })).statusCode).toBe(401);
  });
});
