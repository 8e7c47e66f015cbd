import type { Attributes, FileEntry, SFTPWrapper } from 'ssh2';
import type { AppContext } from '../platform/context.js';
import { dirAttrs, fileAttrs } from './sftp-attrs.js';
import { findSealedFile, type SftpFile } from './sftp-files.repository.js';
import type { UploadWriter } from './sftp-files.service.js';
import type { VPath } from './vfs.js';

// SFTP v3 status codes and open flags (draft-ietf-secsh-filexfer-02), as ssh2.utils.sftp has them;
// spelled out so that loading this module does not load ssh2 (the CLI never needs it).
export const STATUS_CODE = { OK: 0, EOF: 1, NO_SUCH_FILE: 2, PERMISSION_DENIED: 3, FAILURE: 4, OP_UNSUPPORTED: 8 } as const;
export const OPEN_MODE = { READ: 0x01, WRITE: 0x02, APPEND: 0x04, CREAT: 0x08, TRUNC: 0x10, EXCL: 0x20 } as const;

/** Who is connected: the chain whose virtual file system this session sees. */
export interface SftpLoginInfo {
  userId: string;
  chainId: string;
  username: string;
}

export type Handle =
  | { kind: 'dir'; entries: FileEntry[] | undefined; cursor: number; vpath: VPath }
  | { kind: 'read'; file: SftpFile; cache: { pos: number; data: Buffer } | undefined }
  | { kind: 'write'; writer: UploadWriter };

const MAX_HANDLES = 64;

/** One SFTP channel: its open handles and the helpers every request handler answers through. */
export class SftpChannel {
  readonly log: AppContext['log'];
  /** When the session started: the time directories show. */
  readonly startedAt: number;
  private readonly handles = new Map<number, Handle>();
  private nextHandle = 1;

  constructor(
    readonly ctx: AppContext,
    readonly login: SftpLoginInfo,
    readonly sftp: SFTPWrapper,
    private readonly onActivity: () => void,
  ) {
    this.log = ctx.log.child({ sftpUser: login.username });
    this.startedAt = Math.floor(ctx.clock.now().getTime() / 1000);
  }

  send(fn: () => void): void {
    try {
      fn();
    } catch {
      // The channel closed under us: nobody is left to answer.
    }
  }

  status(id: number, code: number, message?: string): void {
    this.send(() => this.sftp.status(id, code, message));
  }

  denied(id: number, message: string): void {
    this.status(id, STATUS_CODE.PERMISSION_DENIED, message);
  }

  get handlesFull(): boolean {
    return this.handles.size >= MAX_HANDLES;
  }

  newHandle(h: Handle): Buffer | undefined {
    if (this.handlesFull) return undefined;
    const n = this.nextHandle++;
    this.handles.set(n, h);
    const buf = Buffer.alloc(4);
    buf.writeUInt32BE(n);
    return buf;
  }

  handleOf(buf: Buffer): [number, Handle | undefined] {
    if (buf.length !== 4) return [-1, undefined];
    const n = buf.readUInt32BE(0);
    return [n, this.handles.get(n)];
  }

  closeHandle(n: number): void {
    this.handles.delete(n);
  }

  /** Forgets every handle, returning the unfinished uploads among them. */
  dropHandles(): UploadWriter[] {
    const writers = [...this.handles.values()].filter((h): h is Extract<Handle, { kind: 'write' }> => h.kind === 'write');
    this.handles.clear();
    return writers.map((w) => w.writer);
  }

  /** Registers a request handler: activity is recorded, and a thrown error still answers FAILURE. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each ssh2 request event has its own argument list
  on(event: string, fn: (id: number, ...args: any[]) => void | Promise<void>): void {
    this.sftp.on(event as 'OPEN', (id: number, ...args: unknown[]) => {
      this.onActivity();
      const fail = (err: unknown) => {
        this.log.error({ err, op: event }, 'sftp request failed');
        this.status(id, STATUS_CODE.FAILURE, 'internal error');
      };
      try {
        const r = fn(id, ...(args as never[]));
        if (r) r.catch(fail);
      } catch (err) {
        fail(err);
      }
    });
  }

  async statOf(v: VPath): Promise<Attributes | undefined> {
    if (v.kind === 'root') return dirAttrs(false, this.startedAt);
    if (v.kind === 'dir') return dirAttrs(v.folder === 'Assortment', this.startedAt);
    if (v.kind === 'file') {
      const file = await findSealedFile(this.ctx.db, this.login.chainId, v.folder, v.name);
      return file && fileAttrs(file);
    }
    return undefined;
  }
}
