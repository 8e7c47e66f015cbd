import { csvField, csvLine } from '../../platform/csv/csv-writer.js';

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

export function resultHeader(): string {
  return csvLine(RESULT_COLUMNS);
}

/** One results line, through the one CSV writer (formulas neutralised). */
export function formatResultLine(r: ResultLine): string {
  return csvLine([r.row, r.vendor, r.sku, r.barcode, r.kind, r.status, r.message]);
}

/** One result of a processed file, as the job stores it (job_results) and writes it (the results CSV). */
export interface StepResult {
  row: number;
  vendor: string;
  sku: string;
  barcode: string;
  kind: string;
  result: string;
  message?: string;
}

/** Columns of a stored result chunk (jobs.repository's `{"columns":[…],"rows":[[…],…]}` format). */
const STORED_COLUMNS = JSON.stringify(['row', 'vendor', 'sku', 'barcode', 'kind', 'result', 'message']);
const PLAIN_CSV = 1;
const PLAIN_JSON = 2;

/**
 * Whether a cell can be written without the general paths: bit 1 — csvField would give it unchanged
 * (printable ASCII without `"` or `,`, not starting with = + - @ and without leading or trailing
 * space); bit 2 — JSON quotes it as `"…"` (printable ASCII without `"` or `\`). Anything else (e.g.
 * non-ASCII text) takes csvField / JSON.stringify: the output is the same either way.
 */
function plainness(s: string): number {
  const n = s.length;
  let csv = PLAIN_CSV;
  if (n) {
    const first = s.charCodeAt(0);
    if (first === 61 || first === 43 || first === 45 || first === 64 || first === 32 || s.charCodeAt(n - 1) === 32) csv = 0;
  }
  for (let k = 0; k < n; k++) {
    const c = s.charCodeAt(k);
    if (c < 32 || c > 126 || c === 34 || c === 92) return 0;
    if (c === 44) csv = 0;
  }
  return csv | PLAIN_JSON;
}

/**
 * One step's results in both of their stored forms, in one pass and without an object or array per
 * result: the results CSV lines (exactly formatResultLine's, header first when asked) and the
 * job_results chunk text (what encodeResults gives for these results: decodeResults reads it back to
 * the same objects). Also the per-code counts and how many are not in `ok`.
 */
export function encodeStepResults(
  results: readonly StepResult[],
  withHeader: boolean,
  ok: ReadonlySet<string>,
): { csv: string; json: string; errors: number; counts: Record<string, number> } {
  let csv = withHeader ? resultHeader() : '';
  let json = `{"columns":${STORED_COLUMNS},"rows":[`;
  const counts: Record<string, number> = {};
  let errors = 0;
  let line = '';
  let row = '';
  const cell = (v: unknown) => {
    const p = typeof v === 'string' ? plainness(v) : 0;
    line += ',' + (p & PLAIN_CSV ? (v as string) : csvField(v));
    row += ',' + (p & PLAIN_JSON ? `"${v as string}"` : JSON.stringify(v ?? null));
  };
  for (let i = 0; i < results.length; i++) {
    const r = results[i]!;
    counts[r.result] = (counts[r.result] ?? 0) + 1;
    if (!ok.has(r.result)) errors++;
    line = String(r.row);
    row = (i ? ',[' : '[') + String(r.row);
    cell(r.vendor);
    cell(r.sku);
    cell(r.barcode);
    cell(r.kind);
    cell(r.result);
    const m = r.message;
    if (m === undefined) line += ',';
    else cell(m);
    csv += line + '\r\n';
    json += row + ']';
  }
  return { csv, json: json + ']}', errors, counts };
}
