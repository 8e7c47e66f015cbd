import type { AppContext } from '../platform/context.js';
import type { Trx } from '../db/database.js';
import { writeAudit } from '../audit/index.js';
import { createJob, type Job, notifyJobQueued } from '../jobs/index.js';
import { resultFileName } from './csv/results-csv.js';
import type { SftpFile } from './sftp-files.repository.js';
import { SFTP_FILE_JOB } from './sftp.jobs.js';

/**
 * The one hand-off from the SFTP server (and the portal's upload) to processing: called inside the
 * transaction that seals an uploaded file, so "stored", "queued as a job" and its audit row commit
 * together (or not at all). The job reads the file from the database, so any worker node can run it.
 */
export async function onUploadClosed(ctx: AppContext, trx: Trx, file: SftpFile, actor?: string): Promise<Job> {
  const createdBy = actor ?? (file.uploadedBy ? `sftp-login:${file.uploadedBy}` : 'sftp');
  const job = await createJob(ctx, trx, {
    chainId: file.chainId,
    type: SFTP_FILE_JOB,
    params: { file_id: file.id, file_name: file.name, size: file.size, results_file: `results/${resultFileName(file.name)}` },
    createdBy,
  });
  await writeAudit(trx, { chainId: file.chainId, actor: createdBy, action: 'catalog.upload', targetType: 'file', targetId: file.id, details: { job_id: job.id, file: `${file.folder}/${file.name}`, size: file.size } }, ctx.clock.now());
  ctx.log.info({ fileId: file.id, chainId: file.chainId, name: file.name, size: file.size, job_id: job.id }, 'sftp upload queued');
  return job;
}

/** After the sealing transaction committed: wake a job runner in this process. */
export function afterUploadCommitted(_ctx: AppContext, _file: SftpFile): void {
  notifyJobQueued();
}
