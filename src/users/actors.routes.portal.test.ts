import { describe, expect, it } from 'vitest';
import { portalLogin, seedChain } from '../test-support/fixtures.js';
import { useTestApp } from '../test-support/test-app.js';

describe('GET /portal/api/chains/:chainId/actors', () => {
  const s = useTestApp({ chains: { a: 'Actors A' } });

  it("names the chain's actors for admins, and refuses staff and other chains", async () => {
    const admin = await portalLogin(s.app, s.a.admin.email, s.a.admin.password);
    const created = await s.app.inject({
      method: 'POST',
      url: `/portal/api/chains/${s.a.chain.id}/tokens`,
      headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrf },
      payload: { name: 'by admin' },
    });
    expect(created.statusCode).toBe(201);
    const creator = created.json().token.created_by as string;
    expect(creator).toMatch(/^user:/);
    const res = await s.app.inject({ method: 'GET', url: `/portal/api/chains/${s.a.chain.id}/actors`, headers: { cookie: admin.cookie } });
    expect(res.statusCode).toBe(200);
    const actors = res.json().actors as Array<{ actor: string; kind: string; name: string | null; email: string | null }>;
    const me = actors.find((x) => x.actor === creator);
    expect(me).toMatchObject({ kind: 'user', email: s.a.admin.email });
    expect(me?.name).toBeTruthy();
    // Seed actors ('test') are listed without a name.
    expect(actors.find((x) => x.actor === 'test')).toMatchObject({ kind: 'other', name: null });
    expect(JSON.stringify(actors)).not.toContain('password');

    const staff = await portalLogin(s.app, s.a.staff.email, s.a.staff.password);
    const forbidden = await s.app.inject({ method: 'GET', url: `/portal/api/chains/${s.a.chain.id}/actors`, headers: { cookie: staff.cookie } });
    expect(forbidden.statusCode).toBe(403);
    const b = await seedChain(s.ctx, 'Actors B');
    const other = await s.app.inject({ method: 'GET', url: `/portal/api/chains/${b.chain.id}/actors`, headers: { cookie: admin.cookie } });
    expect(other.statusCode).toBe(404);
    expect((await s.app.inject({ method: 'GET', url: `/portal/api/chains/${s.a.chain.id}/actors` })).statusCode).toBe(401);
  });
});
