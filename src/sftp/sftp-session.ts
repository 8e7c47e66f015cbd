import fs from 'node:fs';
import type { Attributes, FileEntry, SFTPWrapper } from 'ssh2';
import type { AppContext } from '../platform/context.js';
import { chunkAt, findSealedFile, listFolder, type Folder, type SftpFile } from './sftp-files.repository.js';
import { FileTooLargeError, QuotaExceededError, UploadWriter } from './sftp-files.service.js';
import { realPath, resolvePath, type VPath } from './vfs.js';

// SFTP v3 status codes and open flags (draft-ietf-secsh-filexfer-02), as ssh2.utils.sftp has them;
// spelled out so that loading this module does not load ssh2 (the CLI never needs it).
const STATUS_CODE = { OK: 0, EOF: 1, NO_SUCH_FILE: 2, PERMISSION_DENIED: 3, FAILURE: 4, OP_UNSUPPORTED: 8 } as const;
const OPEN_MODE = { READ: 0x01, WRITE: 0x02, APPEND: 0x04, CREAT: 0x08, TRUNC: 0x10, EXCL: 0x20 } as const;

/** Who is connected: the chain whose virtual file system this session sees. */
export interface SftpLoginInfo {
  userId: string;
  chainId: string;
  username: string;
}

type Handle =
  | { kind: 'dir'; entries: FileEntry[] | undefined; cursor: number; vpath: VPath }
  | { kind: 'read'; file: SftpFile; cache: { pos: number; data: Buffer } | undefined }
  | { kind: 'write'; writer: UploadWriter };

const MAX_HANDLES = 64;
const MAX_READ = 256 * 1024;
const DIR_BATCH = 100;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function dirAttrs(writable: boolean, mtime: number): Attributes {
  return { mode: fs.constants.S_IFDIR | (writable ? 0o755 : 0o555), uid: 0, gid: 0, size: 0, atime: mtime, mtime };
}

function fileAttrs(file: SftpFile): Attributes {
  const mtime = Math.floor(Date.parse(file.sealedAt ?? file.createdAt) / 1000);
  return { mode: fs.constants.S_IFREG | (file.folder === 'results' ? 0o444 : 0o644), uid: 0, gid: 0, size: file.size, atime: mtime, mtime };
}

