import fs from 'node:fs';
import path from 'node:path';
import { Migrator } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext } from '../bootstrap.js';
import type { Config } from '../config.js';
import type { AppContext } from '../platform/context.js';
import { openDatabase } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';
import { migrations } from '../db/migrations/index.js';
import { toJson } from '../db/rows.js';
import { createLogger } from '../platform/logger.js';
import { uuid } from '../platform/secrets.js';
import { ensureHostKey } from '../sftp/host-key.js';
import { envFor, runComanda } from '../test-support/processes.js';
import { createTestContext, createTestDatabase, testDialect, type TestDatabase } from '../test-support/test-db.js';
import { drainWebhooks, WebhookReceiver } from '../test-support/webhook-receiver.js';
import { chainWithEndpoint, emitOne, FAST_WEBHOOKS, useWebhooks } from '../test-support/webhooks.js';
import { WebhookDispatcher } from '../webhooks/dispatcher.js';
import { getEndpoint, rotateSigningSecret, updateEndpoint } from '../webhooks/endpoints.service.js';
import { mintSigningSecret } from '../webhooks/signing.js';
import { generateKeyText, keyIdOf, parseKey, SecretBox, SecretKeyError } from '../platform/secret-box.js';
import { keyFilePath } from '../platform/secret-keys.js';
import { useTestContext } from '../test-support/test-app.js';
import { secretsStatus } from './secrets-rotation.js';

const quiet = () => createLogger({ logLevel: 'silent' });

describe('SecretBox', () => {
  const k1 = parseKey(generateKeyText())!;
  const k2 = parseKey(generateKeyText())!;

  it('seals with AES-256-GCM under a key id, opens with the current or a previous key', () => {
    const box = new SecretBox(k1);
    const sealed = box.seal('Bearer partner-secret', 'webhook-auth:e1');
    expect(sealed).toMatch(new RegExp(`^enc:v1:${keyIdOf(k1)}:[A-Za-z0-9_-]+$`));
    expect(sealed).not.toContain('partner-secret');
    expect(box.seal('Bearer partner-secret', 'webhook-auth:e1')).not.toBe(sealed); // random IV
    expect(box.open(sealed, 'webhook-auth:e1')).toBe('Bearer partner-secret');
    const rotated = new SecretBox(k2, [k1]);
    expect(rotated.open(sealed, 'webhook-auth:e1')).toBe('Bearer partner-secret');
    expect(rotated.isCurrent(sealed)).toBe(false);
    expect(rotated.isCurrent(rotated.reseal(sealed, 'webhook-auth:e1'))).toBe(true);
    expect(() => new SecretBox(k2).open(sealed, 'webhook-auth:e1')).toThrow(SecretKeyError);
  });

  it('binds a ciphertext to its row and column, and detects tampering', () => {
    const box = new SecretBox(k1);
    const sealed = box.seal('s3cret', 'webhook-auth:e1');
    expect(() => box.open(sealed, 'webhook-auth:e2')).toThrow(/altered or belongs to another row/);
    // Change one fully used base64url character of the ciphertext (the last one carries padding bits).
    const flipped = sealed.slice(0, -2) + (sealed.at(-2) === 'A' ? 'B' : 'A') + sealed.slice(-1);
    expect(flipped).not.toBe(sealed);
    expect(() => box.open(flipped, 'webhook-auth:e1')).toThrow(SecretKeyError);
    // Values written before encryption existed are read as they are (and re-sealed by `secrets rotate`).
    expect(box.open('Basic legacy', 'webhook-auth:e1')).toBe('Basic legacy');
  });

  it('accepts keys as base64, base64url or hex, and only 32 bytes', () => {
    const raw = Buffer.alloc(32, 7);
    expect(parseKey(raw.toString('base64'))).toEqual(raw);
    expect(parseKey(raw.toString('base64url'))).toEqual(raw);
    expect(parseKey(raw.toString('hex'))).toEqual(raw);
    expect(parseKey(Buffer.alloc(16).toString('base64'))).toBeUndefined();
    expect(parseKey('correct horse battery staple')).toBeUndefined();
  });
});

