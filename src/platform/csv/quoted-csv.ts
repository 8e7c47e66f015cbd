import { csvField, csvLine as sharedCsvLine } from './csv-writer.js';

/** The portal's CSV cells: the one writer (platform/csv/csv-writer.ts) with every cell quoted. */
export function csvCell(value: unknown): string {
  return csvField(value, { quoteAll: true });
}

/** One CSV line of a portal export (CRLF-terminated, RFC 4180, every cell quoted). */
export function csvLine(values: unknown[]): string {
  return sharedCsvLine(values, { quoteAll: true });
}
