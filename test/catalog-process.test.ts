import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext } from '../src/bootstrap.js';
import { findListingsForVendor } from '../src/catalog/listings.repository.js';
import type { AppContext } from '../src/platform/context.js';
import { createLogger } from '../src/platform/logger.js';
import { seedChain, type ChainFixture } from '../src/test-support/fixtures.js';
import { runCli, startProcess, type CliProcess } from '../src/test-support/processes.js';
import { createTestDatabase, type TestDatabase } from '../src/test-support/test-db.js';

/** The real `comanda` binary: `catalog import` and a `serve --roles api,worker` process running catalog jobs. */
describe('catalog from the command line and a worker process', () => {
  let tdb: TestDatabase;
  let ctx: AppContext;
  let a: ChainFixture;
  let env: Record<string, string | undefined>;
  let server: CliProcess | undefined;

  beforeAll(async () => {
    tdb = await createTestDatabase();
    ctx = await createContext(tdb.config, { log: createLogger({ logLevel: 'silent' }) });
    a = await seedChain(ctx, 'Cli Catalog');
    env = { COMANDA_DATA_DIR: tdb.dataDir, DATABASE_URL: tdb.config.databaseUrl ?? '', PORT: '0', SFTP_PORT: '0', LOG_LEVEL: 'warn' };
  });
  afterAll(async () => {
    await server?.stop('SIGKILL');
    await ctx.handle.close();
    await tdb.drop();
  });

  it('`comanda catalog import` streams a CSV (BOM, `;`, CRLF, quotes) and reports bad rows without stopping', async () => {
    const file = path.join(tdb.dataDir, 'catalog.csv');
    const errors = path.join(tdb.dataDir, 'errors.csv');
    fs.writeFileSync(
      file,
      '\uFEFFsku;barcode;title;category;price;active;is_sold_by_weight;base_weight;average_weight_per_piece\r\n' +
        'YER-1;7790387000016;"Yerba Mate; Playadito 1 kg";Almacén/Yerbas;4599.9999;true;false;;\r\n' +
        'BAN-1;;Banana Ecuador;Frutas y Verduras/Frutas;1899.5;1;true;1;0.18\r\n' +
        'BAD-1;;Precio cero;Almacén;0;true;false;;\r\n',
    );
    const res = await runCli(['catalog', 'import', file, '--vendor', a.direct.code, '--errors', errors], env);
    expect(res.code, res.stderr).toBe(0);
    const summary = JSON.parse(res.stdout);
    expect(summary).toMatchObject({ vendor: a.direct.code, rows: 3, error_rows: 1, counts: { CREATED: 2, INVALID_PRICE: 1 } });
    expect(res.stderr).toContain('row 3 (BAD-1): INVALID_PRICE');
    expect(fs.readFileSync(errors, 'utf8')).toMatch(/^row,sku,barcode,result,message\r\n3,BAD-1,,INVALID_PRICE,/);
    const found = await findListingsForVendor(ctx.db, a.direct.id, ['YER-1', 'BAN-1']);
    expect(found.get('YER-1')).toMatchObject({ priceMilli: 4_599_999, title: { es_AR: 'Yerba Mate; Playadito 1 kg' }, barcodes: ['7790387000016'] });
    expect(found.get('BAN-1')).toMatchObject({ isSoldByWeight: true, weightSpecifications: { base_weight: 1, average_weight_per_piece: 0.18 } });
  });

  it('refuses a file without the required columns, naming them', async () => {
    const file = path.join(tdb.dataDir, 'bad.csv');
    fs.writeFileSync(file, 'code,amount\nX,1\n');
    const res = await runCli(['catalog', 'import', file, '--vendor', a.direct.code], env);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('missing column(s): sku, title, price');
  });

  it('a `serve --roles api,worker` process takes a bulk update to COMPLETED', async () => {
    server = startProcess(['serve', '--roles', 'api,worker'], { ...env, LOG_LEVEL: 'info' });
    const [, url] = await server.waitFor(/"url":"(http:\/\/[^"]+)"/);
    const headers = { authorization: `Bearer ${a.token}`, 'content-type': 'application/json' };
    const put = await fetch(`${url}/v2/chains/${a.chain.id}/vendors/${a.direct.code}/catalog`, {
      method: 'PUT',
      headers,
      body: JSON.stringify({ products: [{ sku: 'YER-1', price: 5000.1239 }, { sku: 'NOPE', active: false }] }),
    });
    expect(put.status).toBe(202);
    const { job_id } = (await put.json()) as { job_id: string };
    let job: { job_status: string; counts: Record<string, number> } | undefined;
    for (let i = 0; i < 200; i++) {
      job = (await (await fetch(`${url}/v2/chains/${a.chain.id}/catalog/jobs/${job_id}`, { headers })).json()) as typeof job;
      if (job!.job_status === 'COMPLETED') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(job).toMatchObject({ job_status: 'COMPLETED', counts: { UPDATED: 1, SKU_NOT_FOUND: 1 } });
    expect((await findListingsForVendor(ctx.db, a.direct.id, ['YER-1'])).get('YER-1')?.priceMilli).toBe(5_000_123);
  });
});
