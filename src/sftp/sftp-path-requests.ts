import type { Attributes } from 'ssh2';
import { STATUS_CODE, type SftpChannel } from './sftp-channel.js';
import { realPath, resolvePath } from './vfs.js';

/** REALPATH, STAT, LSTAT and SETSTAT: requests that name a path. */
export function servePathRequests(ch: SftpChannel): void {
  const stat = async (id: number, path: string) => {
    const v = resolvePath(path);
    if (v.kind === 'denied') return ch.denied(id, v.reason);
    const attrs = await ch.statOf(v);
    if (!attrs) return ch.status(id, STATUS_CODE.NO_SUCH_FILE, 'no such file');
    ch.send(() => ch.sftp.attrs(id, attrs));
  };

  ch.on('REALPATH', (id, path: string) => {
    const v = realPath(path);
    if (v.kind === 'denied') return ch.denied(id, v.reason);
    ch.send(() => ch.sftp.name(id, [{ filename: v.path, longname: v.path, attrs: {} as Attributes }]));
  });

  ch.on('STAT', stat);
  ch.on('LSTAT', stat);

  // Clients set times/modes after an upload (`put -p`): accepted and ignored on our own uploads.
  ch.on('SETSTAT', async (id, path: string) => {
    const v = resolvePath(path);
    if (v.kind === 'denied') return ch.denied(id, v.reason);
    if (v.kind !== 'file' || v.folder !== 'Assortment') return ch.denied(id, 'read-only');
    const exists = await ch.statOf(v);
    ch.status(id, exists ? STATUS_CODE.OK : STATUS_CODE.NO_SUCH_FILE, exists ? undefined : 'no such file');
  });
}
