import type { AppContext } from '../platform/context.js';
import { afterUploadCommitted, onUploadClosed } from './on-upload-closed.js';
import { FileSink } from './sftp-file-sink.js';
import { CHUNK_BYTES, createFile, deleteFiles, insertChunk, sealFile, storedUploadBytes, touchFile, type Folder, type SftpFile } from './sftp-files.repository.js';

export { FileSink };

/** A write past the per-file cap: the upload is refused and discarded. */
export class FileTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`file exceeds the ${maxBytes}-byte limit`);
  }
}

/** An upload past the login's storage quota (SFTP_QUOTA_BYTES): refused at open, or at the write that crosses it, and discarded. */
export class QuotaExceededError extends FileTooLargeError {
  readonly code = 'QUOTA_EXCEEDED';
  constructor(quotaBytes: number, usedBytes: number) {
    super(quotaBytes);
    this.message = `QUOTA_EXCEEDED: this login's uploads may take ${quotaBytes} bytes and ${usedBytes} are stored; processed uploads are deleted after SFTP_UPLOAD_RETENTION_HOURS, or ask the operator for a larger quota`;
  }
}

/**
 * The most an upload into the chain's Assortment/ may write: the per-file cap, or what is left of the
 * quota (the file it replaces does not count). Throws QuotaExceededError when nothing is left.
 */
export async function uploadAllowance(ctx: AppContext, chainId: string, name: string): Promise<{ maxBytes: number; quota?: { bytes: number; used: number } }> {
  const quota = ctx.config.sftpQuotaBytes;
  if (quota <= 0) return { maxBytes: ctx.config.sftpMaxFileBytes };
  const used = await storedUploadBytes(ctx.db, chainId, name);
  if (used >= quota) throw new QuotaExceededError(quota, used);
  return quota - used < ctx.config.sftpMaxFileBytes ? { maxBytes: quota - used, quota: { bytes: quota, used } } : { maxBytes: ctx.config.sftpMaxFileBytes };
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
    private readonly quota?: { bytes: number; used: number },
  ) {}

  /** Starts an upload into a folder of a chain (invisible until close()). Throws QuotaExceededError when the login's quota is used up. */
  static async open(ctx: AppContext, input: { chainId: string; folder: Folder; name: string; uploadedBy: string | null }): Promise<UploadWriter> {
    const allowance = await uploadAllowance(ctx, input.chainId, input.name);
    const file = await createFile(ctx.db, { ...input, now: ctx.clock.now() });
    return new UploadWriter(ctx, file, allowance.maxBytes, allowance.quota);
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
        this.failure = this.quota ? new QuotaExceededError(this.quota.bytes, this.quota.used) : new FileTooLargeError(this.maxBytes);
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

/**
 * A file uploaded another way than SFTP (the portal): stored in Assortment/ piece by piece, then sealed
 * and handed to processing in one transaction — the same job, results file and webhook as an SFTP
 * upload. Past SFTP_MAX_FILE_BYTES, or when the source fails, nothing is left behind.
 */
export async function storeUpload(ctx: AppContext, input: { chainId: string; name: string; actor: string }, source: AsyncIterable<Buffer | string>): Promise<{ file: SftpFile; jobId: string }> {
  const allowance = await uploadAllowance(ctx, input.chainId, input.name);
  const max = allowance.maxBytes;
  const sink = await FileSink.open(ctx.db, { chainId: input.chainId, folder: 'Assortment', name: input.name, now: ctx.clock.now() });
  try {
    let size = 0;
    for await (const piece of source) {
      size += typeof piece === 'string' ? Buffer.byteLength(piece) : piece.length;
      if (size > max) throw allowance.quota ? new QuotaExceededError(allowance.quota.bytes, allowance.quota.used) : new FileTooLargeError(max);
      await sink.write(ctx.db, piece);
    }
    const out = await ctx.db.transaction().execute(async (trx) => {
      const file = await sink.close(trx, ctx.clock.now());
      const job = await onUploadClosed(ctx, trx, file, input.actor);
      return { file, jobId: job.id };
    });
    afterUploadCommitted(ctx, out.file);
    return out;
  } catch (err) {
    await deleteFiles(ctx.db, [sink.file.id]).catch(() => undefined);
    throw err;
  }
}
