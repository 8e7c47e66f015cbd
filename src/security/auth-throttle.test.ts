import type { FastifyInstance } from 'fastify';
import ssh2 from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.js';
import { createContext } from '../bootstrap.js';
import type { AppContext } from '../platform/context.js';
import { createLogger } from '../platform/logger.js';
import { ManualClock } from '../platform/clock.js';
import { SftpServer } from '../sftp/sftp.server.js';
import { createSftpLogin } from '../sftp/sftp-users.service.js';
import { seedChain, type ChainFixture } from '../test-support/fixtures.js';
import { useTestApp, useTestContext } from '../test-support/test-app.js';
import { createTestContext, type TestContext } from '../test-support/test-db.js';
import { addressBucket, PER_ADDRESS, PER_LOGIN } from './auth-throttle.js';

function login(app: FastifyInstance, email: string, password: string, ip = '198.51.100.10') {
  return app.inject({ method: 'POST', url: '/portal/api/session', payload: { email, password }, remoteAddress: ip });
}

describe('login throttle: portal', () => {
  const clock = new ManualClock('2026-03-01T12:00:00Z');

  const s = useTestApp({ chains: { a: 'Throttle' }, clock });

  it('after the free attempts the right password is refused too (429 + Retry-After) until the backoff passes; success clears it', async () => {
    for (let i = 0; i < PER_LOGIN.freeAttempts; i++) expect((await login(s.app, s.a.admin.email, `wrong-guess-${i}`)).statusCode).toBe(401);
    const refused = await login(s.app, s.a.admin.email, s.a.admin.password);
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['retry-after']).toBe('1');
    expect(refused.json().error).toMatchObject({ code: 'TOO_MANY_REQUESTS', details: { scope: 'login', retry_after_seconds: 1 } });
    expect(refused.json().error.message).toMatch(/for this account; try again in 1 s/);
    // From another address too: the counter is per login, not per login+address.
    expect((await login(s.app, s.a.admin.email, s.a.admin.password, '203.0.113.99')).statusCode).toBe(429);
    // E-mail case and spaces do not make a fresh counter.
    expect((await login(s.app, `  ${s.a.admin.email.toUpperCase()}`, s.a.admin.password)).statusCode).toBe(429);

    // The backoff doubles with every further failure: 1 s, 2 s, 4 s.
    clock.advance(1000);
    expect((await login(s.app, s.a.admin.email, 'wrong-again-1')).statusCode).toBe(401);
    expect((await login(s.app, s.a.admin.email, s.a.admin.password)).headers['retry-after']).toBe('2');
    clock.advance(2000);
    expect((await login(s.app, s.a.admin.email, 'wrong-again-2')).statusCode).toBe(401);
    const longer = await login(s.app, s.a.admin.email, s.a.admin.password);
    expect(longer.statusCode).toBe(429);
    expect(longer.headers['retry-after']).toBe('4');

    clock.advance(3000);
    expect((await login(s.app, s.a.admin.email, s.a.admin.password)).statusCode).toBe(429);
    clock.advance(1000);
    expect((await login(s.app, s.a.admin.email, s.a.admin.password)).statusCode).toBe(200);
    // A success clears the login's counter: the next mistake is free again.
    expect((await login(s.app, s.a.admin.email, 'one-more-typo')).statusCode).toBe(401);
    expect((await login(s.app, s.a.admin.email, s.a.admin.password)).statusCode).toBe(200);
  });

  it('a burst of parallel guesses past the free attempts gets one verdict per backoff, not one each', async () => {
    const email = 'nobody-parallel@throttle.test';
    for (let i = 0; i < PER_LOGIN.freeAttempts; i++) await login(s.app, email, `guess-${i}`, `198.51.100.${50 + i}`);
    clock.advance(1000);
    const burst = await Promise.all(Array.from({ length: 8 }, (_, i) => login(s.app, email, `parallel-${i}`, `198.51.100.${60 + i}`)));
    const statuses = burst.map((r) => r.statusCode).sort();
    expect(statuses.filter((s) => s === 401)).toHaveLength(1);
    expect(statuses.filter((s) => s === 429)).toHaveLength(7);
  });

  it('spraying many e-mails from one address is slowed (per-address counter); other addresses are not', async () => {
    const ip = '192.0.2.200';
    for (let i = 0; i < PER_ADDRESS.freeAttempts; i++) expect((await login(s.app, `spray-${i}@victims.test`, 'Summer2026!!', ip)).statusCode).toBe(401);
    // Even a real account with its right password waits now, from that address.
    const slowed = await login(s.app, s.a.staff.email, s.a.staff.password, ip);
    expect(slowed.statusCode).toBe(429);
    expect(slowed.json().error).toMatchObject({ details: { scope: 'address' } });
    expect(slowed.json().error.message).toMatch(/from your address/);
    expect((await login(s.app, s.a.staff.email, s.a.staff.password, '192.0.2.201')).statusCode).toBe(200);
    // A success from the spraying address does not reset the address counter.
    clock.advance(1000);
    expect((await login(s.app, s.a.staff.email, s.a.staff.password, ip)).statusCode).toBe(200);
    expect((await login(s.app, 'spray-next@victims.test', 'Summer2026!!', ip)).statusCode).toBe(401);
    expect((await login(s.app, 'spray-last@victims.test', 'Summer2026!!', ip)).statusCode).toBe(429);
  });

  it('forgets a counter after an hour without failures', async () => {
    const email = 'forgetful@throttle.test';
    for (let i = 0; i < PER_LOGIN.freeAttempts; i++) expect((await login(s.app, email, `x-${i}`, `198.51.100.${100 + i}`)).statusCode).toBe(401);
    expect((await login(s.app, email, 'x', '198.51.100.150')).statusCode).toBe(429);
    clock.advance(PER_LOGIN.windowMs + 1000);
    // Quiet for a whole window: counting starts again at one, so this and the next few are plain 401s.
    for (let i = 0; i < PER_LOGIN.freeAttempts; i++) expect((await login(s.app, email, `y-${i}`, '198.51.100.151')).statusCode).toBe(401);
  });

  it('counts IPv6 clients per /64 and IPv4-mapped addresses as IPv4', () => {
    expect(addressBucket('2001:db8:1:2:aaaa::1')).toBe(addressBucket('2001:db8:1:2:ffff:1:2:3'));
    expect(addressBucket('2001:db8:1:2::1')).not.toBe(addressBucket('2001:db8:1:3::1'));
    expect(addressBucket('::ffff:203.0.113.5')).toBe('203.0.113.5');
    expect(addressBucket('203.0.113.5')).toBe('203.0.113.5');
  });
});

