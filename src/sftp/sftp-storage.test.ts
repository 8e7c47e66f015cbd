import { beforeAll, describe, expect, it } from 'vitest';
import { JobRunner } from '../jobs/job-runner.js';
import { JOB_TYPES } from '../jobs-list.js';
import { sftpBatch, useSftpServer } from '../test-support/openssh.js';
import { useTestContext } from '../test-support/test-app.js';
import { purgeFinishedUploads, storedUploadBytes } from './sftp-files.repository.js';

/** A CSV of exactly `bytes` bytes (rows a job can process; the last one may be cut). */
function csvOf(bytes: number): string {
  let text = 'sku,price\n';
  while (text.length < bytes) text += 'A-1,1\n';
  return `${text.slice(0, bytes - 1)}\n`;
}

/** Per-login storage quota and the retention sweep of processed uploads, through the real OpenSSH client. */
describe('SFTP storage: quota per login and retention of processed uploads', () => {
  const QUOTA = 3000;
  const s = useTestContext({ chains: { a: 'Sftp Storage' }, config: { sftpQuotaBytes: QUOTA } });
  let runner: JobRunner;

  beforeAll(async () => {
    runner = new JobRunner(s.ctx, JOB_TYPES, { owner: 'test' });
  });
  const sftp = useSftpServer(s, { loginFor: () => s.a.chain.id, password: 'sftp-storage-password' });

  const put = async (name: string, content: string) => {
    sftp.ws.file(name, content);
    return sftpBatch(sftp.ws, sftp.login, [`put ${name} Assortment/${name}`]);
  };
  const assortment = async () =>
    (await s.ctx.db.selectFrom('sftp_files').select(['name', 'size', 'status']).where('chain_id', '=', s.a.chain.id).where('folder', '=', 'Assortment').orderBy('name').execute()).map((f) => `${f.name}:${f.status}:${Number(f.size)}`);

  it('refuses the write that crosses the quota and the open once it is used up; a replaced file does not count', async () => {
    expect((await put(`one_${s.a.direct.code}.csv`, csvOf(2000))).code).toBe(0);
    // 2000 stored + 2000 more > 3000: refused at the crossing write, nothing kept.
    const over = await put(`two_${s.a.direct.code}.csv`, csvOf(2000));
    expect(over.code).not.toBe(0);
    expect(over.stderr).toMatch(/Failure/);
    expect(await assortment()).toEqual([`one_${s.a.direct.code}.csv:sealed:${csvOf(2000).length}`]);
    // Replacing one_ with a 3000-byte file fits: the old one_ does not count.
    expect((await put(`one_${s.a.direct.code}.csv`, csvOf(QUOTA))).code).toBe(0);
    expect(await storedUploadBytes(s.ctx.db, s.a.chain.id)).toBe(csvOf(QUOTA).length);
    // Used up: the open itself is refused.
    const full = await put(`three_${s.a.direct.code}.csv`, 'sku,price\nA-1,1\n');
    expect(full.code).not.toBe(0);
    expect(full.stderr).toMatch(/open "\/Assortment\/three_.*Failure/i);
    expect(await assortment()).toEqual([`one_${s.a.direct.code}.csv:sealed:${csvOf(QUOTA).length}`]);
  });

  it('the sweep deletes processed uploads past the retention (results stay), not those still waiting for their job', async () => {
    await runner.runUntilIdle();
    const results = async () => (await s.ctx.db.selectFrom('sftp_files').select('name').where('chain_id', '=', s.a.chain.id).where('folder', '=', 'results').execute()).length;
    const resultsBefore = await results();
    expect(resultsBefore).toBeGreaterThan(0);
    // Nothing is old enough yet.
    expect(await purgeFinishedUploads(s.ctx.db, new Date(Date.now() - 3600_000))).toBe(0);
    const later = new Date(Date.now() + 3600_000);
    expect(await purgeFinishedUploads(s.ctx.db, later)).toBe(1);
    expect(await assortment()).toEqual([]);
    const chunks = await s.ctx.db.selectFrom('sftp_file_chunks').innerJoin('sftp_files', 'sftp_files.id', 'sftp_file_chunks.file_id').select('sftp_files.folder').where('sftp_files.folder', '=', 'Assortment').execute();
    expect(chunks).toEqual([]);
    expect(await results()).toBe(resultsBefore);
    // The quota is free again; an upload whose job has not run yet is kept by the sweep.
    expect((await put(`four_${s.a.direct.code}.csv`, csvOf(1000))).code).toBe(0);
    expect(await purgeFinishedUploads(s.ctx.db, new Date(Date.now() + 3600_000))).toBe(0);
    expect(await assortment()).toEqual([`four_${s.a.direct.code}.csv:sealed:${csvOf(1000).length}`]);
    await runner.runUntilIdle();
    expect(await purgeFinishedUploads(s.ctx.db, new Date(Date.now() + 3600_000))).toBe(1);
  });
});
