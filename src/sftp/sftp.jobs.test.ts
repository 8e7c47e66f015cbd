import { beforeAll, describe, expect, it } from 'vitest';
import { findListingsForVendor } from '../catalog/listings.repository.js';
import { JobRunner } from '../jobs/job-runner.js';
import { JOB_TYPES } from '../jobs-list.js';
import { bearer } from '../test-support/fixtures.js';
import { sftpBatch, useSftpServer } from '../test-support/openssh.js';
import { useTestApp } from '../test-support/test-app.js';
import { forgetOpenFiles, SFTP_FILE_JOB } from './sftp.jobs.js';
import { createEndpoint } from '../webhooks/endpoints.service.js';

describe('SFTP files processed as jobs (upload → job → results/)', () => {
  const s = useTestApp({ chains: { a: 'Sftp Jobs' }, config: { webhookAllowedHosts: ['127.0.0.1'] } });
  let runner: JobRunner;

  const sftp = useSftpServer(s, { loginFor: () => s.a.chain.id, password: 'sftp-jobs-password' });
  beforeAll(async () => {
    runner = new JobRunner(s.ctx, JOB_TYPES, { owner: 'test' });
    await createEndpoint(s.ctx, s.a.chain.id, { url: 'http://127.0.0.1:9/hook', authorization: 'Basic c2Z0cDp0ZXN0' }, 'test');
    const products = ['A-1', 'A-2', 'A-3', 'A-4'].map((sku, i) => ({ sku, title: { es_AR: `Producto ${sku}` }, price: 100 + i, barcode: [`779000000000${i}`] }));
    const res = await s.app.inject({ method: 'POST', url: `/v2/chains/${s.a.chain.id}/catalog`, headers: bearer(s.a.token), payload: { vendors: ['*'], products } });
    expect(res.statusCode, res.body).toBe(202);
    await runner.runUntilIdle();
  });

  const price = async (sku: string, vendorId: string) => (await findListingsForVendor(s.ctx.db, vendorId, [sku])).get(sku)?.priceMilli;

  async function uploadAndRun(name: string, content: string | Buffer) {
    sftp.ws.file(name, content);
    const put = await sftpBatch(sftp.ws, sftp.login, [`put ${name} Assortment/${name}`]);
    expect(put.code, put.stderr).toBe(0);
    // Stored and queued before the client saw its CLOSE answered.
    const job = await s.ctx.db.selectFrom('jobs').selectAll().where('type', '=', SFTP_FILE_JOB).orderBy('created_at', 'desc').executeTakeFirstOrThrow();
    expect(job.status).toBe('QUEUED');
    await runner.runUntilIdle();
    const view = await s.app.inject({ method: 'GET', url: `/v2/chains/${s.a.chain.id}/catalog/jobs/${job.id}`, headers: bearer(s.a.token) });
    expect(view.statusCode, view.body).toBe(200);
    const got = await sftpBatch(sftp.ws, sftp.login, [`get results/${name}.result.csv ${name}.result.csv`]);
    expect(got.code, got.stderr).toBe(0);
    const lines = sftp.ws.read(`${name}.result.csv`).trim().split('\r\n');
    return { job: view.json(), header: lines[0], lines: lines.slice(1) };
  }

  it('a single-vendor file updates that vendor and writes a per-row results file', async () => {
    const file = `catalog_${s.a.direct.code}.csv`;
    const { job, header, lines } = await uploadAndRun(file, 'sku;price;active\r\nA-1;150,5;1\r\nA-2;abc;1\r\nNOPE;10;1\r\n;5;1\r\nA-3;;0\r\n');
    expect(job.job_status ?? job.status).toBe('COMPLETED');
    expect(header).toBe('row,vendor,sku,barcode,kind,status,message');
    expect(lines.map((l) => l.split(',').slice(0, 6).join(','))).toEqual([
      `2,${s.a.direct.code},A-1,,catalog,UPDATED`,
      `3,${s.a.direct.code},A-2,,,INVALID_PRICE`,
      `4,${s.a.direct.code},NOPE,,catalog,SKU_NOT_FOUND`,
      `5,${s.a.direct.code},,,,MISSING_SKU`,
      `6,${s.a.direct.code},A-3,,catalog,UPDATED`,
    ]);
    expect(await price('A-1', s.a.direct.id)).toBe(150_500);
    expect(await price('A-1', s.a.indirect.id)).toBe(100_000);
    // The completion webhook is in the outbox, committed with the job's end.
    const events = await s.ctx.db.selectFrom('webhook_events').select(['type', 'body']).where('chain_id', '=', s.a.chain.id).where('type', '=', 'SFTP_FILE_PROCESSED').execute();
    const bodies = events.map((e) => JSON.parse(String(e.body)) as { job_id: string; job_type: string; status: string; download_url: string });
    expect(bodies.find((b) => b.job_id === job.job_id)).toMatchObject({ job_type: 'sftp_file', status: 'COMPLETED', download_url: expect.stringContaining(`/catalog/jobs/${job.job_id}/results`) });
  });

  it('a multi-vendor file with all + exclude, mixed with promotion rows', async () => {
    const csv = [
      'sku,price,vendors,exclude,campaign_name,start_date,end_date,promotion_type,discounted_price',
      `A-2,222,all,${s.a.test.code},,,,,`,
      `A-4,444,"${s.a.direct.external_id},${s.a.indirect.code}",,,,,,`,
      `A-1,,all,,Verano,2026-12-01,2026-12-31,strikethrough,90`,
    ].join('\n');
    const { job, lines } = await uploadAndRun('multi.csv', csv);
    expect(job.job_status ?? job.status).toBe('COMPLETED');
    expect(await price('A-2', s.a.direct.id)).toBe(222_000);
    expect(await price('A-2', s.a.indirect.id)).toBe(222_000);
    expect(await price('A-2', s.a.test.id)).toBe(101_000);
    expect(await price('A-4', s.a.indirect.id)).toBe(444_000);
    expect(await price('A-4', s.a.test.id)).toBe(103_000);
    const statuses = lines.map((l) => l.split(',')[5]);
    // 4 catalog results + the promotion row on each of the 3 stores.
    expect(statuses.filter((s) => s === 'UPDATED')).toHaveLength(7);
    expect(lines.filter((l) => l.split(',')[4] === 'promotion')).toHaveLength(3);
    // The campaign exists, in UTC: midnight in Buenos Aires is 03:00Z.
    const promos = await s.ctx.db.selectFrom('promotions').selectAll().where('chain_id', '=', s.a.chain.id).execute();
    expect(promos).toHaveLength(3);
    expect(JSON.stringify(promos)).toContain('Verano');
    expect(JSON.stringify(promos)).toMatch(/2026-12-01[T ]03:00:00/);
  });

  it('a file refused as a whole: the job FAILS with the reason and the results file says why', async () => {
    const { job, lines } = await uploadAndRun(`bad_${s.a.direct.code}.csv`, 'sku,price,colour\nA-1,1,red\n');
    expect(job.job_status ?? job.status).toBe('FAILED');
    expect(JSON.stringify(job)).toContain('UNKNOWN_COLUMNS');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^0,,,,file,UNKNOWN_COLUMNS,/);
    const latin = await uploadAndRun(`latin_${s.a.direct.code}.csv`, Buffer.from('sku,price\nCAF\xc9,1\n', 'latin1'));
    expect(latin.lines[0]).toMatch(/INVALID_ENCODING/);
  });

  it('a file with a NUL byte is refused as a whole (INVALID_TEXT) at once: a results file, no retries, no row applied', async () => {
    const before = await price('A-3', s.a.direct.id);
    const nul = await uploadAndRun(`nul_${s.a.direct.code}.csv`, Buffer.from('sku,price\nA-3,999\nA-\u00004,2\n', 'utf8'));
    expect(nul.job.job_status ?? nul.job.status).toBe('FAILED');
    expect(nul.lines).toHaveLength(1);
    expect(nul.lines[0]).toMatch(/^0,,,,file,INVALID_TEXT,.*NUL byte \(line 3\)/);
    const row = await s.ctx.db.selectFrom('jobs').selectAll().where('type', '=', SFTP_FILE_JOB).orderBy('created_at', 'desc').executeTakeFirstOrThrow();
    expect(Number(row.attempts)).toBe(1);
    expect(await price('A-3', s.a.direct.id)).toBe(before);
  });

  it('resumes from its cursor when the parse state is lost between steps (restart, another node)', async () => {
    const rows = Array.from({ length: 12_000 }, (_, i) => `A-${(i % 4) + 1},${300 + (i % 4)}`);
    sftp.ws.file('big.csv', `sku,price\n${rows.join('\n')}\n`);
    // One vendor via the name keeps this simple.
    const name = `big_${s.a.indirect.code}.csv`;
    sftp.ws.file(name, `sku,price\n${rows.join('\n')}\n`);
    const put = await sftpBatch(sftp.ws, sftp.login, [`put ${name} Assortment/${name}`]);
    expect(put.code).toBe(0);
    const job = await runner.claim();
    expect(job?.type).toBe(SFTP_FILE_JOB);
    expect(await runner.step(job!.id)).toBe('continue');
    forgetOpenFiles();
    while ((await runner.step(job!.id)) === 'continue') forgetOpenFiles();
    const done = await s.ctx.db.selectFrom('jobs').selectAll().where('id', '=', job!.id).executeTakeFirstOrThrow();
    expect(done.status).toBe('COMPLETED');
    expect(done.processed_rows).toBe(12_000);
    const got = await sftpBatch(sftp.ws, sftp.login, [`get results/${name}.result.csv r.csv`]);
    expect(got.code).toBe(0);
    const lines = sftp.ws.read('r.csv').trim().split('\r\n').slice(1);
    expect(lines).toHaveLength(12_000);
    expect(lines[11_999]!.startsWith('12001,')).toBe(true);
  });
});
