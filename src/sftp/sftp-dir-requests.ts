import type { FileEntry } from 'ssh2';
import { dirAttrs, fileAttrs, longname } from './sftp-attrs.js';
import { STATUS_CODE, type SftpChannel } from './sftp-channel.js';
import { listFolder } from './sftp-files.repository.js';
import { resolvePath, type VPath } from './vfs.js';

const DIR_BATCH = 100;

/** OPENDIR and READDIR: listing the root and the two folders. */
export function serveDirRequests(ch: SftpChannel): void {
  ch.on('OPENDIR', async (id, path: string) => {
    const v = resolvePath(path);
    if (v.kind === 'denied') return ch.denied(id, v.reason);
    if (v.kind === 'file') {
      const exists = await ch.statOf(v);
      return ch.status(id, exists ? STATUS_CODE.FAILURE : STATUS_CODE.NO_SUCH_FILE, exists ? 'not a directory' : 'no such file');
    }
    const h = ch.newHandle({ kind: 'dir', entries: undefined, cursor: 0, vpath: v });
    if (!h) return ch.status(id, STATUS_CODE.FAILURE, 'too many open handles');
    ch.send(() => ch.sftp.handle(id, h));
  });

  ch.on('READDIR', async (id, buf: Buffer) => {
    const [, h] = ch.handleOf(buf);
    if (!h || h.kind !== 'dir') return ch.status(id, STATUS_CODE.FAILURE, 'invalid handle');
    h.entries ??= await listing(ch, h.vpath);
    // A listing ends with EOF: clients loop until they see it.
    if (h.cursor >= h.entries.length) return ch.status(id, STATUS_CODE.EOF);
    const batch = h.entries.slice(h.cursor, h.cursor + DIR_BATCH);
    h.cursor += batch.length;
    ch.send(() => ch.sftp.name(id, batch));
  });
}

async function listing(ch: SftpChannel, v: VPath): Promise<FileEntry[]> {
  const owner = ch.login.username;
  if (v.kind === 'root') {
    return (['Assortment', 'results'] as const).map((name) => {
      const attrs = dirAttrs(name === 'Assortment', ch.startedAt);
      return { filename: name, longname: longname(name, attrs, owner), attrs };
    });
  }
  if (v.kind === 'dir') {
    const files = await listFolder(ch.ctx.db, ch.login.chainId, v.folder);
    return files.map((f) => {
      const attrs = fileAttrs(f);
      return { filename: f.name, longname: longname(f.name, attrs, owner), attrs };
    });
  }
  return [];
}
