import { beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../platform/clock.js';
import { portalLogin, type PortalLogin } from '../test-support/fixtures.js';
import { useTestApp } from '../test-support/test-app.js';
import { passwordLinkForEmail } from '../users/password-links.service.js';
import { createUser } from '../users/users.service.js';

/** Users of a chain in the portal: invite, roles, deactivation, one-time password links, the audit log; admins only. */
describe('portal users API', () => {
  let admin: PortalLogin;
  let staff: PortalLogin;
  let otherAdmin: PortalLogin;
  const clock = new ManualClock('2026-03-10T12:00:00Z');

  const s = useTestApp({ chains: { a: 'Users A', b: 'Users B' }, clock });
  beforeAll(async () => {
    admin = await portalLogin(s.app, s.a.admin.email, s.a.admin.password);
    staff = await portalLogin(s.app, s.a.staff.email, s.a.staff.password);
    otherAdmin = await portalLogin(s.app, s.b.admin.email, s.b.admin.password);
  });

  const url = (path: string, chainId = s.a.chain.id) => `/portal/api/chains/${chainId}${path}`;
  const get = (path: string, login = admin, chainId = s.a.chain.id) => s.app.inject({ method: 'GET', url: url(path, chainId), headers: { cookie: login.cookie } });
  const send = (method: 'POST' | 'PATCH', path: string, payload: object | undefined, login = admin, chainId = s.a.chain.id) =>
    s.app.inject({ method, url: url(path, chainId), headers: { cookie: login.cookie, 'x-csrf-token': login.csrf }, ...(payload ? { payload } : {}) });
  const secretOf = (link: { url: string }) => link.url.split('#')[1]!;
  const usePublic = (path: string, payload: object) => s.app.inject({ method: 'POST', url: `/portal/api/password-links/${path}`, payload });
  const memberId = async (email: string) => (await get(`/users?q=${encodeURIComponent(email)}`)).json().users[0].id as string;

  it('is for admins only: staff get 403, another chain 404', async () => {
    expect((await get('/users', staff)).statusCode).toBe(403);
    expect((await send('POST', '/users', { email: 'x@example.com', role: 'staff' }, staff)).statusCode).toBe(403);
    expect((await get('/audit', staff)).statusCode).toBe(403);
    expect((await get('/users', otherAdmin)).statusCode).toBe(404);
    expect((await get('/audit', otherAdmin)).statusCode).toBe(404);
    const id = await memberId(s.a.staff.email);
    expect((await send('PATCH', `/users/${id}`, { role: 'admin' }, otherAdmin)).statusCode).toBe(404);
    // b's admin on b's chain, naming a's member: not a member of b.
    expect((await send('PATCH', `/users/${id}`, { role: 'admin' }, otherAdmin, s.b.chain.id)).statusCode).toBe(404);
    expect((await send('POST', `/users/${id}/password-link`, undefined, otherAdmin, s.b.chain.id)).statusCode).toBe(404);
  });

  it('lists members with role and status, filtered and paged', async () => {
    const all = (await get('/users')).json();
    expect(all.pagination.total_count).toBe(2);
    expect(all.users.map((u: { email: string; role: string; status: string }) => [u.email, u.role, u.status])).toEqual([
      [s.a.admin.email, 'admin', 'active'],
      [s.a.staff.email, 'staff', 'active'],
    ]);
    expect((await get('/users?role=staff')).json().users).toHaveLength(1);
    expect((await get('/users?page_size=1&page=2')).json().users[0].email).toBe(s.a.staff.email);
    expect((await get('/users?status=nope')).statusCode).toBe(400);
  });

  it('invites a new person with a one-time link; the link sets a password once, under the policy', async () => {
    const bad = await send('POST', '/users', { email: 'not-an-email', role: 'staff' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toContain('body.email');
    const res = await send('POST', '/users', { email: 'Nuevo@Example.com', name: 'Nuevo Staff', role: 'staff' });
    expect(res.statusCode).toBe(201);
    const { user, link } = res.json();
    expect(user).toMatchObject({ email: 'nuevo@example.com', role: 'staff', status: 'invited' });
    expect(link.url).toMatch(/\/set-password#cmdpw_/);
    expect(link.purpose).toBe('invite');
    expect(Date.parse(link.expires_at) - clock.now().getTime()).toBe(7 * 86_400_000);
    // Only the hash is stored.
    const stored = await s.ctx.db.selectFrom('password_links').selectAll().execute();
    expect(JSON.stringify(stored)).not.toContain(secretOf(link));
    expect((await send('POST', '/users', { email: 'nuevo@example.com', role: 'admin' })).json().error.code).toBe('EMAIL_TAKEN');
    // An invited person cannot log in before setting a password.
    expect((await s.app.inject({ method: 'POST', url: '/portal/api/session', payload: { email: 'nuevo@example.com', password: 'invited' } })).statusCode).toBe(401);

    expect((await usePublic('inspect', { token: secretOf(link) })).json()).toMatchObject({ email: 'nuevo@example.com', purpose: 'invite' });
    const weak = await usePublic('use', { token: secretOf(link), password: 'short' });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().error).toMatchObject({ code: 'PASSWORD_TOO_WEAK', details: { fields: [{ field: 'body.password' }] } });
    // The one password policy applies here too: long but common is refused, and the link stays usable.
    expect((await usePublic('use', { token: secretOf(link), password: 'password1234' })).json().error.code).toBe('PASSWORD_TOO_WEAK');
    expect((await usePublic('use', { token: secretOf(link), password: 'nuevo@example.com' })).json().error.code).toBe('PASSWORD_TOO_WEAK');
    expect((await usePublic('use', { token: secretOf(link), password: 'a-good-long-password' })).statusCode).toBe(200);
    expect((await usePublic('use', { token: secretOf(link), password: 'another-long-password' })).json().error.code).toBe('PASSWORD_LINK_INVALID');
    expect((await usePublic('inspect', { token: secretOf(link) })).statusCode).toBe(404);
    expect((await usePublic('inspect', { token: 'cmdpw_garbage' })).statusCode).toBe(404);
    const login = await portalLogin(s.app, 'nuevo@example.com', 'a-good-long-password');
    expect((await get('/users', login)).statusCode).toBe(403);
    expect((await s.app.inject({ method: 'GET', url: url('/vendors'), headers: { cookie: login.cookie } })).statusCode).toBe(200);
  });

  it('adds an existing person of another chain as a member without a link (they keep their password)', async () => {
    const res = await send('POST', '/users', { email: s.b.staff.email, role: 'staff' });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ link: null, user: { status: 'active', other_chains: 1 } });
    // Their password is theirs: a's admin cannot reset it (it would open chain b too).
    const refused = await send('POST', `/users/${res.json().user.id}/password-link`, undefined);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe('USER_IN_OTHER_CHAINS');
  });

  it('changes roles and deactivates, never leaving the chain without an admin', async () => {
    const adminId = await memberId(s.a.admin.email);
    const staffId = await memberId(s.a.staff.email);
    expect((await send('PATCH', `/users/${adminId}`, { role: 'staff' })).json().error.code).toBe('LAST_ADMIN');
    expect((await send('PATCH', `/users/${adminId}`, { active: false })).json().error.code).toBe('LAST_ADMIN');
    expect((await send('PATCH', `/users/${staffId}`, {})).statusCode).toBe(400);
    expect((await send('PATCH', `/users/${staffId}`, { role: 'owner' })).statusCode).toBe(400);
    expect((await send('PATCH', `/users/${staffId}`, { role: 'admin' })).json()).toMatchObject({ role: 'admin', status: 'active' });
    expect((await get('/users', staff)).statusCode).toBe(200);
    expect((await send('PATCH', `/users/${staffId}`, { role: 'staff' })).json().role).toBe('staff');

    // Deactivated: the open session loses the chain at once, and the login no longer opens it.
    expect((await send('PATCH', `/users/${staffId}`, { active: false })).json().status).toBe('disabled');
    expect((await s.app.inject({ method: 'GET', url: url('/vendors'), headers: { cookie: staff.cookie } })).statusCode).toBe(404);
    expect((await get('/users?status=disabled')).json().users.map((u: { email: string }) => u.email)).toEqual([s.a.staff.email]);
    expect((await send('POST', `/users/${staffId}/password-link`, undefined)).statusCode).toBe(404);
    expect((await send('PATCH', `/users/${staffId}`, { active: true })).json().status).toBe('active');
    expect((await s.app.inject({ method: 'GET', url: url('/vendors'), headers: { cookie: staff.cookie } })).statusCode).toBe(200);
  });

  it('resets a password with a one-day link that ends the old sessions; an older link stops working', async () => {
    const staffId = await memberId(s.a.staff.email);
    const first = (await send('POST', `/users/${staffId}/password-link`, undefined)).json();
    const second = (await send('POST', `/users/${staffId}/password-link`, undefined)).json();
    expect(second.purpose).toBe('reset');
    expect(Date.parse(second.expires_at) - clock.now().getTime()).toBe(86_400_000);
    expect((await usePublic('inspect', { token: secretOf(first) })).statusCode).toBe(404);
    expect((await usePublic('use', { token: secretOf(second), password: 'staff-password-2-new' })).statusCode).toBe(200);
    expect((await s.app.inject({ method: 'GET', url: url('/vendors'), headers: { cookie: staff.cookie } })).statusCode).toBe(401);
    staff = await portalLogin(s.app, s.a.staff.email, 'staff-password-2-new');

    // Expired links do not work.
    const third = (await send('POST', `/users/${staffId}/password-link`, undefined)).json();
    clock.advance(86_400_000 + 1);
    expect((await usePublic('use', { token: secretOf(third), password: 'staff-password-3-new' })).json().error.code).toBe('PASSWORD_LINK_INVALID');
    // Sessions ended meanwhile too.
    admin = await portalLogin(s.app, s.a.admin.email, s.a.admin.password);
    otherAdmin = await portalLogin(s.app, s.b.admin.email, s.b.admin.password);
  });

  it('prints a link from the CLI service for any user (operator at the console)', async () => {
    const link = await passwordLinkForEmail(s.ctx, s.b.staff.email, 'cli');
    expect(link).toMatchObject({ email: s.b.staff.email, purpose: 'reset' });
    expect((await usePublic('use', { token: secretOf(link), password: 'b-staff-new-password' })).statusCode).toBe(200);
    await portalLogin(s.app, s.b.staff.email, 'b-staff-new-password');
  });

  it('audits user changes, with filters by actor, action and date, paged with the total', async () => {
    const all = (await get('/audit?action=user.&page_size=100')).json();
    const actions = all.entries.map((e: { action: string }) => e.action);
    for (const act of ['user.create', 'user.invite', 'user.role_change', 'user.deactivate', 'user.reactivate', 'user.password_link', 'user.password_set']) expect(actions).toContain(act);
    expect(all.pagination.total_count).toBe(all.entries.length);
    expect(JSON.stringify(all)).not.toMatch(/cmdpw_/);
    const adminActor = `user:${await memberId(s.a.admin.email)}`;
    const mine = (await get(`/audit?actor=${encodeURIComponent(adminActor)}&action=user.role_change`)).json();
    expect(mine.entries.map((e: { details: { to: string } }) => e.details.to)).toEqual(expect.arrayContaining(['admin', 'staff']));
    expect(mine.pagination.total_count).toBe(2);
    expect((await get('/audit?to=2026-03-10T00:00:00Z')).json().pagination.total_count).toBe(0);
    expect((await get('/audit?from=2026-03-11T12:00:00Z')).json().entries.every((e: { created_at: string }) => e.created_at >= '2026-03-11T12:00:00')).toBe(true);
    expect((await get('/audit?from=2026-03-12T00:00:00Z&to=2026-03-11T00:00:00Z')).statusCode).toBe(400);
    expect((await get('/audit?action=DROP TABLE')).statusCode).toBe(400);
    const page2 = (await get('/audit?page_size=2&page=2')).json();
    expect(page2.entries).toHaveLength(2);
    expect(page2.pagination.page).toBe(2);
    // Another chain's audit log stays its own.
    expect((await get('/audit', otherAdmin, s.b.chain.id)).json().entries.every((e: { details: { email?: string } }) => e.details.email !== 'nuevo@example.com')).toBe(true);
  });

  it('an operator may reset the password of a person who works for several chains', async () => {
    await createUser(s.ctx, { email: 'op@example.com', password: 'operator-password-1', isOperator: true }, 'test');
    const op = await portalLogin(s.app, 'op@example.com', 'operator-password-1');
    const id = await memberId(s.b.staff.email);
    const res = await send('POST', `/users/${id}/password-link`, undefined, op);
    expect(res.statusCode).toBe(201);
  });
});
