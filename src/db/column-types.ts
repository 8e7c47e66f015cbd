import { sql, type RawBuilder } from 'kysely';
import type { Dialect } from './database.js';

/** Column types per dialect, so migrations read the same on SQLite and Postgres. */
export interface ColumnTypes {
  timestamp: RawBuilder<unknown>;
  boolean: RawBuilder<unknown>;
  json: RawBuilder<unknown>;
  bigint: RawBuilder<unknown>;
}

export function columnTypes(dialect: Dialect): ColumnTypes {
  return dialect === 'postgres'
    ? { timestamp: sql`timestamptz`, boolean: sql`boolean`, json: sql`jsonb`, bigint: sql`bigint` }
    : { timestamp: sql`text`, boolean: sql`integer`, json: sql`text`, bigint: sql`integer` };
}
