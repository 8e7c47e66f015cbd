import type { JobRowResult } from './jobs.types.js';

/**
 * A result chunk as stored: `{"columns":[…],"rows":[[…],…]}` — the field names once per chunk, each
 * result an array of values (null where a result lacks the field), about half the bytes of an array of
 * objects for the million-row files. Chunks stored earlier as a plain array of objects still read.
 */
export function encodeResults(results: readonly JobRowResult[]): string {
  const columns: string[] = [];
  const rows: Array<Array<string | number | null | undefined>> = new Array(results.length);
  for (let i = 0; i < results.length; i++) {
    const r = results[i]!;
    const keys = Object.keys(r);
    // Fast path: the fields are a prefix of the columns, in order (results of one job share a shape).
    let prefix = keys.length <= columns.length;
    for (let k = 0; prefix && k < keys.length; k++) prefix = keys[k] === columns[k];
    if (prefix) {
      rows[i] = Object.values(r);
      continue;
    }
    for (const k of keys) if (!columns.includes(k)) columns.push(k);
    rows[i] = columns.map((c) => r[c]);
  }
  // undefined values and missing trailing ones read back as absent fields.
  return JSON.stringify({ columns, rows });
}

export function decodeResults(text: string): JobRowResult[] {
  const parsed = JSON.parse(text) as JobRowResult[] | { columns: string[]; rows: Array<Array<string | number | null>> };
  if (Array.isArray(parsed)) return parsed;
  const { columns, rows } = parsed;
  return rows.map((values) => {
    const r: Record<string, string | number> = {};
    for (let c = 0; c < columns.length; c++) {
      const v = values[c];
      if (v !== null && v !== undefined) r[columns[c]!] = v;
    }
    return r as JobRowResult;
  });
}
