import type { AppContext } from '../context.js';
import type { Trx } from '../db/database.js';
import type { SftpFile } from './sftp-files.repository.js';

/**
 * The one hand-off from the SFTP server to processing: called inside the transaction that seals an
 * uploaded file, so "stored" and "queued for processing" commit together (or not at all).
 */
export async function onUploadClosed(ctx: AppContext, _trx: Trx, file: SftpFile): Promise<void> {
  ctx.log.info({ fileId: file.id, chainId: file.chainId, name: file.name, size: file.size }, 'sftp upload sealed');
}

/** After the sealing transaction committed: wake a job runner in this process. */
export function afterUploadCommitted(_ctx: AppContext, _file: SftpFile): void {}
