import { CompiledQuery, sql, type RawBuilder } from 'kysely';
import type { Dialect, Executor } from './database.js';

/**
 * Multi-row statements for bulk paths (catalog imports, bulk updates). The SQL text for a given
 * table/columns/row count is built once and cached, and executed as a pre-compiled query, so the hot
 * path skips the query builder and the SQLite driver reuses its prepared statement.
 */
export interface BulkSpec {
  table: string;
  columns: readonly string[];
  /** Appended after VALUES, e.g. `on conflict (a, b) do update set c = excluded.c`. */
  suffix?: string;
  /**
   * Postgres type of each column. With it, Postgres gets `insert … select * from unnest($1::t[], …)`:
   * one array parameter per column, so the statement text and plan do not grow with the row count.
   */
  pgTypes?: readonly string[];
}

const textCache = new Map<string, string>();

function statementText(dialect: Dialect, spec: BulkSpec, rows: number): string {
  const key = `${dialect}|${spec.table}|${spec.columns.join(',')}|${spec.suffix ?? ''}|${rows}`;
  let text = textCache.get(key);
  if (text) return text;
  const width = spec.columns.length;
  const groups: string[] = new Array(rows);
  for (let r = 0; r < rows; r++) {
    const marks: string[] = new Array(width);
    for (let c = 0; c < width; c++) marks[c] = dialect === 'postgres' ? `$${r * width + c + 1}` : '?';
    groups[r] = `(${marks.join(',')})`;
  }
  text = `insert into ${spec.table} (${spec.columns.join(',')}) values ${groups.join(',')} ${spec.suffix ?? ''}`;
  if (textCache.size > 200) textCache.delete(textCache.keys().next().value as string);
  textCache.set(key, text);
  return text;
}

/** Bound parameters per statement: under SQLite's 32,766 and Postgres' 65,535. */
const MAX_PARAMS = 30_000;

/** Inserts rows (arrays in `spec.columns` order), up to 1,000 rows per statement. */
export async function bulkInsert(db: Executor, dialect: Dialect, spec: BulkSpec, rows: readonly unknown[][]): Promise<void> {
  for (const q of bulkInsertQueries(dialect, spec, rows)) await db.executeQuery(q);
}

/** The statements bulkInsert runs, not run (for a WriteBatch). */
export function bulkInsertQueries(dialect: Dialect, spec: BulkSpec, rows: readonly unknown[][]): CompiledQuery[] {
  if (rows.length === 0) return [];
  if (dialect === 'postgres' && spec.pgTypes) {
    const arrays: unknown[][] = spec.columns.map(() => new Array(rows.length));
    for (let r = 0; r < rows.length; r++) for (let c = 0; c < arrays.length; c++) arrays[c]![r] = rows[r]![c];
    const casts = spec.pgTypes.map((t, i) => `$${i + 1}::${t}[]`).join(', ');
    return [CompiledQuery.raw(`insert into ${spec.table} (${spec.columns.join(',')}) select * from unnest(${casts}) ${spec.suffix ?? ''}`, arrays)];
  }
  const perStatement = Math.min(1000, Math.floor(MAX_PARAMS / spec.columns.length));
  const out: CompiledQuery[] = [];
  for (let i = 0; i < rows.length; i += perStatement) {
    const part = rows.slice(i, i + perStatement);
    const params: unknown[] = [];
    for (const row of part) for (const v of row) params.push(v);
    out.push(CompiledQuery.raw(statementText(dialect, spec, part.length), params));
  }
  return out;
}

/**
 * `column IN (…)` for a list of text values: one array parameter on Postgres (`= any($1::text[])`, a
 * constant statement text), an IN list on SQLite (whose prepared statements are cached per text).
 */
export function inText(dialect: Dialect, column: string, values: readonly string[]): RawBuilder<boolean> {
  if (dialect === 'postgres') return sql<boolean>`${sql.ref(column)} = any(${values as string[]}::text[])`;
  return sql<boolean>`${sql.ref(column)} in (${sql.join(values as string[])})`;
}
