import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOauthClient } from '../src/oauth/oauth.service.js';
import { putStoreStatus } from '../src/outlets/outlets.service.js';
import { startServer, type RunningServer } from '../src/server.js';
import { seedDemo, type DemoInfo } from '../src/demo/demo.seed.js';
import { bearer } from '../src/test-support/fixtures.js';
import { CUSTOMER } from '../src/test-support/order-fixtures.js';
import { createTestContext, type TestContext } from '../src/test-support/test-db.js';
import { resolveVendor } from '../src/vendors/vendors.repository.js';

const run = promisify(execFile);

interface Exercise {
  file: string;
  line: number;
  setup: string;
  expect: number;
  command: string;
}

/** Every ```bash block preceded by `<!-- exercise: setup=… expect=… -->` in a guide. */
function exercises(file: string): Exercise[] {
  const text = fs.readFileSync(path.resolve(file), 'utf8');
  const out: Exercise[] = [];
  const re = /<!-- exercise: setup=(\S+) expect=(\d+) -->\n```bash\n([\s\S]*?)```/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    out.push({ file, line: text.slice(0, m.index).split('\n').length, setup: m[1]!, expect: Number(m[2]), command: m[3]! });
  }
  return out;
}

const GUIDES = ['docs/partner-guide.md', 'docs/partner-guide.en.md'];