/** `ls -l` style line, which OpenSSH's sftp prints for `ls -l`. */
function longname(name: string, attrs: Attributes, owner: string): string {
  const isDir = (attrs.mode & fs.constants.S_IFMT) === fs.constants.S_IFDIR;
  const bits = attrs.mode & 0o777;
  let perms = isDir ? 'd' : '-';
  for (let shift = 6; shift >= 0; shift -= 3) {
    const b = (bits >> shift) & 7;
    perms += `${b & 4 ? 'r' : '-'}${b & 2 ? 'w' : '-'}${b & 1 ? 'x' : '-'}`;
  }
  const d = new Date(attrs.mtime * 1000);
  const date = `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
  const who = owner.slice(0, 8).padEnd(8, ' ');
  return `${perms}    1 ${who} ${who} ${String(attrs.size).padStart(8, ' ')} ${date} ${name}`;
}

/**
 * Serves one SFTP channel over a chain's virtual file system. Every request gets an answer: unknown
 * and unsupported operations answer OP_UNSUPPORTED or PERMISSION_DENIED, failures answer FAILURE with
 * a message, never silence. Returns a function that discards unfinished uploads (connection lost).
 */
export function serveSftp(ctx: AppContext, login: SftpLoginInfo, sftp: SFTPWrapper, onActivity: () => void): () => Promise<void> {
  const handles = new Map<number, Handle>();
  let nextHandle = 1;
  const log = ctx.log.child({ sftpUser: login.username });
  const startedAt = Math.floor(ctx.clock.now().getTime() / 1000);

  const send = (fn: () => void) => {
    try {
      fn();
    } catch {
      // The channel closed under us: nobody is left to answer.
    }
  };
  const status = (id: number, code: number, message?: string) => send(() => sftp.status(id, code, message));
  const denied = (id: number, message: string) => status(id, STATUS_CODE.PERMISSION_DENIED, message);

  const newHandle = (h: Handle): Buffer | undefined => {
    if (handles.size >= MAX_HANDLES) return undefined;
    const n = nextHandle++;
    handles.set(n, h);
    const buf = Buffer.alloc(4);
    buf.writeUInt32BE(n);
    return buf;
  };
  const handleOf = (buf: Buffer): [number, Handle | undefined] => {
    if (buf.length !== 4) return [-1, undefined];
    const n = buf.readUInt32BE(0);
    return [n, handles.get(n)];
  };

  /** Registers a request handler: activity is recorded, and a thrown error still answers FAILURE. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each ssh2 request event has its own argument list
  const on = (event: string, fn: (id: number, ...args: any[]) => void | Promise<void>) => {
    sftp.on(event as 'OPEN', (id: number, ...args: unknown[]) => {
      onActivity();
      const fail = (err: unknown) => {
        log.error({ err, op: event }, 'sftp request failed');
        status(id, STATUS_CODE.FAILURE, 'internal error');
      };
      try {
        const r = fn(id, ...(args as never[]));
        if (r) r.catch(fail);
      } catch (err) {
        fail(err);
      }
    });
  };

  const statOf = async (v: VPath): Promise<Attributes | undefined> => {
    if (v.kind === 'root') return dirAttrs(false, startedAt);
    if (v.kind === 'dir') return dirAttrs(v.folder === 'Assortment', startedAt);
    if (v.kind === 'file') {
      const file = await findSealedFile(ctx.db, login.chainId, v.folder, v.name);
      return file && fileAttrs(file);
    }
    return undefined;
  };

  const stat = async (id: number, path: string) => {
    const v = resolvePath(path);
    if (v.kind === 'denied') return denied(id, v.reason);
    const attrs = await statOf(v);
    if (!attrs) return status(id, STATUS_CODE.NO_SUCH_FILE, 'no such file');
    send(() => sftp.attrs(id, attrs));
  };

  on('REALPATH', (id, path: string) => {
    const v = realPath(path);
    if (v.kind === 'denied') return denied(id, v.reason);
    send(() => sftp.name(id, [{ filename: v.path, longname: v.path, attrs: {} as Attributes }]));
  });

  on('STAT', stat);
  on('LSTAT', stat);

  on('OPENDIR', async (id, path: string) => {
    const v = resolvePath(path);
    if (v.kind === 'denied') return denied(id, v.reason);
    if (v.kind === 'file') {
      const exists = await statOf(v);
      return status(id, exists ? STATUS_CODE.FAILURE : STATUS_CODE.NO_SUCH_FILE, exists ? 'not a directory' : 'no such file');
    }
    const h = newHandle({ kind: 'dir', entries: undefined, cursor: 0, vpath: v });
    if (!h) return status(id, STATUS_CODE.FAILURE, 'too many open handles');
    send(() => sftp.handle(id, h));
  });

  on('READDIR', async (id, buf: Buffer) => {
    const [, h] = handleOf(buf);
    if (!h || h.kind !== 'dir') return status(id, STATUS_CODE.FAILURE, 'invalid handle');
    if (!h.entries) {
      if (h.vpath.kind === 'root') {
        h.entries = (['Assortment', 'results'] as const).map((name) => {
          const attrs = dirAttrs(name === 'Assortment', startedAt);
          return { filename: name, longname: longname(name, attrs, login.username), attrs };
        });
      } else if (h.vpath.kind === 'dir') {
        const files = await listFolder(ctx.db, login.chainId, h.vpath.folder);
        h.entries = files.map((f) => {
          const attrs = fileAttrs(f);
          return { filename: f.name, longname: longname(f.name, attrs, login.username), attrs };
        });
      } else h.entries = [];
    }
    // A listing ends with EOF: clients loop until they see it.
    if (h.cursor >= h.entries.length) return status(id, STATUS_CODE.EOF);
    const batch = h.entries.slice(h.cursor, h.cursor + DIR_BATCH);
    h.cursor += batch.length;
    send(() => sftp.name(id, batch));
  });

  on('OPEN', async (id, filename: string, flags: number) => {
    const v = resolvePath(filename);
    if (v.kind === 'denied') return denied(id, v.reason);
    if (v.kind !== 'file') return status(id, STATUS_CODE.FAILURE, 'is a directory');
    if (flags & OPEN_MODE.APPEND) return status(id, STATUS_CODE.OP_UNSUPPORTED, 'append is not supported; upload the whole file');
    const writing = (flags & (OPEN_MODE.WRITE | OPEN_MODE.CREAT | OPEN_MODE.TRUNC)) !== 0;
    if (handles.size >= MAX_HANDLES) return status(id, STATUS_CODE.FAILURE, 'too many open handles');
    if (writing) {
      if (v.folder !== 'Assortment') return denied(id, `${v.folder}/ is read-only; upload into Assortment/`);
      const existing = await findSealedFile(ctx.db, login.chainId, v.folder, v.name);
      if (!existing && !(flags & OPEN_MODE.CREAT)) return status(id, STATUS_CODE.NO_SUCH_FILE, 'no such file');
      if (existing && flags & OPEN_MODE.EXCL) return status(id, STATUS_CODE.FAILURE, 'file exists');
      // Every write-open starts a fresh upload that replaces the old file on close (TRUNC semantics).
      let writer: UploadWriter;
      try {
        writer = await UploadWriter.open(ctx, { chainId: login.chainId, folder: v.folder, name: v.name, uploadedBy: login.userId });
      } catch (err) {
        if (!(err instanceof QuotaExceededError)) throw err;
        log.info({ file: v.name }, 'sftp upload refused: quota exceeded');
        return status(id, STATUS_CODE.FAILURE, err.message);
      }
      const h = newHandle({ kind: 'write', writer });
      if (!h) {
        await writer.abort();
        return status(id, STATUS_CODE.FAILURE, 'too many open handles');
      }
      return send(() => sftp.handle(id, h));
    }
    if (v.folder === 'Assortment') return denied(id, 'Assortment/ is upload-only; results are in results/');
    const file = await findSealedFile(ctx.db, login.chainId, v.folder, v.name);
    if (!file) return status(id, STATUS_CODE.NO_SUCH_FILE, 'no such file');
    const h = newHandle({ kind: 'read', file, cache: undefined });
    if (!h) return status(id, STATUS_CODE.FAILURE, 'too many open handles');
    send(() => sftp.handle(id, h));
  });

  on('READ', async (id, buf: Buffer, offset: number, length: number) => {
    const [, h] = handleOf(buf);
    if (!h) return status(id, STATUS_CODE.FAILURE, 'invalid handle');
    if (h.kind !== 'read') return denied(id, 'handle not open for reading');
    if (offset >= h.file.size) return status(id, STATUS_CODE.EOF);
    let c = h.cache;
    if (!c || offset < c.pos || offset >= c.pos + c.data.length) {
      c = await chunkAt(ctx.db, h.file.id, offset);
      if (!c) return status(id, STATUS_CODE.EOF);
      h.cache = c;
    }
    const from = offset - c.pos;
    const slice = c.data.subarray(from, from + Math.min(length, MAX_READ));
    send(() => sftp.data(id, slice));
  });

  on('WRITE', async (id, buf: Buffer, offset: number, data: Buffer) => {
    const [, h] = handleOf(buf);
    if (!h) return status(id, STATUS_CODE.FAILURE, 'invalid handle');
    if (h.kind !== 'write') return denied(id, 'handle not open for writing');
    try {
      await h.writer.write(offset, data);
      status(id, STATUS_CODE.OK);
    } catch (err) {
      if (err instanceof FileTooLargeError) return status(id, STATUS_CODE.FAILURE, err.message);
      throw err;
    }
  });

  on('FSTAT', (id, buf: Buffer) => {
    const [, h] = handleOf(buf);
    if (!h) return status(id, STATUS_CODE.FAILURE, 'invalid handle');
    if (h.kind === 'read') return send(() => sftp.attrs(id, fileAttrs(h.file)));
    if (h.kind === 'write') {
      const now = Math.floor(ctx.clock.now().getTime() / 1000);
      return send(() => sftp.attrs(id, { mode: fs.constants.S_IFREG | 0o644, uid: 0, gid: 0, size: h.writer.bytesWritten, atime: now, mtime: now }));
    }
    const v = h.vpath;
    send(() => sftp.attrs(id, dirAttrs(v.kind === 'dir' && v.folder === 'Assortment', startedAt)));
  });

  // Clients set times/modes after an upload (`put -p`): accepted and ignored on our own uploads.
  on('FSETSTAT', (id, buf: Buffer) => {
    const [, h] = handleOf(buf);
    if (!h) return status(id, STATUS_CODE.FAILURE, 'invalid handle');
    if (h.kind !== 'write') return denied(id, 'read-only');
    status(id, STATUS_CODE.OK);
  });
  on('SETSTAT', async (id, path: string) => {
    const v = resolvePath(path);
    if (v.kind === 'denied') return denied(id, v.reason);
    if (v.kind !== 'file' || v.folder !== 'Assortment') return denied(id, 'read-only');
    const exists = await statOf(v);
    status(id, exists ? STATUS_CODE.OK : STATUS_CODE.NO_SUCH_FILE, exists ? undefined : 'no such file');
  });

  on('CLOSE', async (id, buf: Buffer) => {
    const [n, h] = handleOf(buf);
    if (!h) return status(id, STATUS_CODE.FAILURE, 'invalid handle');
    handles.delete(n);
    if (h.kind !== 'write') return status(id, STATUS_CODE.OK);
    try {
      // Answered only once the file is stored and handed to processing.
      const file = await h.writer.close();
      log.info({ file: file.name, size: file.size }, 'sftp upload stored');
      status(id, STATUS_CODE.OK);
    } catch (err) {
      if (err instanceof FileTooLargeError) return status(id, STATUS_CODE.FAILURE, `${err.message}; the upload was discarded`);
      throw err;
    }
  });

  // The client sent EOF: close our side too, or its ssh process waits forever for the channel to close.
  sftp.on('end', () => send(() => sftp.end()));

  const refuse = (what: string) => (id: number) => denied(id, `${what} is not allowed: upload files into Assortment/`);
  on('REMOVE', refuse('removing files'));
  on('RENAME', refuse('renaming files'));
  on('MKDIR', refuse('creating directories'));
  on('RMDIR', refuse('removing directories'));
  on('SYMLINK', (id) => status(id, STATUS_CODE.OP_UNSUPPORTED, 'symbolic links are not supported'));
  on('READLINK', (id) => status(id, STATUS_CODE.OP_UNSUPPORTED, 'symbolic links are not supported'));
  on('EXTENDED', (id) => status(id, STATUS_CODE.OP_UNSUPPORTED, 'extension not supported'));

  return async () => {
    const writers = [...handles.values()].filter((h): h is Extract<Handle, { kind: 'write' }> => h.kind === 'write');
    handles.clear();
    await Promise.all(writers.map((w) => w.writer.abort().catch((err) => log.error({ err }, 'discarding an unfinished upload failed'))));
  };
}

export type { Folder };
