/**
 * CSV cells safe to open in a spreadsheet: a cell starting with = + - @ tab or CR would be read as a
 * formula (CSV injection), so it gets a leading apostrophe; every cell is quoted.
 */
export function csvCell(value: unknown): string {
  let s = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return `"${s.replace(/"/g, '""')}"`;
}

/** One CSV line (CRLF-terminated, RFC 4180). */
export function csvLine(values: unknown[]): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}
