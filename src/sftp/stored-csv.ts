import type { Executor } from '../db/database.js';
import { indexColumns, type ColumnIndex } from './csv/columns.js';
import { preflightCsv } from './csv/csv-preflight.js';
import { CsvRecordReader, type CsvHeader, type CsvItem } from './csv/csv-reader.js';
import { fileScope, type FileScope, type VendorDirectory } from './csv/file-scope.js';
import { typeRow, type TypedRow } from './csv/rows.js';
import { chunkFrom, readFileChunks, type SftpFile } from './sftp-files.repository.js';

/** Byte-level checks of a stored upload (see preflightCsv), read through `db` (e.g. a job's transaction). */
export async function preflightStoredCsv(db: Executor, file: SftpFile, opts: { maxLineBytes: number }): Promise<void> {
  await preflightCsv(readFileChunks(db, file.id), opts);
}

/**
 * Typed rows of a stored CSV upload, pulled on demand: each take() reads the chunks it needs through
 * the executor it is given (a job step's transaction), never ahead of time, and holds at most one
 * stored chunk plus the rows it parsed from it. Whole-file problems throw CsvFileError from open().
 */
export class StoredCsvRows {
  private queue: CsvItem[] = [];
  private nextPos = 0;
  private eof = false;
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

  static async open(db: Executor, file: SftpFile, directory: VendorDirectory, opts: { maxLineBytes: number }): Promise<StoredCsvRows> {
    const reader = new CsvRecordReader(opts.maxLineBytes);
    const queue: CsvItem[] = [];
    let nextPos = 0;
    let eof = false;
    while (!reader.header) {
      const chunk = await chunkFrom(db, file.id, nextPos);
      if (!chunk) {
        queue.push(...reader.feed(undefined));
        eof = true;
        break;
      }
      nextPos = chunk.pos + chunk.data.length;
      queue.push(...reader.feed(chunk.data));
    }
    const header = reader.header!;
    const scope = fileScope(file.name, header, directory);
    const index = indexColumns(header, scope);
    const rows = new StoredCsvRows(file, directory, reader, header, scope, index);
    rows.queue = queue;
    rows.nextPos = nextPos;
    rows.eof = eof;
    return rows;
  }

  /** Stores a multi-vendor row may expand to (sizes a job step). */
  get fanOut(): number {
    return this.scope.kind === 'single' ? 1 : Math.max(1, this.directory.vendors.length);
  }

  get done(): boolean {
    return this.eof && this.queue.length === 0;
  }

  private async fill(db: Executor): Promise<void> {
    while (this.queue.length === 0 && !this.eof) {
      const chunk = await chunkFrom(db, this.file.id, this.nextPos);
      if (!chunk) {
        this.eof = true;
        this.queue = this.reader.feed(undefined);
        return;
      }
      this.nextPos = chunk.pos + chunk.data.length;
      this.queue = this.reader.feed(chunk.data);
    }
  }

  private type(item: CsvItem): TypedRow {
    if (item.type === 'bad_record') return { kind: 'error', line: item.line, vendorRefs: '', sku: undefined, barcode: undefined, code: 'UNREADABLE_ROW', message: item.message };
    return typeRow(item.cells, item.line, this.index, this.header.columns.length, this.header.delimiter, this.scope, this.directory);
  }

  /** Up to `max` next rows ([] at the end of the file). */
  async take(db: Executor, max: number): Promise<TypedRow[]> {
    const out: TypedRow[] = [];
    while (out.length < max) {
      await this.fill(db);
      if (this.queue.length === 0) break;
      const n = Math.min(max - out.length, this.queue.length);
      const items = this.queue.splice(0, n);
      for (const item of items) out.push(this.type(item));
    }
    this.consumed += out.length;
    return out;
  }

  /** Skips `n` rows without typing them (resuming a job on another node or after a restart). */
  async skip(db: Executor, n: number): Promise<void> {
    let left = n;
    while (left > 0) {
      await this.fill(db);
      if (this.queue.length === 0) break;
      const k = Math.min(left, this.queue.length);
      this.queue.splice(0, k);
      left -= k;
      this.consumed += k;
    }
  }
}
