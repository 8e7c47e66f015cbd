import type { AppContext } from '../context.js';
import { afterUploadCommitted, onUploadClosed } from './on-upload-closed.js';
import { FileSink } from './sftp-file-sink.js';
import { CHUNK_BYTES, createFile, deleteFiles, insertChunk, sealFile, touchFile, type Folder, type SftpFile } from './sftp-files.repository.js';

export { FileSink };

/** A write past the per-file cap: the upload is refused and discarded. */
export class FileTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`file exceeds the ${maxBytes}-byte limit`);
  }
}

/**
 * One open upload. Writes land at the offsets the client sends; contiguous writes are coalesced in
 * memory up to CHUNK_BYTES and then stored as one chunk row, so memory per upload stays bounded.
 * Operations run one after another (the client pipelines requests; answers wait for their turn).
 */
export class UploadWriter {
  private pending: Buffer[] = [];
  private pendingStart = 0;
  private pendingLen = 0;
  private seq = 0;
  private size = 0;
  private queue: Promise<unknown> = Promise.resolve();
  private failure: Error | undefined;
  private lastTouch = 0;
  private done = false;

  private constructor(
    private readonly ctx: AppContext,
    readonly file: SftpFile,
    private readonly maxBytes: number,
  ) {}

  /** Starts an upload into a folder of a chain (invisible until close()). */
  static async open(ctx: AppContext, input: { chainId: string; folder: Folder; name: string; uploadedBy: string | null }): Promise<UploadWriter> {
    const file = await createFile(ctx.db, { ...input, now: ctx.clock.now() });
    return new UploadWriter(ctx, file, ctx.config.sftpMaxFileBytes);
  }

  get bytesWritten(): number {
    return this.size;
  }

  private run<T>(op: () => Promise<T>): Promise<T> {
    const next = this.queue.then(op);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Stores `data` at `offset`. Rejects with FileTooLargeError past the cap (and every write after). */
  write(offset: number, data: Buffer): Promise<void> {
    return this.run(async () => {
      if (this.failure) throw this.failure;
      if (this.done) throw new Error('upload already closed');
      if (offset + data.length > this.maxBytes) {
        this.failure = new FileTooLargeError(this.maxBytes);
        this.pending = [];
        this.pendingLen = 0;
        throw this.failure;
      }
      if (this.pendingLen > 0 && offset !== this.pendingStart + this.pendingLen) await this.flush();
      if (this.pendingLen === 0) this.pendingStart = offset;
      // Copy: the SSH layer may reuse the buffer it handed us.
      this.pending.push(Buffer.from(data));
      this.pendingLen += data.length;
      this.size = Math.max(this.size, offset + data.length);
      if (this.pendingLen >= CHUNK_BYTES) await this.flush();
    });
  }

  private async flush(): Promise<void> {
    if (this.pendingLen === 0) return;
    const data = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending, this.pendingLen);
    this.pending = [];
    this.pendingLen = 0;
    await insertChunk(this.ctx.db, this.file.id, this.pendingStart, this.seq++, data);
    // Keep the row fresh so the abandoned-upload sweeper leaves live uploads alone.
    const now = this.ctx.clock.now().getTime();
    if (now - this.lastTouch > 60_000) {
      this.lastTouch = now;
      await touchFile(this.ctx.db, this.file.id, new Date(now));
    }
  }

  /**
   * Stores what is left, seals the file and hands it to processing, all before resolving: once the
   * client sees its CLOSE answered, the file is durable. A failed upload is discarded and rejects.
   */
  close(): Promise<SftpFile> {
    return this.run(async () => {
      if (this.done) throw new Error('upload already closed');
      this.done = true;
      if (this.failure) {
        await deleteFiles(this.ctx.db, [this.file.id]);
        throw this.failure;
      }
      await this.flush();
      const sealed = await this.ctx.db.transaction().execute(async (trx) => {
        const file = await sealFile(trx, this.file, this.size, this.ctx.clock.now());
        await onUploadClosed(this.ctx, trx, file);
        return file;
      });
      afterUploadCommitted(this.ctx, sealed);
      return sealed;
    });
  }

  /** Discards an upload that will never be closed (connection lost). */
  abort(): Promise<void> {
    return this.run(async () => {
      if (this.done) return;
      this.done = true;
      this.pending = [];
      this.pendingLen = 0;
      await deleteFiles(this.ctx.db, [this.file.id]);
    });
  }
}

/** Writes a whole file from a stream (outside any transaction) and seals it; a failure leaves nothing. */
export async function storeFile(ctx: AppContext, input: { chainId: string; folder: Folder; name: string }, source: AsyncIterable<Buffer | string> | Iterable<Buffer | string>): Promise<SftpFile> {
  const sink = await FileSink.open(ctx.db, { ...input, now: ctx.clock.now() });
  try {
    for await (const piece of source) await sink.write(ctx.db, piece);
    return await ctx.db.transaction().execute((trx) => sink.close(trx, ctx.clock.now()));
  } catch (err) {
    await deleteFiles(ctx.db, [sink.file.id]).catch(() => undefined);
    throw err;
  }
}
