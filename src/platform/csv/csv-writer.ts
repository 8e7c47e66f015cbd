/**
 * The one CSV writer for every file we hand out (SFTP results files, job results and exports, the
 * portal's order export, the CLI's error file): RFC 4180 lines ending in CRLF, and text cells that
 * a spreadsheet would run as a formula (CSV injection: starting with = + - @ tab or CR) prefixed
 * with an apostrophe. A cell that is just a number (-12, -0.5) is left alone: a spreadsheet reads
 * it as that number and runs nothing; "-1+2" or "-2*A1" is a formula and gets the apostrophe.
 */

const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^-?\d+(\.\d+)?$/;
const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;

/** The text of a cell, neutralised: what the writer puts between the commas (before quoting). */
export function csvText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  const text = String(value);
  // First character checked by code (= + - @ tab CR): the regexes run only for those (hot in million-row results).
  const c = text.charCodeAt(0);
  if (c !== 61 && c !== 43 && c !== 45 && c !== 64 && c !== 9 && c !== 13) return text;
  return FORMULA_START.test(text) && !PLAIN_NUMBER.test(text) ? `'${text}` : text;
}

export interface CsvOptions {
  /** Quote every cell (the portal's export does: spreadsheets then never guess a type). Default: only when needed. */
  quoteAll?: boolean;
}

/** One cell: neutralised, quoted when it needs it (or always, with quoteAll). */
export function csvField(value: unknown, options: CsvOptions = {}): string {
  const text = csvText(value);
  return options.quoteAll || NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One CSV line, CRLF-terminated. */
export function csvLine(values: readonly unknown[], options: CsvOptions = {}): string {
  let line = '';
  for (let i = 0; i < values.length; i++) line += (i ? ',' : '') + csvField(values[i], options);
  return `${line}\r\n`;
}
