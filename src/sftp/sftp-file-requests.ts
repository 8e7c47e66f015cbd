import { dirAttrs, fileAttrs, uploadAttrs } from './sftp-attrs.js';
import { OPEN_MODE, STATUS_CODE, type SftpChannel } from './sftp-channel.js';
import { chunkAt, findSealedFile, type Folder } from './sftp-files.repository.js';
import { FileTooLargeError, QuotaExceededError, UploadWriter } from './sftp-files.service.js';
import { resolvePath } from './vfs.js';

const MAX_READ = 256 * 1024;

/** OPEN, READ, WRITE, FSTAT, FSETSTAT and CLOSE: downloads from results/, uploads into Assortment/. */
export function serveFileRequests(ch: SftpChannel): void {
  ch.on('OPEN', async (id, filename: string, flags: number) => {
    const v = resolvePath(filename);
    if (v.kind === 'denied') return ch.denied(id, v.reason);
    if (v.kind !== 'file') return ch.status(id, STATUS_CODE.FAILURE, 'is a directory');
    if (flags & OPEN_MODE.APPEND) return ch.status(id, STATUS_CODE.OP_UNSUPPORTED, 'append is not supported; upload the whole file');
    const writing = (flags & (OPEN_MODE.WRITE | OPEN_MODE.CREAT | OPEN_MODE.TRUNC)) !== 0;
    if (ch.handlesFull) return ch.status(id, STATUS_CODE.FAILURE, 'too many open handles');
    if (writing) return openForWriting(ch, id, v.folder, v.name, flags);
    if (v.folder === 'Assortment') return ch.denied(id, 'Assortment/ is upload-only; results are in results/');
    const file = await findSealedFile(ch.ctx.db, ch.login.chainId, v.folder, v.name);
    if (!file) return ch.status(id, STATUS_CODE.NO_SUCH_FILE, 'no such file');
    const h = ch.newHandle({ kind: 'read', file, cache: undefined });
    if (!h) return ch.status(id, STATUS_CODE.FAILURE, 'too many open handles');
    ch.send(() => ch.sftp.handle(id, h));
  });

  ch.on('READ', async (id, buf: Buffer, offset: number, length: number) => {
    const [, h] = ch.handleOf(buf);
    if (!h) return ch.status(id, STATUS_CODE.FAILURE, 'invalid handle');
    if (h.kind !== 'read') return ch.denied(id, 'handle not open for reading');
    if (offset >= h.file.size) return ch.status(id, STATUS_CODE.EOF);
    let c = h.cache;
    if (!c || offset < c.pos || offset >= c.pos + c.data.length) {
      c = await chunkAt(ch.ctx.db, h.file.id, offset);
      if (!c) return ch.status(id, STATUS_CODE.EOF);
      h.cache = c;
    }
    const from = offset - c.pos;
    const slice = c.data.subarray(from, from + Math.min(length, MAX_READ));
    ch.send(() => ch.sftp.data(id, slice));
  });

  ch.on('WRITE', async (id, buf: Buffer, offset: number, data: Buffer) => {
    const [, h] = ch.handleOf(buf);
    if (!h) return ch.status(id, STATUS_CODE.FAILURE, 'invalid handle');
    if (h.kind !== 'write') return ch.denied(id, 'handle not open for writing');
    try {
      await h.writer.write(offset, data);
      ch.status(id, STATUS_CODE.OK);
    } catch (err) {
      if (err instanceof FileTooLargeError) return ch.status(id, STATUS_CODE.FAILURE, err.message);
      throw err;
    }
  });

  serveHandleRequests(ch);
}

async function openForWriting(ch: SftpChannel, id: number, folder: Folder, name: string, flags: number): Promise<void> {
  if (folder !== 'Assortment') return ch.denied(id, `${folder}/ is read-only; upload into Assortment/`);
  const existing = await findSealedFile(ch.ctx.db, ch.login.chainId, folder, name);
  if (!existing && !(flags & OPEN_MODE.CREAT)) return ch.status(id, STATUS_CODE.NO_SUCH_FILE, 'no such file');
  if (existing && flags & OPEN_MODE.EXCL) return ch.status(id, STATUS_CODE.FAILURE, 'file exists');
  // Every write-open starts a fresh upload that replaces the old file on close (TRUNC semantics).
  let writer: UploadWriter;
  try {
    writer = await UploadWriter.open(ch.ctx, { chainId: ch.login.chainId, folder, name, uploadedBy: ch.login.userId });
  } catch (err) {
    if (!(err instanceof QuotaExceededError)) throw err;
    ch.log.info({ file: name }, 'sftp upload refused: quota exceeded');
    return ch.status(id, STATUS_CODE.FAILURE, err.message);
  }
  const h = ch.newHandle({ kind: 'write', writer });
  if (!h) {
    await writer.abort();
    return ch.status(id, STATUS_CODE.FAILURE, 'too many open handles');
  }
  ch.send(() => ch.sftp.handle(id, h));
}

/** FSTAT, FSETSTAT and CLOSE: requests on an open handle of any kind. */
function serveHandleRequests(ch: SftpChannel): void {
  ch.on('FSTAT', (id, buf: Buffer) => {
    const [, h] = ch.handleOf(buf);
    if (!h) return ch.status(id, STATUS_CODE.FAILURE, 'invalid handle');
    if (h.kind === 'read') return ch.send(() => ch.sftp.attrs(id, fileAttrs(h.file)));
    if (h.kind === 'write') {
      const now = Math.floor(ch.ctx.clock.now().getTime() / 1000);
      return ch.send(() => ch.sftp.attrs(id, uploadAttrs(h.writer.bytesWritten, now)));
    }
    const v = h.vpath;
    ch.send(() => ch.sftp.attrs(id, dirAttrs(v.kind === 'dir' && v.folder === 'Assortment', ch.startedAt)));
  });

  // Clients set times/modes after an upload (`put -p`): accepted and ignored on our own uploads.
  ch.on('FSETSTAT', (id, buf: Buffer) => {
    const [, h] = ch.handleOf(buf);
    if (!h) return ch.status(id, STATUS_CODE.FAILURE, 'invalid handle');
    if (h.kind !== 'write') return ch.denied(id, 'read-only');
    ch.status(id, STATUS_CODE.OK);
  });

  ch.on('CLOSE', async (id, buf: Buffer) => {
    const [n, h] = ch.handleOf(buf);
    if (!h) return ch.status(id, STATUS_CODE.FAILURE, 'invalid handle');
    ch.closeHandle(n);
    if (h.kind !== 'write') return ch.status(id, STATUS_CODE.OK);
    try {
      // Answered only once the file is stored and handed to processing.
      const file = await h.writer.close();
      ch.log.info({ file: file.name, size: file.size }, 'sftp upload stored');
      ch.status(id, STATUS_CODE.OK);
    } catch (err) {
      if (err instanceof FileTooLargeError) return ch.status(id, STATUS_CODE.FAILURE, `${err.message}; the upload was discarded`);
      throw err;
    }
  });
}
