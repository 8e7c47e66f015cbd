import type { SFTPWrapper } from 'ssh2';
import type { AppContext } from '../platform/context.js';
import { SftpChannel, type SftpLoginInfo } from './sftp-channel.js';
import { serveDirRequests } from './sftp-dir-requests.js';
import { serveFileRequests } from './sftp-file-requests.js';
import type { Folder } from './sftp-files.repository.js';
import { servePathRequests } from './sftp-path-requests.js';
import { serveRefusals } from './sftp-refusals.js';

export type { SftpLoginInfo };

/**
 * Serves one SFTP channel over a chain's virtual file system. Every request gets an answer: unknown
 * and unsupported operations answer OP_UNSUPPORTED or PERMISSION_DENIED, failures answer FAILURE with
 * a message, never silence. Returns a function that discards unfinished uploads (connection lost).
 */
export function serveSftp(ctx: AppContext, login: SftpLoginInfo, sftp: SFTPWrapper, onActivity: () => void): () => Promise<void> {
  const ch = new SftpChannel(ctx, login, sftp, onActivity);
  servePathRequests(ch);
  serveDirRequests(ch);
  serveFileRequests(ch);
  serveRefusals(ch);

  // The client sent EOF: close our side too, or its ssh process waits forever for the channel to close.
  sftp.on('end', () => ch.send(() => sftp.end()));

  return async () => {
    const writers = ch.dropHandles();
    await Promise.all(writers.map((w) => w.abort().catch((err) => ch.log.error({ err }, 'discarding an unfinished upload failed'))));
  };
}

export type { Folder };