/** Raw stored columns of an endpoint, as an attacker with a copy of the database sees them. */
async function storedEndpoint(ctx: AppContext, id: string) {
  return ctx.db.selectFrom('webhook_endpoints').select(['auth_secret', 'signing_secret', 'previous_signing_secret']).where('id', '=', id).executeTakeFirstOrThrow();
}

describe('webhook secrets at rest', () => {
  const s = useTestContext({ config: FAST_WEBHOOKS });

  const w = useWebhooks(s);

  it('stores Authorization and signing secrets encrypted; the dispatcher still sends them, signed and verbatim', async () => {
    const { chainId, endpoint, secret } = await chainWithEndpoint(s.ctx, w.receiver.url, { authorization: 'Bearer partner-auth-4242' });
    const stored = await storedEndpoint(s.ctx, endpoint.id);
    const prefix = `enc:v1:${s.ctx.secrets.currentKeyId}:`;
    expect(stored.auth_secret.startsWith(prefix)).toBe(true);
    expect(stored.signing_secret.startsWith(prefix)).toBe(true);
    expect(JSON.stringify(stored)).not.toContain('partner-auth-4242');
    expect(JSON.stringify(stored)).not.toContain(secret.slice(6));
    expect(endpoint.authorization.last4).toBe('4242');
    expect((await getEndpoint(s.ctx, chainId, endpoint.id)).signing_secret_prefix).toBe(secret.slice(0, 10));

    w.receiver.setSecrets([secret]);
    await emitOne(s.ctx, chainId, 'RECEIVED', uuid());
    const [got] = await w.receiver.waitFor(1);
    expect(got!.headers.authorization).toBe('Bearer partner-auth-4242');
    expect(got!.verified).toBe(true);

    // A new Authorization and a signing-secret rotation are sealed too; the old secret keeps signing in its grace period.
    await updateEndpoint(s.ctx, chainId, endpoint.id, { authorization: 'Bearer changed-9999' }, 'test');
    const { signing_secret: fresh } = await rotateSigningSecret(s.ctx, chainId, endpoint.id, 'test');
    const after = await storedEndpoint(s.ctx, endpoint.id);
    expect(after.auth_secret.startsWith(prefix) && after.signing_secret.startsWith(prefix) && after.previous_signing_secret!.startsWith(prefix)).toBe(true);
    expect(JSON.stringify(after)).not.toMatch(/changed-9999|whsec_/);
    w.receiver.setSecrets([secret]);
    await emitOne(s.ctx, chainId, 'RECEIVED', uuid());
    const [, second] = await w.receiver.waitFor(2);
    expect(second!.headers.authorization).toBe('Bearer changed-9999');
    expect(second!.verified).toBe(true);
    w.receiver.setSecrets([fresh]);
    await emitOne(s.ctx, chainId, 'RECEIVED', uuid());
    const [, , third] = await w.receiver.waitFor(3);
    expect(third!.verified).toBe(true);
    await drainWebhooks(s.ctx, { chainId });
  });

  it('stores the SSH host key encrypted', async () => {
    const key = await ensureHostKey(s.ctx);
    expect(key).toContain('PRIVATE KEY');
    const row = await s.ctx.db.selectFrom('sftp_host_keys').select('private_key').executeTakeFirstOrThrow();
    expect(row.private_key.startsWith('enc:v1:')).toBe(true);
    expect(await ensureHostKey(s.ctx)).toBe(key);
  });

  it('generates the key file 0600 (data dir 0700) and the SQLite files 0600', () => {
    const file = keyFilePath(s.ctx.config);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(keyIdOf(parseKey(fs.readFileSync(file, 'utf8'))!)).toBe(s.ctx.secrets.currentKeyId);
    if (testDialect() === 'sqlite') {
      for (const suffix of ['', '-wal', '-shm']) {
        const f = `${s.ctx.config.sqlitePath}${suffix}`;
        expect(fs.existsSync(f), f).toBe(true);
        expect(fs.statSync(f).mode & 0o777, f).toBe(0o600);
      }
    }
  });
});