describe('partner guide curl examples run against a real server', () => {
  let t: TestContext;
  let server: RunningServer;
  let demo: DemoInfo;
  let env: Record<string, string>;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'guide-'));

  beforeAll(async () => {
    // The demo's data, as the guide's readers have it after `npm start`; the worker runs the jobs.
    t = await createTestContext({ config: { port: 0 } });
    demo = await seedDemo(t.ctx);
    server = await startServer(t.ctx, ['api', 'worker']);
    const now = Date.now();
    env = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      COMANDA_URL: server.url,
      TOKEN: demo.token,
      CHAIN_ID: demo.chain_id,
      VENDOR_ID: 'PAL-001',
      START_TIME: new Date(now - 86_400_000).toISOString(),
      END_TIME: new Date(now + 86_400_000).toISOString(),
    };
  });
  afterAll(async () => {
    await server?.stop();
    await t?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  async function setup(kind: string): Promise<void> {
    if (kind === 'none' || kind === 'same') return;
    if (kind === 'job') {
      // JOB_ID: the job the preceding catalog update answered with (the newest of the store), once finished.
      const vendor = (await resolveVendor(t.ctx.db, demo.chain_id, 'PAL-001'))!;
      for (let i = 0; i < 200; i++) {
        const job = await t.ctx.db.selectFrom('jobs').select(['id', 'status']).where('vendor_id', '=', vendor.id).where('type', '=', 'catalog_update').orderBy('created_at', 'desc').executeTakeFirst();
        if (job && (job.status === 'COMPLETED' || job.status === 'FAILED')) {
          env.JOB_ID = job.id;
          return;
        }
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error('the catalog update job did not finish');
    }
    if (kind === 'oauth') {
      const { client, client_secret } = await createOauthClient(t.ctx, demo.chain_id, 'Guide', 'test');
      Object.assign(env, { CLIENT_ID: client.client_id, CLIENT_SECRET: client_secret });
      return;
    }
    const transport = kind.split(':')[1]!;
    await putStoreStatus(t.ctx, (await resolveVendor(t.ctx.db, demo.chain_id, 'PAL-001'))!, { status: 'OPEN' }, 'test');
    // The order the guide's variables describe: LINE_1, LINE_2 and the weighed KG_LINE (0.5 kg).
    const res = await server.app.inject({
      method: 'POST',
      url: '/platform/v1/orders',
      headers: bearer(demo.operator_key),
      payload: { vendor_id: 'PAL-001', transport_type: transport, order_type: 'DELIVERY', customer: CUSTOMER, items: [{ sku: 'LEC-0096', quantity: 2 }, { sku: 'GAL-0073', quantity: 1 }, { sku: 'KG-FIA-0239', weight: 0.5 }] },
    });
    expect(res.statusCode, res.body).toBe(201);
    const o = res.json();
    Object.assign(env, { ORDER_ID: o.order_id, LINE_1: o.items[0]._id, LINE_2: o.items[1]._id, KG_LINE: o.items[2]._id });
  }

  it('both guides have the same exercised examples (the Spanish one and its English twin)', () => {
    const [es, en] = GUIDES.map(exercises);
    expect(es!.length).toBeGreaterThanOrEqual(25);
    // Every part of the integration has an exercised example.
    for (const path of ['/oauth/token', '/vendors"', '/orders/$ORDER_ID"', '/orders?start_time', '/status"', '/catalog"', '/catalog/jobs/$JOB_ID"', '/catalog/jobs/$JOB_ID/results"', '/catalog/export"', '/promotion"', '/promotions?']) {
      expect(es!.some((e) => e.command.includes(path)), path).toBe(true);
    }
    // Only the demo's data: no SKU the demo does not have.
    for (const e of es!) for (const sku of e.command.match(/"sku":"([^"]+)"/g) ?? []) expect(['"sku":"LEC-0096"', '"sku":"GAL-0074"', '"sku":"AGU-0129"', '"sku":"GAL-0075"', '"sku":"NO-SUCH-SKU"'], `${e.file}:${e.line}`).toContain(sku);
    // Every variable an example uses is defined in the guide's variable list.
    const text = fs.readFileSync(GUIDES[0]!, 'utf8');
    const defined = new Set([...text.slice(0, text.indexOf('## 1.')).matchAll(/^([A-Z_0-9]+)(?:, ([A-Z_0-9]+))?\s/gm)].flatMap((m) => [m[1], m[2]]).filter(Boolean));
    for (const e of es!) for (const v of e.command.matchAll(/\$\{?([A-Z_0-9]+)/g)) expect([...defined], `${e.file}:${e.line} uses $${v[1]}`).toContain(v[1]);
    expect(es!.map((e) => [e.setup, e.expect, e.command])).toEqual(en!.map((e) => [e.setup, e.expect, e.command]));
    // The eight PUT scenarios are all there.
    const puts = es!.filter((e) => e.command.includes('-X PUT') && e.command.includes('/orders/'));
    for (const status of ['ACCEPTED', 'UPDATE_CART', 'READY_FOR_PICKUP', 'CANCELLED', 'REPLACED', 'ADDITION', 'NOT_FOUND', '"weight"']) {
      expect(puts.some((e) => e.command.includes(status)), status).toBe(true);
    }
  });

  for (const file of GUIDES) {
    it(`${file}: every curl example answers as documented`, async () => {
      for (const ex of exercises(file)) {
        await setup(ex.setup);
        const outFile = path.join(tmp, 'body.json');
        // The documented command, with curl told to write the body to a file and print the status.
        const command = ex.command.replace(/^curl /m, `curl -sS -o "${outFile}" -w '%{http_code}' `);
        const { stdout } = await run('bash', ['-c', command], { env });
        const body = fs.readFileSync(outFile, 'utf8');
        expect(Number(stdout), `${file}:${ex.line} → ${body}`).toBe(ex.expect);
        const json = JSON.parse(body);
        if (ex.expect >= 400) expect(json.error.code).toMatch(/^[A-Z_]+$/);
        if (ex.expect === 200 && ex.command.includes('"status":"READY_FOR_PICKUP"')) expect(json.status).toBe('READY_FOR_PICKUP');
        if (ex.expect === 200 && ex.command.includes('"status":"ACCEPTED"')) expect(json.status).toBe('ACCEPTED');
      }
      // Twenty-odd curl processes in a row: give a loaded machine time.
    }, 120_000);
  }
});
