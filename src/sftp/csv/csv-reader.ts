import { parse, type CsvError } from 'csv-parse';
import { Readable } from 'node:stream';

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

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** Index of the first byte that breaks UTF-8 in `buf` (sequences cut at the end count as valid). */
function firstInvalidUtf8(buf: Buffer): number {
  let i = 0;
  while (i < buf.length) {
    const b = buf[i]!;
    let need = 0;
    if (b < 0x80) need = 0;
    else if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) need = 2;
    else if (b >= 0xf0 && b <= 0xf4) need = 3;
    else return i;
    for (let k = 1; k <= need; k++) {
      if (i + k >= buf.length) return -1;
      if ((buf[i + k]! & 0xc0) !== 0x80) return i;
    }
    i += need + 1;
  }
  return -1;
}

function countNewlines(buf: Buffer, end: number): number {
  let n = 0;
  let at = buf.indexOf(10);
  while (at !== -1 && at < end) {
    n++;
    at = buf.indexOf(10, at + 1);
  }
  return n;
}

export interface PreflightResult {
  bytes: number;
  lines: number;
}

/**
 * Byte-level checks over the whole file before any row is applied, so a file that is not a CSV we
 * can read is refused as a whole (nothing half-applied): empty, not UTF-8 (e.g. a Latin-1 or Excel
 * export), or a physical line longer than `maxLineBytes` (e.g. a 10 MB line). Streams; memory flat.
 */
export async function preflightCsv(source: AsyncIterable<Buffer>, opts: { maxLineBytes: number }): Promise<PreflightResult> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let bytes = 0;
  let line = 1;
  let lineLen = 0;
  let first = true;
  let meaningful = false;
  for await (let chunk of source) {
    if (first && chunk.length) {
      if (chunk.subarray(0, 3).equals(BOM)) chunk = chunk.subarray(3);
      first = false;
    }
    try {
      decoder.decode(chunk, { stream: true });
    } catch {
      const at = Math.max(0, firstInvalidUtf8(chunk));
      throw new CsvFileError('INVALID_ENCODING', `The file is not valid UTF-8 (first invalid byte on line ${line + countNewlines(chunk, at)}); save it as "CSV UTF-8"`);
    }
    if (!meaningful && /[^\s]/.test(chunk.toString('latin1'))) meaningful = true;
    let from = 0;
    for (;;) {
      const nl = chunk.indexOf(10, from);
      const segment = (nl === -1 ? chunk.length : nl) - from;
      lineLen += segment;
      if (lineLen > opts.maxLineBytes) throw new CsvFileError('LINE_TOO_LONG', `Line ${line} is longer than ${opts.maxLineBytes} bytes`);
      if (nl === -1) break;
      line++;
      lineLen = 0;
      from = nl + 1;
    }
    bytes += chunk.length;
  }
  try {
    decoder.decode();
  } catch {
    throw new CsvFileError('INVALID_ENCODING', `The file is not valid UTF-8 (it ends inside a character on line ${line}); save it as "CSV UTF-8"`);
  }
  if (!meaningful) throw new CsvFileError('EMPTY_FILE', 'The file is empty');
  return { bytes, lines: line };
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

/** Reads ahead until the first non-blank line is buffered; returns it with everything read so far. */
async function readHead(it: AsyncIterator<Buffer>, maxLineBytes: number): Promise<{ head: Buffer; firstLine: string; done: boolean }> {
  const parts: Buffer[] = [];
  let len = 0;
  for (;;) {
    const head = Buffer.concat(parts, len);
    const text = head.toString('utf8').replace(/^\uFEFF/, '');
    const m = /^[\s]*([^\r\n]*\S[^\r\n]*)\r?\n/.exec(text);
    if (m) return { head, firstLine: m[1]!, done: false };
    if (len > maxLineBytes) throw new CsvFileError('LINE_TOO_LONG', `Line 1 is longer than ${maxLineBytes} bytes`);
    const next = await it.next();
    if (next.done) {
      const last = text.trim();
      if (!last) throw new CsvFileError('EMPTY_FILE', 'The file is empty');
      return { head, firstLine: text.split(/\r?\n/).find((l) => l.trim()) ?? '', done: true };
    }
    parts.push(next.value);
    len += next.value.length;
  }
}

/**
 * Streams a CSV file: the header (delimiter detected from it) first, then every record with its line
 * number. Quotes, a UTF-8 BOM and CRLF are handled by csv-parse; blank lines are skipped; a record the
 * parser cannot read becomes a `bad_record` item and parsing continues with the next one.
 */
export async function readCsv(source: AsyncIterable<Buffer>, opts: { maxLineBytes: number }): Promise<{ header: CsvHeader; items: AsyncGenerator<CsvItem> }> {
  const it = source[Symbol.asyncIterator]();
  const { head, firstLine, done } = await readHead(it, opts.maxLineBytes);
  const delimiter = detectDelimiter(firstLine);
  const parser = parse({
    delimiter,
    bom: true,
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    // A stray quote inside a value (`12"`, `"B"x`) is kept as text instead of swallowing the next lines.
    relax_quotes: true,
    max_record_size: opts.maxLineBytes,
    info: true,
  });
  const bad: CsvItem[] = [];
  let lastBadLine = -1;
  parser.on('skip', (err: CsvError & { lines?: number }) => {
    const line = err.lines ?? parser.info.lines;
    if (line === lastBadLine) return;
    lastBadLine = line;
    bad.push({ type: 'bad_record', line, message: err.message.replace(/^Invalid [^:]*:\s*/, '') });
  });
  async function* feed(): AsyncGenerator<Buffer> {
    yield head;
    if (done) return;
    for (;;) {
      const next = await it.next();
      if (next.done) return;
      yield next.value;
    }
  }
  const input = Readable.from(feed(), { objectMode: false });
  input.on('error', (err) => parser.destroy(err));
  input.pipe(parser);

  let header: CsvHeader | undefined;
  const records = parser[Symbol.asyncIterator]() as AsyncIterator<{ record: string[]; info: { lines: number } }>;
  const firstRecord = await records.next();
  if (firstRecord.done) throw new CsvFileError('EMPTY_FILE', 'The file is empty');
  header = { delimiter, columns: firstRecord.value.record.map((c) => c.trim().toLowerCase()), line: firstRecord.value.info.lines };

  async function* items(): AsyncGenerator<CsvItem> {
    try {
      for (;;) {
        const next = await records.next();
        // Skipped records are reported in file order, before the record that follows them.
        const line = next.done ? Infinity : next.value.info.lines;
        while (bad.length && bad[0]!.line < line) yield bad.shift()!;
        if (next.done) return;
        yield { type: 'record', line, cells: next.value.record };
      }
    } catch (err) {
      throw new CsvFileError('UNREADABLE_CSV', `The file could not be read as CSV: ${(err as Error).message}`);
    } finally {
      input.destroy();
      parser.destroy();
    }
  }
  return { header, items: items() };
}
