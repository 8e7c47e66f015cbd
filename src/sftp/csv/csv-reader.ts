import { Parser, type CsvError } from 'csv-parse';
import { parse as parseSync } from 'csv-parse/sync';

/** A reason to refuse a whole file, with a message a partner can act on. */
export class CsvFileError extends Error {
  constructor(
    readonly code: CsvFileErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'CsvFileError';
  }
}

export type CsvFileErrorCode =
  | 'EMPTY_FILE'
  | 'INVALID_ENCODING'
  | 'INVALID_TEXT'
  | 'LINE_TOO_LONG'
  | 'MISSING_HEADER'
  | 'WRONG_DELIMITER'
  | 'UNKNOWN_COLUMNS'
  | 'DUPLICATE_COLUMNS'
  | 'MISSING_COLUMNS'
  | 'INVALID_FILE_NAME'
  | 'VENDOR_NOT_FOUND'
  | 'CONFLICTING_SCOPE'
  | 'UNREADABLE_CSV';

export const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const EMPTY = Buffer.alloc(0);

/** Number of \n bytes in buf[0, end). */
export function countNewlines(buf: Buffer, end: number): number {
  let n = 0;
  let at = buf.indexOf(10);
  while (at !== -1 && at < end) {
    n++;
    at = buf.indexOf(10, at + 1);
  }
  return n;
}

/** The header line as read: trimmed, lower-cased cells and the delimiter found. */
export interface CsvHeader {
  delimiter: ',' | ';';
  columns: string[];
  /** The header's line number (1 unless blank lines precede it). */
  line: number;
}

export type CsvItem =
  | { type: 'record'; line: number; cells: string[] }
  /** A record the CSV parser could not read (e.g. a stray quote): reported, the others go on. */
  | { type: 'bad_record'; line: number; message: string };

/** `,` or `;`, whichever appears more often outside quotes in the first line (`,` when neither). */
export function detectDelimiter(firstLine: string): ',' | ';' {
  let commas = 0;
  let semis = 0;
  let quoted = false;
  for (const ch of firstLine) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch === ',') commas++;
    else if (!quoted && ch === ';') semis++;
  }
  return semis > commas ? ';' : ',';
}

interface ParseApi {
  parse(buf: Buffer | undefined, end: boolean, push: (rec: { record: string[]; info: { lines: number } }) => void, close: () => void): Error | undefined;
  /** Live counters; `lines` is the line the parser is on (the record's last line when it is pushed). */
  info: { lines: number };
}

/**
 * An incremental, synchronous CSV reader: feed it bytes as they come (from a stream or from stored
 * chunks read inside a job step) and take the items that are complete. The delimiter is detected from
 * the first line; quotes, a UTF-8 BOM and CRLF are handled by csv-parse; blank lines are skipped; a
 * record the parser cannot read becomes a `bad_record` item and parsing continues with the next one.
 * Synchronous on purpose: nothing reads ahead behind the caller's back (e.g. outside its transaction).
 */
export class CsvRecordReader {
  private api: ParseApi | undefined;
  private started = false;
  private head: Buffer[] = [];
  private headLen = 0;
  private out: CsvItem[] = [];
  private lastBadLine = -1;
  private ended = false;
  header: CsvHeader | undefined;

  constructor(private readonly maxLineBytes: number) {}

  private start(delimiter: ',' | ';'): ParseApi {
    // csv-parse's stream class wraps a synchronous parser (`api`); we drive that parser directly.
    const parser = new Parser({
      delimiter,
      bom: true,
      relax_column_count: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
      // A stray quote inside a value (`12"`, `"B"x`) is kept as text instead of swallowing the next lines.
      relax_quotes: true,
      max_record_size: this.maxLineBytes,
      // Per-record snapshot of the line counter (the live counter lags behind when a record is
      // pushed at the next chunk). Costly, but only quoted content takes this path.
      info: true,
      on_skip: (err: CsvError | undefined) => {
        if (!err) return;
        const line = ((err as CsvError & { lines?: number }).lines ?? 0) + this.lineOffset;
        if (line === this.lastBadLine) return;
        this.lastBadLine = line;
        this.out.push({ type: 'bad_record', line, message: err.message.replace(/^Invalid [^:]*:\s*/, '') });
      },
    });
    return (parser as unknown as { api: ParseApi }).api;
  }

  private push = (rec: { record: string[]; info: { lines: number } }): void => {
    this.out.push({ type: 'record', line: rec.info.lines + this.lineOffset, cells: rec.record });
  };

  private delimiter: ',' | ';' | undefined;

  private run(buf: Buffer | undefined, end: boolean): void {
    const err = this.api!.parse(buf, end, this.push, () => undefined);
    if (err) throw new CsvFileError('UNREADABLE_CSV', `The file could not be read as CSV: ${err.message}`);
  }