describe('login throttle: shared by every process on the database', () => {
  let t: TestContext;
  let other: AppContext;
  let appA: FastifyInstance;
  let appB: FastifyInstance;
  let a: ChainFixture;
  const clock = new ManualClock('2026-03-02T08:00:00Z');

  beforeAll(async () => {
    t = await createTestContext({ clock });
    // A second, independent context on the same database: what a second process is.
    other = await createContext(t.db.config, { clock, log: createLogger({ logLevel: 'silent' }) });
    appA = await buildApp(t.ctx);
    appB = await buildApp(other);
    a = await seedChain(t.ctx, 'Shared throttle');
  });
  afterAll(async () => {
    await appA.close();
    await appB.close();
    await other.handle.close();
    await t.close();
  });

  it('failures counted by one process block the login in the other', async () => {
    for (let i = 0; i < PER_LOGIN.freeAttempts; i++) {
      const app = i % 2 === 0 ? appA : appB;
      expect((await login(app, a.admin.email, `nope-${i}`)).statusCode).toBe(401);
    }
    expect((await login(appB, a.admin.email, a.admin.password)).statusCode).toBe(429);
    expect((await login(appA, a.admin.email, a.admin.password)).statusCode).toBe(429);
    clock.advance(1000);
    expect((await login(appB, a.admin.email, a.admin.password)).statusCode).toBe(200);
  });
});

/** One SSH password login with the ssh2 library client (an attacker's tool): 'ok' or 'refused'. */
function sshLogin(port: number, username: string, password: string): Promise<'ok' | 'refused'> {
  return new Promise((resolve, reject) => {
    const c = new ssh2.Client();
    c.on('ready', () => {
      c.end();
      resolve('ok');
    });
    c.on('error', (err: Error & { level?: string }) => (err.level === 'client-authentication' ? resolve('refused') : reject(err)));
    c.connect({ host: '127.0.0.1', port, username, password, readyTimeout: 20_000, tryKeyboard: false });
  });
}

describe('login throttle: SFTP', () => {
  const clock = new ManualClock('2026-03-03T09:00:00Z');
  let server: SftpServer;
  let username: string;
  const password = 'sftp-throttle-passphrase';

  const s = useTestContext({ clock });
  beforeAll(async () => {
    const a = await seedChain(s.ctx, 'Sftp throttle');
    username = (await createSftpLogin(s.ctx, a.chain.id, { password }, 'test')).username;
    server = new SftpServer(s.ctx, { port: 0 });
    await server.start();
  });
  afterAll(async () => {
    await server.stop();
  });

  it('many wrong passwords, then the right one is still refused until the backoff passes', async () => {
    expect(await sshLogin(server.port, username, password)).toBe('ok');
    for (let i = 0; i < PER_LOGIN.freeAttempts + 1; i++) {
      expect(await sshLogin(server.port, username, `wrong-${i}`)).toBe('refused');
      clock.advance(100);
    }
    expect(await sshLogin(server.port, username, password)).toBe('refused');
    const metrics = await s.ctx.metrics.registry.getSingleMetricAsString('comanda_sftp_auth_failures_total');
    expect(metrics).toMatch(/comanda_sftp_auth_failures_total \d+/);
    clock.advance(2000);
    expect(await sshLogin(server.port, username, password)).toBe('ok');
  });

  it('spraying many logins from one address is slowed', async () => {
    // The first few wrong attempts of each name are free, but the address counts them all.
    for (let i = 0; i < PER_ADDRESS.freeAttempts; i++) expect(await sshLogin(server.port, `spray-${i}`, 'guess-guess-guess')).toBe('refused');
    expect(await sshLogin(server.port, username, password)).toBe('refused');
    clock.advance(1000);
    expect(await sshLogin(server.port, username, password)).toBe('ok');
  });
});
