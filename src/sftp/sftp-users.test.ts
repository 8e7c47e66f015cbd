import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAudit } from '../audit/audit.repository.js';
import { bearer, operatorKey, seedChain } from '../test-support/fixtures.js';
import { OpenSshWorkspace } from '../test-support/openssh.js';
import { runCli } from '../test-support/processes.js';
import { verifyPassword } from '../platform/passwords.js';
import { useTestApp } from '../test-support/test-app.js';

describe('SFTP logins (operator API and CLI)', () => {
  const s = useTestApp({ chains: { a: 'Sftp Logins' } });
  let key: string;
  let ws: OpenSshWorkspace;

  beforeAll(async () => {
    key = await operatorKey(s.ctx);
    ws = new OpenSshWorkspace();
  });
  afterAll(async () => {
    ws.cleanup();
  });

  const url = (chainId: string) => `/platform/v1/chains/${chainId}/sftp-login`;

  it('issues one login per chain with a hashed password and public keys; shows fingerprints, never secrets', async () => {
    const pair = ws.keyPair('id_op');
    const res = await s.app.inject({ method: 'POST', url: url(s.a.chain.id), headers: bearer(key), payload: { password: 'operator-set-pw', public_keys: [pair.publicKey] } });
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({ chain_id: s.a.chain.id, host: '127.0.0.1', port: 2222, password_set: true, disabled: false });
    expect(body.username).toMatch(/^sftp-logins-[a-z0-9]{5}$/);
    expect(body.password).toBeUndefined();
    expect(body.public_keys[0].type).toBe('ssh-ed25519');
    expect(body.public_keys[0].fingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    const row = await s.ctx.db.selectFrom('sftp_users').selectAll().where('chain_id', '=', s.a.chain.id).executeTakeFirstOrThrow();
    expect(row.password_hash).not.toContain('operator-set-pw');
    expect(await verifyPassword('operator-set-pw', row.password_hash!)).toBe(true);
    expect((await listAudit(s.ctx.db, s.a.chain.id)).map((e) => e.action)).toContain('sftp_login.create');

    const again = await s.app.inject({ method: 'POST', url: url(s.a.chain.id), headers: bearer(key), payload: {} });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('SFTP_LOGIN_EXISTS');
    const got = await s.app.inject({ method: 'GET', url: url(s.a.chain.id), headers: bearer(key) });
    expect(got.statusCode).toBe(200);
    expect(got.json().public_keys).toEqual(body.public_keys);
  });

  it('changes the password, removes it only when a key remains, and disables the login', async () => {
    const changed = await s.app.inject({ method: 'PATCH', url: url(s.a.chain.id), headers: bearer(key), payload: { password: 'a-new-password' } });
    expect(changed.statusCode).toBe(200);
    const row = await s.ctx.db.selectFrom('sftp_users').select('password_hash').where('chain_id', '=', s.a.chain.id).executeTakeFirstOrThrow();
    expect(await verifyPassword('a-new-password', row.password_hash!)).toBe(true);
    const noWay = await s.app.inject({ method: 'PATCH', url: url(s.a.chain.id), headers: bearer(key), payload: { password: null, public_keys: [] } });
    expect(noWay.statusCode).toBe(400);
    const disabled = await s.app.inject({ method: 'PATCH', url: url(s.a.chain.id), headers: bearer(key), payload: { disabled: true } });
    expect(disabled.json().disabled).toBe(true);
  });

  it('refuses bad input with the field named, unknown chains with 404, and callers without an operator key', async () => {
    const b = await seedChain(s.ctx, 'Sftp Logins B');
    const badKey = await s.app.inject({ method: 'POST', url: url(b.chain.id), headers: bearer(key), payload: { public_keys: ['ssh-ed25519 not-base64-at-all'] } });
    expect(badKey.statusCode).toBe(400);
    expect(badKey.json().error.message).toContain('body.public_keys[0]');
    const short = await s.app.inject({ method: 'POST', url: url(b.chain.id), headers: bearer(key), payload: { password: 'short' } });
    expect(short.statusCode).toBe(400);
    const extra = await s.app.inject({ method: 'POST', url: url(b.chain.id), headers: bearer(key), payload: { password: 'long-enough-pw', shell: true } });
    expect(extra.statusCode).toBe(400);
    const missing = await s.app.inject({ method: 'POST', url: url('00000000-0000-4000-8000-000000000000'), headers: bearer(key), payload: {} });
    expect(missing.statusCode).toBe(404);
    const partner = await s.app.inject({ method: 'POST', url: url(b.chain.id), headers: bearer(b.token), payload: {} });
    expect(partner.statusCode).toBe(401);
    expect((await s.app.inject({ method: 'GET', url: url(b.chain.id), headers: bearer(key) })).statusCode).toBe(404);
  });

  it('`comanda sftp-user create` prints one JSON object with username, host and port', async () => {
    const c = await seedChain(s.ctx, 'Sftp Cli');
    const pair = ws.keyPair('id_cli');
    const env = { COMANDA_DATA_DIR: s.t.db.dataDir, DATABASE_URL: s.t.db.config.databaseUrl ?? '', LOG_LEVEL: 'warn', SFTP_PORT: '2299' };
    const res = await runCli(['sftp-user', 'create', '--chain', c.chain.id, '--public-key', `${pair.privateKey}.pub`], env);
    expect(res.code, res.stderr).toBe(0);
    const out = JSON.parse(res.stdout);
    expect(out).toMatchObject({ chain_id: c.chain.id, host: '127.0.0.1', port: 2299, password_set: false });
    expect(out.username).toMatch(/^sftp-cli-/);
    const generated = await runCli(['sftp-user', 'create', '--chain', s.a.chain.id], env);
    expect(generated.code).toBe(1);
    expect(generated.stderr).toContain('SFTP_LOGIN_EXISTS');
  });
});
