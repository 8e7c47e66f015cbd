import type { Executor, Trx } from '../db/database.js';
import { CHUNK_BYTES, createFile, insertChunk, sealFile, type Folder, type SftpFile } from './sftp-files.repository.js';

/**
 * A file the platform writes (results), piece by piece through whichever executor the caller is in
 * (e.g. a job step's transaction): pieces are gathered up to CHUNK_BYTES and stored as chunk rows, then
 * close() seals the file, replacing an older file of the same name. Memory: one chunk.
 */
export class FileSink {
  private parts: Buffer[] = [];
  private partsLen = 0;
  private pos = 0;
  private seq = 0;

  private constructor(readonly file: SftpFile) {}

  static async open(db: Executor, input: { chainId: string; folder: Folder; name: string; now: Date }): Promise<FileSink> {
    return new FileSink(await createFile(db, { ...input, uploadedBy: null }));
  }

  async write(db: Executor, piece: Buffer | string): Promise<void> {
    const buf = typeof piece === 'string' ? Buffer.from(piece, 'utf8') : piece;
    this.parts.push(buf);
    this.partsLen += buf.length;
    if (this.partsLen >= CHUNK_BYTES) await this.flush(db);
  }

  private async flush(db: Executor): Promise<void> {
    if (!this.partsLen) return;
    const data = Buffer.concat(this.parts, this.partsLen);
    this.parts = [];
    this.partsLen = 0;
    await insertChunk(db, this.file.id, this.pos, this.seq++, data);
    this.pos += data.length;
  }

  async close(trx: Trx, now: Date): Promise<SftpFile> {
    await this.flush(trx);
    return sealFile(trx, this.file, this.pos, now);
  }
}

