import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext } from '../src/bootstrap.js';
import { createLogger } from '../src/platform/logger.js';
import { seedChain, type ChainFixture } from '../src/test-support/fixtures.js';
import { envFor, runComanda } from '../src/test-support/processes.js';
import { createTestDatabase, testDialect, type TestDatabase } from '../src/test-support/test-db.js';
import { createEndpoint } from '../src/webhooks/endpoints.service.js';

/** `comanda backup` as a real process, restored as docs/operations.md says, then read back through the CLI. */
describe(`comanda backup and restore (${testDialect()})`, () => {
  let source: TestDatabase;
  let target: TestDatabase;
  let chain: ChainFixture;

  beforeAll(async () => {
    source = await createTestDatabase({ webhookAllowedHosts: ['127.0.0.1'] });
    target = await createTestDatabase();
    const ctx = await createContext(source.config, { log: createLogger({ logLevel: 'silent' }) });
    chain = await seedChain(ctx, 'Backup Chain');
    // An encrypted secret too: it opens after the restore only with the same key.
    await createEndpoint(ctx, chain.chain.id, { url: 'http://127.0.0.1:9/partner-webhooks', authorization: 'Bearer backup-secret' }, 'test');
    await ctx.handle.close();
  });
  afterAll(async () => {
    await source?.drop();
    await target?.drop();
  });

  it('writes a consistent copy while the database is in use; restoring it brings back the data and the encrypted secrets', async () => {
    const out = path.join(source.dataDir, 'backups', 'comanda.backup');
    const res = await runComanda(['backup', '--out', out], envFor(source.config));
    expect(res.code, res.stderr).toBe(0);
    const result = JSON.parse(res.stdout);
    expect(result).toMatchObject({ database: testDialect(), file: out });
    expect(result.bytes).toBeGreaterThan(1000);
    expect(fs.statSync(out).mode & 0o777).toBe(0o600);
    expect(res.stderr).toContain('Keep the secret key');

    // Restore as documented; the secret key goes with it.
    fs.copyFileSync(path.join(source.dataDir, 'secret.key'), path.join(target.dataDir, 'secret.key'));
    if (testDialect() === 'sqlite') fs.copyFileSync(out, target.config.sqlitePath);
    else {
      const restored = spawnSync('pg_restore', ['--clean', '--if-exists', '--no-owner', '--dbname', target.config.databaseUrl!, out], { encoding: 'utf8' });
      expect(restored.status, restored.stderr).toBe(0);
    }
    const chains = await runComanda(['chain', 'list'], envFor(target.config));
    expect(chains.code, chains.stderr).toBe(0);
    expect(JSON.parse(chains.stdout).map((c: { name: string }) => c.name)).toEqual(['Backup Chain']);
    const vendors = await runComanda(['vendor', 'list', '--chain', chain.chain.id], envFor(target.config));
    expect(JSON.parse(vendors.stdout).map((v: { code: string }) => v.code).sort()).toEqual([chain.direct.code, chain.indirect.code, chain.test.code].sort());
    const endpoints = await runComanda(['webhook', 'list', '--chain', chain.chain.id], envFor(target.config));
    expect(endpoints.code, endpoints.stderr).toBe(0);
    expect(endpoints.stdout).toContain('127.0.0.1:9/partner-webhooks');
  }, 150_000);

  it('refuses to overwrite a file, in one line', async () => {
    const out = path.join(source.dataDir, 'exists.backup');
    fs.writeFileSync(out, 'x');
    const res = await runComanda(['backup', '--out', out], envFor(source.config));
    expect(res.code).toBe(1);
    expect(res.stderr.trim()).toBe(`error: --out: ${out} exists; choose a new file name`);
  }, 60_000);

  it('comanda --version prints the package version and the schema', async () => {
    const res = await runComanda(['--version'], envFor(source.config));
    expect(res.code).toBe(0);
    const pkg = JSON.parse(fs.readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    expect(res.stdout.trim()).toMatch(new RegExp(`^comanda ${pkg.version.replace(/\./g, '\\.')} \\(schema 00\\d\\d_\\w+, node \\d+\\.`));
  }, 60_000);
});