describe('data directory permissions', () => {
  it('creates the data dir 0700 and tightens database files left 0644 by older versions', async () => {
    const tdb = await createTestDatabase();
    const dataDir = path.join(tdb.dataDir, 'nested', 'data');
    const config: Config = { ...tdb.config, dataDir, sqlitePath: path.join(dataDir, 'comanda.db') };
    try {
      const ctx = await createContext(config, { log: quiet() });
      await ctx.handle.close();
      expect(fs.statSync(dataDir).mode & 0o777).toBe(0o700);
      expect(fs.statSync(keyFilePath(config)).mode & 0o777).toBe(0o600);
      if (testDialect() === 'sqlite') {
        fs.chmodSync(config.sqlitePath, 0o644);
        const again = await createContext(config, { log: quiet() });
        await again.handle.close();
        expect(fs.statSync(config.sqlitePath).mode & 0o777).toBe(0o600);
      }
    } finally {
      await tdb.drop();
    }
  });
});

describe('encrypting what earlier versions stored in plain text (migration 0009)', () => {
  let tdb: TestDatabase;
  beforeAll(async () => {
    tdb = await createTestDatabase();
  });
  afterAll(async () => tdb.drop());

  it('seals existing plaintext webhook secrets and host keys; sending still works with the same values', async () => {
    const box = new SecretBox(parseKey(generateKeyText())!);
    const handle = openDatabase(tdb.config);
    const migrator = new Migrator({ db: handle.db, provider: { getMigrations: async () => migrations(handle.dialect, box) } });
    const toOld = await migrator.migrateTo('0008_promotions');
    expect(toOld.error).toBeUndefined();
    const chainId = uuid();
    const at = new Date().toISOString();
    await handle.db.insertInto('chains').values({ id: chainId, name: 'Legacy', country_code: 'AR', currency: 'ARS', created_at: at }).execute();
    const id = uuid();
    const signing = mintSigningSecret();
    await handle.db
      .insertInto('webhook_endpoints')
      .values({
        id, chain_id: chainId, url: 'https://partner.example/hook', description: '', auth_header: 'Authorization', auth_secret: 'Basic bGVnYWN5OnNlY3JldA==',
        signing_secret: signing, previous_signing_secret: 'whsec_olderolderolderolderolderolderolderolder=', previous_secret_expires_at: at, events: toJson(['RECEIVED']),
        enabled: true, disabled_reason: null, disabled_at: null, failing_since: null, created_at: at, updated_at: at, deleted_at: null,
      })
      .execute();
    await handle.db.insertInto('sftp_host_keys').values({ id: 'default', private_key: '-----BEGIN OPENSSH PRIVATE KEY-----\nlegacy\n', created_at: at }).execute();

    expect(await migrateToLatest(handle, box)).toContain('0009_security');
    const row = await handle.db.selectFrom('webhook_endpoints').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect([row.auth_secret, row.signing_secret, row.previous_signing_secret].every((v) => v!.startsWith(`enc:v1:${box.currentKeyId}:`))).toBe(true);
    expect(box.open(row.auth_secret, `webhook-auth:${id}`)).toBe('Basic bGVnYWN5OnNlY3JldA==');
    expect(box.open(row.signing_secret, `webhook-signing:${id}`)).toBe(signing);
    const hostKey = await handle.db.selectFrom('sftp_host_keys').select('private_key').executeTakeFirstOrThrow();
    expect(box.open(hostKey.private_key, 'sftp-host-key:default')).toContain('legacy');
    expect(await handle.db.selectFrom('secret_keyring').select('key_id').executeTakeFirst()).toEqual({ key_id: box.currentKeyId });
    await handle.close();
  });
});

