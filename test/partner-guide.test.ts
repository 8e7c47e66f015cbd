import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOauthClient } from '../src/oauth/oauth.service.js';
import { putStoreStatus } from '../src/outlets/outlets.service.js';
import { startServer, type RunningServer } from '../src/server.js';
import { bearer, operatorKey, seedChain, type ChainFixture } from '../src/test-support/fixtures.js';
import { CUSTOMER, seedCatalog } from '../src/test-support/order-fixtures.js';
import { createTestContext, type TestContext } from '../src/test-support/test-db.js';

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
  let a: ChainFixture;
  let op: string;
  let env: Record<string, string>;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'guide-'));

  beforeAll(async () => {
    t = await createTestContext({ config: { port: 0 } });
    server = await startServer(t.ctx, ['api']);
    a = await seedChain(t.ctx, 'Guide A');
    op = await operatorKey(t.ctx);
    await seedCatalog(t.ctx, [a.direct]);
    const now = Date.now();
    env = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      COMANDA_URL: server.url,
      TOKEN: a.token,
      CHAIN_ID: a.chain.id,
      VENDOR_ID: a.direct.code,
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
    if (kind === 'oauth') {
      const { client, client_secret } = await createOauthClient(t.ctx, a.chain.id, 'Guide', 'test');
      Object.assign(env, { CLIENT_ID: client.client_id, CLIENT_SECRET: client_secret });
      return;
    }
    const transport = kind.split(':')[1]!;
    await putStoreStatus(t.ctx, a.direct, { status: 'OPEN' }, 'test');
    const res = await server.app.inject({
      method: 'POST',
      url: '/platform/v1/orders',
      headers: bearer(op),
      payload: { vendor_id: a.direct.code, transport_type: transport, order_type: 'DELIVERY', customer: CUSTOMER, items: [{ sku: 'LECHE-1L', quantity: 2 }, { sku: 'PAN-LACTAL', quantity: 1 }, { sku: 'QUESO-TYBO', weight: 1 }] },
    });
    expect(res.statusCode, res.body).toBe(201);
    const o = res.json();
    Object.assign(env, { ORDER_ID: o.order_id, LINE_1: o.items[0]._id, LINE_2: o.items[1]._id, KG_LINE: o.items[2]._id });
  }

  it('both guides have the same exercised examples (the Spanish one and its English twin)', () => {
    const [es, en] = GUIDES.map(exercises);
    expect(es!.length).toBeGreaterThanOrEqual(18);
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
    });
  }
});
