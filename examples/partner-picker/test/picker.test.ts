import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSdkEnv, type SdkEnv } from '../../../packages/partner-sdk/test/support.js';
import { certify, type CertificationReport } from '../../../src/certify/certify.service.js';
import { envFor, freePort, runComanda } from '../../../src/test-support/processes.js';
import { startPartnerPicker, type PartnerPicker } from '../src/picker.js';

const AUTHORIZATION = 'Basic cGlja2VyOnMzY3JldA==';

const logs: string[] = [];
const failures = (r: CertificationReport) => r.checks.filter((c) => !c.pass).map((c) => `${c.id}: ${c.evidence.join(' | ')}`);

describe('examples/partner-picker against the certification kit (real server, real webhooks, real HTTP)', () => {
  let env: SdkEnv;
  const pickers: PartnerPicker[] = [];

  /** A picker on its own endpoint (the chain's only one): returns the picker and the endpoint id. */
  async function pickerOnEndpoint(broken: boolean, replaces?: string): Promise<{ picker: PartnerPicker; endpointId: string }> {
    if (replaces) expect((await env.operator('DELETE', `/platform/v1/chains/${env.demo.chain_id}/webhooks/${replaces}`)).status).toBe(204);
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/webhooks/comanda`;
    const created = await env.operator('POST', `/platform/v1/chains/${env.demo.chain_id}/webhooks`, { url, authorization: AUTHORIZATION });
    expect(created.status).toBe(201);
    const picker = await startPartnerPicker({
      baseUrl: env.url,
      chainId: env.demo.chain_id,
      vendorId: 'TEST-900',
      auth: { token: env.demo.token },
      authorization: AUTHORIZATION,
      signingSecret: created.body.signing_secret,
      port,
      broken,
      log: (line) => logs.push(line),
    });
    expect(picker.url).toBe(url);
    pickers.push(picker);
    return { picker, endpointId: created.body.endpoint.id };
  }

  beforeAll(async () => {
    env = await startSdkEnv({}, ['api', 'worker', 'portal']);
  });
  afterAll(async () => {
    for (const p of pickers) await p.close();
    await env?.close();
  });

  let firstEndpoint = '';
  it('the reference integration passes every check; the broken variant fails naming WEBHOOK_WRONG_SECRET', async () => {
    const { picker, endpointId } = await pickerOnEndpoint(false);
    firstEndpoint = endpointId;
    // The catalog sync runs while the kit waits (as a partner's scheduled sync would).
    const [report, sync] = await Promise.all([certify(env.t.ctx, env.demo.chain_id, 'TEST-900', 'test', { timeoutMs: 45_000 }), picker.syncCatalog()]);
    expect(sync.status).toBe('COMPLETED');
    expect(sync.results.map((r) => r.result)).toContain('SKU_NOT_FOUND');
    expect(failures(report), logs.filter((l) => l.startsWith('error')).join('\n')).toEqual([]);
    expect(report.status).toBe('PASSED');
    expect(report.checks.map((c) => c.id)).toEqual([
      'WEBHOOK_ENDPOINT',
      'ORDER_FULL',
      'ORDER_PARTIAL',
      'ORDER_MODIFY',
      'ORDER_WEIGHT',
      'ORDER_REPLACEMENT',
      'ORDER_ADDITION',
      'ORDER_UPDATE_CART',
      'ORDER_CANCEL',
      'ORDER_VENDOR_DELIVERY',
      'WEBHOOK_2XX',
      'WEBHOOK_WRONG_SECRET',
      'WEBHOOK_REDELIVERY',
      'WEBHOOK_BURST',
      'CATALOG_JOB',
      'CATALOG_RESULTS',
    ]);
    expect(picker.picked.size).toBe(9);
    // Stored and listed with its date.
    const stored = await env.t.ctx.db.selectFrom('certifications').selectAll().where('id', '=', report.id).executeTakeFirstOrThrow();
    expect(stored.status).toBe('PASSED');
    expect(JSON.parse(stored.report!).checks).toHaveLength(16);

    // The broken variant, certified from the portal (Shops Integrations → Homologación) as a chain admin would.
    const broken = await pickerOnEndpoint(true, firstEndpoint);
    const portal = await portalSession(env);
    const started = await portal.call('POST', `/chains/${env.demo.chain_id}/certifications`, { vendor: 'TEST-900', timeout_seconds: 45 });
    expect(started.status).toBe(202);
    expect(started.body.certification.status).toBe('RUNNING');
    const runId = started.body.certification.id as string;
    expect((await portal.call('POST', `/chains/${env.demo.chain_id}/certifications`, { vendor: 'TEST-900' })).body.error?.code).toBe('CERTIFICATION_RUNNING');
    let bad: CertificationReport | null = null;
    for (let i = 0; i < 240 && !bad; i++) {
      await new Promise((r) => setTimeout(r, 250));
      bad = (await portal.call('GET', `/chains/${env.demo.chain_id}/certifications/${runId}`)).body.report;
    }
    expect(bad!.status).toBe('FAILED');
    expect(failures(bad!), logs.join('\n')).toEqual([expect.stringMatching(/^WEBHOOK_WRONG_SECRET: /)]);
    expect(bad!.summary.failed_checks).toEqual(['WEBHOOK_WRONG_SECRET']);
    const check = bad!.checks.find((c) => c.id === 'WEBHOOK_WRONG_SECRET')!;
    expect(check.evidence.join(' ')).toMatch(/HTTP 200.*expected 401 or 403/);
    expect(broken.picker.picked.size).toBe(9);

    // Both runs listed, newest first, with their dates; the printable HTML names the failing check.
    const listed = await portal.call('GET', `/chains/${env.demo.chain_id}/certifications`);
    expect(listed.body.certifications.map((c: { id: string; status: string }) => [c.id, c.status])).toEqual([
      [runId, 'FAILED'],
      [report.id, 'PASSED'],
    ]);
    expect(Date.parse(listed.body.certifications[0].started_at)).toBeGreaterThan(Date.parse(listed.body.certifications[1].started_at));
    const html = await portal.raw(`/chains/${env.demo.chain_id}/certifications/${runId}/report.html`);
    expect(html.headers.get('content-type')).toMatch(/^text\/html/);
    const page = await html.text();
    expect(page).toContain('NO APROBADA / FAILED');
    expect(page).toMatch(/Fallan \/ Failing:.*WEBHOOK_WRONG_SECRET/);

    // The same from the command line, as an operator runs it: exit 1, the failing check named, the HTML written.
    const html2 = path.join(env.t.ctx.config.dataDir, 'report.html');
    const cli = await runComanda(
      ['certify', '--chain', env.demo.chain_id, '--vendor', 'TEST-900', '--timeout', '40s', '--html', html2],
      envFor(env.t.ctx.config, { WEBHOOK_ALLOWED_HOSTS: '127.0.0.1', WEBHOOK_TIMEOUT_MS: '2000' }),
    );
    expect(cli.code, cli.stderr).toBe(1);
    expect(cli.stdout).toMatch(/^FAIL {2}WEBHOOK_WRONG_SECRET/m);
    expect(cli.stdout, `${cli.stderr}\n${logs.join('\n')}`).toMatch(/^FAILED: 15 passed, 1 failed \(WEBHOOK_WRONG_SECRET\)/m);
    expect(fs.readFileSync(html2, 'utf8')).toContain('NO APROBADA / FAILED');
  }, 240_000);
});

describe('certification portal routes refuse bad input with stable codes', () => {
  let env: SdkEnv;
  beforeAll(async () => {
    env = await startSdkEnv({}, ['api', 'worker', 'portal']);
  });
  afterAll(async () => env?.close());

  it('a store that is not a test store, an unknown store, an unknown field, an unknown run, and staff', async () => {
    const admin = await portalSession(env);
    const base = `/chains/${env.demo.chain_id}/certifications`;
    const live = await admin.call('POST', base, { vendor: 'PAL-001' });
    expect([live.status, live.body.error?.code]).toEqual([422, 'NOT_A_TEST_STORE']);
    const unknown = await admin.call('POST', base, { vendor: 'NOPE-1' });
    expect([unknown.status, unknown.body.error?.code]).toEqual([404, 'VENDOR_NOT_FOUND']);
    const extra = await admin.call('POST', base, { vendor: 'TEST-900', speed: 'fast' });
    expect([extra.status, extra.body.error?.code]).toEqual([400, 'VALIDATION_FAILED']);
    const tooShort = await admin.call('POST', base, { vendor: 'TEST-900', timeout_seconds: 1 });
    expect([tooShort.status, tooShort.body.error?.code]).toEqual([400, 'VALIDATION_FAILED']);
    expect(JSON.stringify(tooShort.body)).toContain('timeout_seconds');
    const missing = await admin.call('GET', `${base}/00000000-0000-4000-8000-000000000000`);
    expect([missing.status, missing.body.error?.code]).toEqual([404, 'CERTIFICATION_NOT_FOUND']);
    expect((await admin.call('GET', base)).body.certifications).toEqual([]);
    const staff = await portalSession(env, env.demo.staff);
    const refused = await staff.call('GET', base);
    expect([refused.status, refused.body.error?.code]).toEqual([403, 'FORBIDDEN']);
  });
});

/** A logged-in portal user (cookie + CSRF token), as the browser holds it. */
async function portalSession(env: SdkEnv, who: { email: string; password: string } = env.demo.admin) {
  const login = await fetch(`${env.url}/portal/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(who) });
  expect(login.status).toBe(200);
  const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const { csrf_token } = (await login.json()) as { csrf_token: string };
  const raw = (path: string, init: RequestInit = {}) => fetch(`${env.url}/portal/api${path}`, { ...init, headers: { cookie, 'x-csrf-token': csrf_token, ...(init.body ? { 'content-type': 'application/json' } : {}) } });
  return {
    raw,
    call: async (method: string, path: string, json?: unknown) => {
      const res = await raw(path, { method, ...(json === undefined ? {} : { body: JSON.stringify(json) }) });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined };
    },
  };
}
