import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { ERRORS } from '../src/platform/errors.js';
import { operationsOf } from '../src/platform/http/openapi-components.js';
import { createTestContext, type TestContext } from '../src/test-support/test-db.js';
import { ROOT } from '../src/test-support/processes.js';

const run = promisify(execFile);
const REDOCLY = path.join(ROOT, 'node_modules/.bin/redocly');

/**
 * The warnings docs/api.md justifies, per document. Anything else Redocly `recommended` reports —
 * and any error — fails.
 */
const JUSTIFIED: Record<string, string[]> = {
  partner: ['no-server-example.com'],
  platform: ['no-server-example.com', 'no-ambiguous-paths', 'operation-4xx-response'],
};

describe('the published OpenAPI documents', () => {
  let t: TestContext;
  const docs: Record<string, any> = {};
  let dir: string;

  beforeAll(async () => {
    t = await createTestContext();
    const app = await buildApp(t.ctx);
    for (const [kind, url] of [['partner', '/openapi.json'], ['platform', '/platform/openapi.json']] as const) docs[kind] = (await app.inject({ method: 'GET', url })).json();
    await app.close();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'comanda-openapi-'));
  });
  afterAll(async () => {
    await t?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  for (const kind of ['partner', 'platform']) {
    it(`${kind}: Redocly recommended finds no error and only the justified warnings (offline, no telemetry)`, async () => {
      const file = path.join(dir, `${kind}.json`);
      fs.writeFileSync(file, JSON.stringify(docs[kind]));
      const out = await run(REDOCLY, ['lint', '--extends=recommended', '--format=json', file], {
        cwd: dir,
        env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_COLOR: '1' },
        maxBuffer: 32 * 1024 * 1024,
      }).catch((err: { stdout?: string; stderr?: string }) => ({ stdout: err.stdout ?? '', stderr: err.stderr ?? '' }));
      const report = JSON.parse(out.stdout.slice(out.stdout.indexOf('{'))) as { problems: Array<{ ruleId: string; severity: string; message: string }> };
      const errors = report.problems.filter((p) => p.severity === 'error');
      expect(errors.map((p) => `${p.ruleId}: ${p.message}`)).toEqual([]);
      const unjustified = report.problems.filter((p) => !JUSTIFIED[kind]!.includes(p.ruleId));
      expect(unjustified.map((p) => `${p.ruleId}: ${p.message}`)).toEqual([]);
    });
  }

  it('every operation has a unique camelCase operationId, security, and error responses with their codes', () => {
    const ids = new Set<string>();
    for (const kind of ['partner', 'platform']) {
      const ops = operationsOf(docs[kind]);
      for (const { path: p, method, op } of ops) {
        const where = `${kind} ${method.toUpperCase()} ${p}`;
        expect(op.operationId, where).toMatch(/^[a-z][A-Za-z0-9]+$/);
        expect(ids.has(op.operationId), `${where}: duplicate ${op.operationId}`).toBe(false);
        ids.add(op.operationId);
        expect(Array.isArray(op.security), `${where}: security`).toBe(true);
        for (const [status, response] of Object.entries(op.responses) as Array<[string, any]>) {
          if (!/^[45]/.test(status) || op.operationId === 'issueOAuthToken' || op.operationId === 'getReadiness') continue;
          expect(response['x-error-codes']?.length, `${where} ${status}`).toBeGreaterThan(0);
          for (const code of response['x-error-codes']) expect(String(ERRORS[code as keyof typeof ERRORS].status), `${where} ${code}`).toBe(status);
        }
      }
    }
    const put = docs.partner.paths['/v2/chains/{chain_id}/orders/{order_id}'].put;
    expect(put.responses['422']['x-error-codes']).toContain('WEIGHT_OUT_OF_TOLERANCE');
    expect(put.responses['404']['x-error-codes']).toEqual(['CHAIN_NOT_FOUND', 'ORDER_NOT_FOUND']);
    expect(put.responses['401']['x-error-codes']).toEqual(['INVALID_TOKEN', 'UNAUTHENTICATED']);
    expect(put.responses['429'].headers['Retry-After']).toBeDefined();
  });

  it('names component schemas, keeps portal routes out of both, and lists every webhook event', () => {
    for (const kind of ['partner', 'platform']) {
      const names = Object.keys(docs[kind].components.schemas);
      expect(names.filter((n) => /^def-/.test(n))).toEqual([]);
      expect(Object.keys(docs[kind].paths).filter((p) => p.startsWith('/portal'))).toEqual([]);
    }
    expect(Object.keys(docs.partner.components.schemas)).toEqual(expect.arrayContaining(['Order', 'Vendor', 'CatalogProduct', 'Job', 'Promotion', 'StoreStatus', 'Error', 'JobCompletedEvent', 'TestEvent']));
    expect(docs.partner.paths['/v2/chains/{chain_id}/orders/{order_id}'].get.responses['200'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Order' });
    expect(Object.keys(docs.partner.webhooks)).toHaveLength(13);
    expect(docs.platform.webhooks).toBeUndefined();
  });
});