  /** Feeds the next bytes (`undefined` = end of file) and returns the items now complete. */
  feed(chunk: Buffer | undefined): CsvItem[] {
    if (this.ended) return [];
    if (!this.started) {
      if (chunk) {
        this.head.push(chunk);
        this.headLen += chunk.length;
      }
      const head = Buffer.concat(this.head, this.headLen);
      const bom = head.subarray(0, 3).equals(BOM) ? 3 : 0;
      const text = head.subarray(bom).toString('utf8');
      const m = /^\s*([^\r\n]*\S[^\r\n]*)\r?\n/.exec(text);
      if (!m && chunk) {
        if (this.headLen > this.maxLineBytes) throw new CsvFileError('LINE_TOO_LONG', `Line 1 is longer than ${this.maxLineBytes} bytes`);
        return [];
      }
      const firstLine = m ? m[1]! : text.trim();
      if (!firstLine) throw new CsvFileError('EMPTY_FILE', 'The file is empty');
      this.delimiter = detectDelimiter(firstLine);
      this.started = true;
      this.head = [];
      // The header line is parsed on its own; what follows takes the fast path when it can.
      const headerEnd = m ? bom + Buffer.byteLength(m[0], 'utf8') : head.length;
      const headerBytes = head.subarray(0, headerEnd);
      const [columns] = parseSync(headerBytes, { delimiter: this.delimiter, bom: true, relax_quotes: true, relax_column_count: true, skip_empty_lines: true }) as string[][];
      if (!columns) throw new CsvFileError('EMPTY_FILE', 'The file is empty');
      this.nextLine = 1 + countNewlines(headerBytes, headerBytes.length);
      this.header = { delimiter: this.delimiter, columns: columns.map((c) => c.trim().toLowerCase()), line: this.nextLine - 1 || 1 };
      const rest = head.subarray(headerEnd);
      if (rest.length) this.segment(rest);
      if (chunk) return this.take();
    } else if (chunk) {
      this.segment(chunk);
      return this.take();
    }
    this.ended = true;
    const tail = this.pending;
    this.pending = EMPTY;
    if (!this.csvMode && tail.length && tail.indexOf(34) === -1) this.fastLines(`${tail.toString('utf8')}\n`);
    else if (tail.length) {
      this.toCsvMode();
      this.run(tail, false);
    }
    if (this.api) this.run(undefined, true);
    if (!this.header) throw new CsvFileError('EMPTY_FILE', 'The file is empty');
    return this.take();
  }

  private pending: Buffer = EMPTY;
  private csvMode = false;
  /** Line number of the next byte not yet parsed (fast path), and csv-parse's offset to real lines. */
  private nextLine = 1;
  private lineOffset = 0;

  /**
   * Complete lines without any quote character are split directly (RFC 4180: no quotes means no
   * escaping, so a delimiter split is exact) — several times faster than csv-parse on the big
   * machine-made files. From the first quote on, everything goes through csv-parse.
   */
  private segment(chunk: Buffer): void {
    if (this.csvMode) {
      this.run(chunk, false);
      return;
    }
    const data = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    const lastNl = data.lastIndexOf(10);
    if (lastNl === -1) {
      if (data.length > this.maxLineBytes) throw new CsvFileError('LINE_TOO_LONG', `Line ${this.nextLine} is longer than ${this.maxLineBytes} bytes`);
      this.pending = data;
      return;
    }
    const complete = data.subarray(0, lastNl + 1);
    this.pending = data.subarray(lastNl + 1);
    if (complete.indexOf(34) !== -1) {
      const rest = this.pending;
      this.pending = EMPTY;
      this.toCsvMode();
      this.run(complete, false);
      if (rest.length) this.run(rest, false);
      return;
    }
    this.fastLines(complete.toString('utf8'));
  }

  private toCsvMode(): void {
    if (this.csvMode) return;
    this.csvMode = true;
    this.api = this.start(this.delimiter!);
    // csv-parse starts counting at 1 where we are now.
    this.lineOffset = this.nextLine - 1;
  }

  private fastLines(text: string): void {
    const delimiter = this.delimiter!;
    let start = 0;
    while (start < text.length) {
      const nl = text.indexOf('\n', start);
      let end = nl;
      if (end > start && text.charCodeAt(end - 1) === 13) end--;
      const line = this.nextLine++;
      if (end > start) this.out.push({ type: 'record', line, cells: text.slice(start, end).split(delimiter) });
      start = nl + 1;
    }
  }

  private take(): CsvItem[] {
    const items = this.out;
    this.out = [];
    return items;
  }
}

/** Streams a CSV: resolves once the header is read, with a generator of the records that follow. */
export async function readCsv(source: AsyncIterable<Buffer>, opts: { maxLineBytes: number }): Promise<{ header: CsvHeader; items: AsyncGenerator<CsvItem> }> {
  const reader = new CsvRecordReader(opts.maxLineBytes);
  const it = source[Symbol.asyncIterator]();
  let pending: CsvItem[] = [];
  let done = false;
  while (!reader.header) {
    const next = await it.next();
    if (next.done) {
      pending = reader.feed(undefined);
      done = true;
      break;
    }
    pending = reader.feed(next.value);
  }
  async function* items(): AsyncGenerator<CsvItem> {
    yield* pending;
    while (!done) {
      const next = await it.next();
      if (next.done) {
        done = true;
        yield* reader.feed(undefined);
      } else yield* reader.feed(next.value);
    }
  }
  return { header: reader.header!, items: items() };
}
