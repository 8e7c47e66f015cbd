import type { Executor } from '../db/database.js';
import { indexColumns, type ColumnIndex } from './csv/columns.js';
import { preflightCsv } from './csv/csv-preflight.js';
import { CsvRecordReader, type CsvHeader, type CsvItem } from './csv/csv-reader.js';
import { fileScope, type FileScope, type VendorDirectory } from './csv/file-scope.js';
import { typeItem, type TypedRow } from './csv/rows.js';
import { chunkFrom, readFileChunks, type SftpFile } from './sftp-files.repository.js';

/** Byte-level checks of a stored upload (see preflightCsv), read through `db` (e.g. a job's transaction). */
export async function preflightStoredCsv(db: Executor, file: SftpFile, opts: { maxLineBytes: number }): Promise<void> {
  await preflightCsv(readFileChunks(db, file.id), opts);
}

/**
 * Bytes handed to the CSV reader at a time. A stored chunk is 1 MB (≈ 40,000 short rows): parsing it
 * whole kept every record of it alive across several job steps, which V8 promoted to its old space and
 * grew the heap for; a slice of this size holds about one step's rows at most.
 */
const FEED_BYTES = 64 * 1024;

interface FeedState {
  buf: Buffer | undefined;
  bufAt: number;
  nextPos: number;
  eof: boolean;
}

/**
 * Typed rows of a stored CSV upload, pulled on demand: each take() reads the chunks it needs through
 * the executor it is given (a job step's transaction), never ahead of time, and holds at most one
 * stored chunk plus the records parsed from one FEED_BYTES slice of it. Whole-file problems throw
 * CsvFileError from open().
 */
export class StoredCsvRows {
  private queue: CsvItem[] = [];
  /** Items of `queue` before this index were handed out (no splice from the front per take). */
  private head = 0;
  /** The stored chunk being parsed, how much of it was fed to the reader, the next chunk's position. */
  private at: FeedState = { buf: undefined, bufAt: 0, nextPos: 0, eof: false };
  /** Typed rows handed out so far (the resume point of a job). */
  consumed = 0;

  private constructor(
    private readonly file: SftpFile,
    private readonly directory: VendorDirectory,
    private readonly reader: CsvRecordReader,
    readonly header: CsvHeader,
    readonly scope: FileScope,
    private readonly index: ColumnIndex,
  ) {}

  /** Feeds the reader its next slice (reading the next stored chunk when needed); items complete so far. */
  private static async feedNext(db: Executor, fileId: string, reader: CsvRecordReader, at: FeedState): Promise<CsvItem[]> {
    if (!at.buf || at.bufAt >= at.buf.length) {
      const chunk = await chunkFrom(db, fileId, at.nextPos);
      if (!chunk) {
        at.eof = true;
        at.buf = undefined;
        return reader.feed(undefined);
      }
      at.nextPos = chunk.pos + chunk.data.length;
      at.buf = chunk.data;
      at.bufAt = 0;
    }
    const end = Math.min(at.buf.length, at.bufAt + FEED_BYTES);
    const items = reader.feed(at.buf.subarray(at.bufAt, end));
    at.bufAt = end;
    return items;
  }

  static async open(db: Executor, file: SftpFile, directory: VendorDirectory, opts: { maxLineBytes: number }): Promise<StoredCsvRows> {
    const reader = new CsvRecordReader(opts.maxLineBytes);
    const at: FeedState = { buf: undefined, bufAt: 0, nextPos: 0, eof: false };
    const queue: CsvItem[] = [];
    while (!reader.header && !at.eof) queue.push(...(await StoredCsvRows.feedNext(db, file.id, reader, at)));
    const header = reader.header!;
    const scope = fileScope(file.name, header, directory);
    const index = indexColumns(header, scope);
    const rows = new StoredCsvRows(file, directory, reader, header, scope, index);
    rows.queue = queue;
    rows.at = at;
    return rows;
  }

  /** Stores a multi-vendor row may expand to (sizes a job step). */
  get fanOut(): number {
    return this.scope.kind === 'single' ? 1 : Math.max(1, this.directory.vendors.length);
  }

  get done(): boolean {
    return this.at.eof && this.head >= this.queue.length;
  }

  private async fill(db: Executor): Promise<void> {
    while (this.head >= this.queue.length && !this.at.eof) {
      this.head = 0;
      this.queue = await StoredCsvRows.feedNext(db, this.file.id, this.reader, this.at);
    }
  }

  private type(item: CsvItem): TypedRow {
    return typeItem(item, this.header, this.index, this.scope, this.directory);
  }

  /** Up to `max` next rows ([] at the end of the file). */
  async take(db: Executor, max: number): Promise<TypedRow[]> {
    const out: TypedRow[] = [];
    while (out.length < max) {
      await this.fill(db);
      const end = Math.min(this.head + max - out.length, this.queue.length);
      if (this.head >= end) break;
      for (; this.head < end; this.head++) out.push(this.type(this.queue[this.head]!));
    }
    this.consumed += out.length;
    return out;
  }

  /** Skips `n` rows without typing them (resuming a job on another node or after a restart). */
  async skip(db: Executor, n: number): Promise<void> {
    let left = n;
    while (left > 0) {
      await this.fill(db);
      const k = Math.min(left, this.queue.length - this.head);
      if (k <= 0) break;
      this.head += k;
      left -= k;
      this.consumed += k;
    }
  }
}
