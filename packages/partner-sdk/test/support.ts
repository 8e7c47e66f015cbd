import type { Config } from '../../../src/config.js';
import { seedDemo, type DemoInfo } from '../../../src/demo/demo.seed.js';
import { putStoreStatus } from '../../../src/outlets/outlets.service.js';
import { startServer, type RunningServer, type ServerRole } from '../../../src/server.js';
import { createTestContext, type TestContext } from '../../../src/test-support/test-db.js';
import { FAST_WEBHOOKS } from '../../../src/test-support/webhooks.js';
import { resolveVendor } from '../../../src/vendors/vendors.repository.js';

/** A real Comanda server (api + worker) on a fresh database seeded with the demo, as a partner meets it. */
export interface SdkEnv {
  t: TestContext;
  server: RunningServer;
  url: string;
  demo: DemoInfo;
  /** An operator call over HTTP (order intake, webhook endpoints). */
  operator(method: string, path: string, json?: unknown): Promise<{ status: number; body: any }>;
  close(): Promise<void>;
}

export async function startSdkEnv(config: Partial<Config> = {}, roles: ServerRole[] = ['api', 'worker']): Promise<SdkEnv> {
  const t = await createTestContext({ config: { port: 0, ...FAST_WEBHOOKS, ...config } });
  const demo = await seedDemo(t.ctx);
  for (const code of [demo.vendors.direct, demo.vendors.test]) {
    const vendor = await resolveVendor(t.ctx.db, demo.chain_id, code);
    await putStoreStatus(t.ctx, vendor!, { status: 'OPEN' }, 'test');
  }
  const server = await startServer(t.ctx, roles);
  const operator = async (method: string, path: string, json?: unknown) => {
    const res = await fetch(`${server.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${demo.operator_key}`, ...(json === undefined ? {} : { 'content-type': 'application/json' }) },
      body: json === undefined ? undefined : JSON.stringify(json),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
  return {
    t,
    server,
    url: server.url,
    demo,
    operator,
    close: async () => {
      await server.stop();
      // server.stop() closed the database handle; drop the database itself.
      await t.db.drop();
    },
  };
}
