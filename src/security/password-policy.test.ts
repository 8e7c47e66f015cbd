import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ADMIN, DEMO_STAFF } from '../demo/demo.seed.js';
import { DEMO_SFTP_PASSWORD } from '../demo/demo-sftp.seed.js';
import { bearer, operatorKey } from '../test-support/fixtures.js';
import { envFor, runComanda } from '../test-support/processes.js';
import { useTestApp } from '../test-support/test-app.js';
import { PER_LOGIN } from './auth-throttle.js';
import { passwordProblem } from './password-policy.js';

describe('password policy', () => {
  it('refuses short and common passwords, trivial shapes, and the e-mail itself', () => {
    const refused = ['x', 'short', 'elevenchars', 'password1234', 'PASSWORD1234', 'qwerty123456', '123456789012', '1234567890123456', 'aaaaaaaaaaaaaaaa', 'comanda2026!!', 'contraseña123', 'administrator'];
    for (const p of refused) expect(passwordProblem(p), p).toBeDefined();
    expect(passwordProblem('ana.lopez@example.com', { email: 'ana.lopez@example.com' })).toMatch(/e-mail/);
    expect(passwordProblem('short')).toBe('must be at least 12 characters (got 5)');
    // Characters, not UTF-16 units or bytes.
    expect(passwordProblem('ñandú-ñandú')).toMatch(/got 11/);
  });

  it('accepts long unrelated phrases, generated secrets, and the demo logins', () => {
    for (const p of ['correct-horse-battery', 'mate amargo a las 7', 'Tr3s-tristes-tigres', DEMO_ADMIN.password, DEMO_STAFF.password, DEMO_SFTP_PASSWORD]) expect(passwordProblem(p), p).toBeUndefined();
  });
});

describe('password policy on every path that sets one', () => {
  const s = useTestApp({ chains: { a: 'Policy' } });
  let op: string;

  beforeAll(async () => {
    op = await operatorKey(s.ctx);
  });

  const post = (url: string, payload: object) => s.app.inject({ method: 'POST', url, headers: bearer(op), payload });

  it('operator API: portal users get 400 PASSWORD_TOO_WEAK naming body.password; nothing is created', async () => {
    for (const [password, problem] of [['1', /at least 12 characters \(got 1\)/], ['password1234', /common password/]] as const) {
      const res = await post(`/platform/v1/chains/${s.a.chain.id}/users`, { email: 'weak@policy.test', password, role: 'staff' });
      expect(res.statusCode).toBe(400);
      expect(res.json().error).toMatchObject({ code: 'PASSWORD_TOO_WEAK', details: { fields: [{ field: 'body.password' }] } });
      expect(res.json().error.message).toMatch(problem);
    }
    expect((await post('/platform/v1/users', { email: 'op-weak@policy.test', password: 'letmein' })).json().error.code).toBe('PASSWORD_TOO_WEAK');
    expect(await s.ctx.db.selectFrom('users').select('id').where('email', 'in', ['weak@policy.test', 'op-weak@policy.test']).execute()).toEqual([]);
    expect((await post(`/platform/v1/chains/${s.a.chain.id}/users`, { email: 'strong@policy.test', password: 'yerba-mate-sin-azucar', role: 'staff' })).statusCode).toBe(201);
  });

  it('operator API: human-chosen SFTP passwords follow the same rule (generated ones are long and random)', async () => {
    const url = `/platform/v1/chains/${s.a.chain.id}/sftp-login`;
    const weak = await post(url, { password: 'sftp' });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().error).toMatchObject({ code: 'PASSWORD_TOO_WEAK', details: { fields: [{ field: 'body.password' }] } });
    const generated = await post(url, {});
    expect(generated.statusCode).toBe(201);
    expect(generated.json().password).toMatch(/^[0-9A-Za-z]{24}$/);
    const patched = await s.app.inject({ method: 'PATCH', url, headers: bearer(op), payload: { password: 'qwerty123456' } });
    expect(patched.statusCode).toBe(400);
    expect(patched.json().error.code).toBe('PASSWORD_TOO_WEAK');
  });

  it('CLI: user create and set-password refuse weak passwords naming --password; set-password ends sessions and lifts the throttle', { timeout: 180_000 }, async () => {
    const env = envFor(s.t.db.config);
    const weak = await runComanda(['user', 'create', '--email', 'cli-weak@policy.test', '--password', 'abc', '--chain', s.a.chain.id], env);
    expect(weak.code).toBe(1);
    expect(weak.stderr).toMatch(/^error: PASSWORD_TOO_WEAK: --password must be at least 12 characters/m);

    const session = await s.app.inject({ method: 'POST', url: '/portal/api/session', payload: { email: s.a.staff.email, password: s.a.staff.password } });
    const cookie = String(session.headers['set-cookie']).split(';')[0]!;
    for (let i = 0; i < PER_LOGIN.freeAttempts; i++) await s.app.inject({ method: 'POST', url: '/portal/api/session', payload: { email: s.a.staff.email, password: `forgot-${i}` } });
    expect((await s.app.inject({ method: 'POST', url: '/portal/api/session', payload: { email: s.a.staff.email, password: s.a.staff.password } })).statusCode).toBe(429);

    const weakReset = await runComanda(['user', 'set-password', '--email', s.a.staff.email, '--password', 'password1234'], env);
    expect(weakReset.code).toBe(1);
    expect(weakReset.stderr).toMatch(/PASSWORD_TOO_WEAK: --password is a common password/);
    const reset = await runComanda(['user', 'set-password', '--email', s.a.staff.email, '--password', 'nuevo-pase-de-staff'], env);
    expect(reset.code, reset.stderr).toBe(0);
    expect(JSON.parse(reset.stdout).email).toBe(s.a.staff.email);
    expect((await s.app.inject({ method: 'GET', url: '/portal/api/session', headers: { cookie } })).statusCode).toBe(401);
    expect((await s.app.inject({ method: 'POST', url: '/portal/api/session', payload: { email: s.a.staff.email, password: s.a.staff.password } })).statusCode).toBe(401);
    expect((await s.app.inject({ method: 'POST', url: '/portal/api/session', payload: { email: s.a.staff.email, password: 'nuevo-pase-de-staff' } })).statusCode).toBe(200);
  });
});
