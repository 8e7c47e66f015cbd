import { BOM, countNewlines, CsvFileError } from './csv-reader.js';

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

export interface PreflightResult {
  bytes: number;
  lines: number;
}

/**
 * Byte-level checks over the whole file before any row is applied, so a file that is not a CSV we
 * can read is refused as a whole (nothing half-applied): empty, not UTF-8 (e.g. a Latin-1 or Excel
 * export; lone surrogates are not UTF-8 either), with a NUL byte (INVALID_TEXT), or a physical line longer than `maxLineBytes` (e.g. a 10 MB line). Streams; memory flat.
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
    // The one text rule (http/text-guard.ts) for files too: a NUL byte cannot be stored as text.
    const nul = chunk.indexOf(0);
    if (nul !== -1) throw new CsvFileError('INVALID_TEXT', `The file contains a NUL byte (line ${line + countNewlines(chunk, nul)}); save it as "CSV UTF-8" text`);
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