describe('key rotation', () => {
  let tdb: TestDatabase;
  let receiver: WebhookReceiver;
  const oldKey = generateKeyText();
  const newKey = generateKeyText();

  beforeAll(async () => {
    tdb = await createTestDatabase();
    receiver = await WebhookReceiver.start();
  });
  afterAll(async () => {
    await receiver.close();
    await tdb.drop();
  });

  const contextWith = (secretKey: string, previous: string[] = []) =>
    createContext({ ...tdb.config, ...FAST_WEBHOOKS, secretKey, previousSecretKeys: previous }, { log: quiet() });

  it('new key + old key as previous reads everything; `secrets rotate` re-encrypts; then the old key alone is refused at boot', { timeout: 180_000 }, async () => {
    const before = await contextWith(oldKey);
    const { chainId, endpoint } = await chainWithEndpoint(before, receiver.url, { authorization: 'Bearer rotate-me-0001' });
    await before.handle.close();

    // Step 1: every process gets the new key, the old one as previous.
    const during = await contextWith(newKey, [oldKey]);
    expect((await secretsStatus(during)).values_by_key).toEqual({ [keyIdOf(parseKey(oldKey)!)]: 2 });
    const d = new WebhookDispatcher(during);
    await d.start();
    await emitOne(during, chainId, 'RECEIVED', uuid());
    const [got] = await receiver.waitFor(1);
    expect(got!.headers.authorization).toBe('Bearer rotate-me-0001');
    await drainWebhooks(during, { chainId });
    await d.stop();
    await during.handle.close();

    // Step 2: `comanda secrets rotate` (the real CLI) re-encrypts every stored secret with the new key.
    const env = envFor(tdb.config, { COMANDA_SECRET_KEY: newKey, COMANDA_SECRET_KEY_PREVIOUS: oldKey });
    const rotated = await runComanda(['secrets', 'rotate'], env);
    expect(rotated.code, rotated.stderr).toBe(0);
    expect(JSON.parse(rotated.stdout)).toMatchObject({ key_id: keyIdOf(parseKey(newKey)!), webhook_endpoints: { resealed: 1, already_current: 0 } });
    const again = await runComanda(['secrets', 'rotate'], env);
    expect(JSON.parse(again.stdout)).toMatchObject({ webhook_endpoints: { resealed: 0, already_current: 1 } });

    // Step 3: the previous key can go. A process that still has only the old key refuses to start, saying why.
    await expect(contextWith(oldKey)).rejects.toThrow(/encrypted with key k[0-9a-f]{8}, but this process has k[0-9a-f]{8}.*COMANDA_SECRET_KEY/);
    const refused = await runComanda(['migrate'], envFor(tdb.config, { COMANDA_SECRET_KEY: oldKey }));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^error: the secrets in this database are encrypted with key/m);
    expect(refused.stderr).not.toMatch(/\n\s+at /);
    const after = await contextWith(newKey);
    expect((await secretsStatus(after)).values_by_key).toEqual({ [keyIdOf(parseKey(newKey)!)]: 2 });
    expect((await getEndpoint(after, chainId, endpoint.id)).authorization.last4).toBe('0001');
    await after.handle.close();
  });

  it('a second node that generated its own key file refuses to start instead of failing every webhook later', async () => {
    const first = await createTestContext();
    try {
      await chainWithEndpoint(first.ctx, 'https://93.184.216.34/hook');
      // Same database, a different data directory (so a different generated key file): another machine.
      const elsewhere = fs.mkdtempSync(path.join(path.dirname(first.db.dataDir), 'comanda-node2-'));
      const config: Config = { ...first.db.config, dataDir: elsewhere, sqlitePath: first.db.config.sqlitePath };
      await expect(createContext(config, { log: quiet() })).rejects.toThrow(SecretKeyError);
      fs.rmSync(elsewhere, { recursive: true, force: true });
    } finally {
      await first.close();
    }
  });

  it('refuses a malformed COMANDA_SECRET_KEY naming the variable', { timeout: 120_000 }, async () => {
    const bad = await runComanda(['migrate'], envFor(tdb.config, { COMANDA_SECRET_KEY: 'too-short' }));
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/COMANDA_SECRET_KEY must be 32 random bytes/);
  });
});
