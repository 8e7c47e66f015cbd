/** One line of `results/<file>.result.csv`. */
export interface ResultLine {
  /** The record's line number in the uploaded file (0 for a whole-file refusal). */
  row: number;
  vendor: string;
  sku: string | undefined;
  barcode: string | undefined;
  kind: 'catalog' | 'promotion' | 'file' | '';
  status: string;
  message: string;
}

export const RESULT_COLUMNS = ['row', 'vendor', 'sku', 'barcode', 'kind', 'status', 'message'] as const;

/** The results file name for an upload. */
export function resultFileName(uploadName: string): string {
  return `${uploadName}.result.csv`;
}

const NEEDS_QUOTES = /[",\r\n]/;

/** RFC 4180 quoting; a leading = + - @ is prefixed with ' so spreadsheets do not run it as a formula. */
export function csvCell(value: string): string {
  let v = value;
  if (/^[=+\-@\t\r]/.test(v) && !/^-?\d/.test(v)) v = `'${v}`;
  return NEEDS_QUOTES.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

export function resultHeader(): string {
  return `${RESULT_COLUMNS.join(',')}\r\n`;
}

export function formatResultLine(r: ResultLine): string {
  return `${r.row},${csvCell(r.vendor)},${csvCell(r.sku ?? '')},${csvCell(r.barcode ?? '')},${r.kind},${csvCell(r.status)},${csvCell(r.message)}\r\n`;
}

/**
 * Builds the results text in pieces of about `pieceBytes`, so a million-row result is written as a
 * stream of chunks rather than one string.
 */
export class ResultsCsvBuffer {
  private parts: string[] = [];
  private size = 0;

  constructor(private readonly pieceBytes = 1024 * 1024) {
    this.add(resultHeader());
  }

  private add(text: string): void {
    this.parts.push(text);
    this.size += text.length;
  }

  push(r: ResultLine): void {
    this.add(formatResultLine(r));
  }

  /** A piece ready to store, when enough has accumulated (or everything, with `final`). */
  take(final = false): string | undefined {
    if (!this.size || (!final && this.size < this.pieceBytes)) return undefined;
    const text = this.parts.join('');
    this.parts = [];
    this.size = 0;
    return text;
  }
}
