import type { ColumnType } from 'kysely';

/** Written as an ISO string; read back as string (SQLite) or Date (Postgres): map with rows.iso(). */
export type Timestamp = ColumnType<Date | string, string, string>;
export type NullableTimestamp = ColumnType<Date | string | null, string | null | undefined, string | null>;
/** Written as boolean (the SQLite driver binds 1/0); read back as 0/1 or boolean: map with rows.bool(). */
export type Bool = ColumnType<boolean | number, boolean, boolean>;
/** Written as JSON text; read back as text (SQLite) or parsed (Postgres jsonb): map with rows.json(). */
export type Json = ColumnType<unknown, string, string>;
