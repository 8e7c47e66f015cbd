/**
 * Errors that mean "the database is not there right now" (restarting, unreachable, out of
 * connections, SQLite busy past its timeout), as opposed to a bad query. A request that meets one
 * is answered 503 SERVICE_UNAVAILABLE with Retry-After, and background loops just try again later.
 */
const PG_UNAVAILABLE_CODES = new Set([
  '57P01', // admin_shutdown: terminating connection due to administrator command
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now: the database system is starting up / shutting down
  '53300', // too_many_connections
  '08000', // connection_exception
  '08001', // sqlclient_unable_to_establish_sqlconnection
  '08003', // connection_does_not_exist
  '08004', // sqlserver_rejected_establishment_of_sqlconnection
  '08006', // connection_failure
]);
const NODE_UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'SQLITE_BUSY', 'SQLITE_LOCKED']);
const UNAVAILABLE_MESSAGES = [
  /Connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /Client has encountered a connection error and is not queryable/i,
  /Cannot use a pool after calling end/i,
  /connection (is )?(closed|ended)/i,
];

/** Seconds a client should wait before retrying while the database is away. */
export const DATABASE_RETRY_AFTER_SECONDS = 2;

export function isDatabaseUnavailable(err: unknown): boolean {
  for (let e = err as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    if (typeof e.code === 'string' && (PG_UNAVAILABLE_CODES.has(e.code) || NODE_UNAVAILABLE_CODES.has(e.code))) return true;
    if (typeof e.message === 'string' && UNAVAILABLE_MESSAGES.some((m) => m.test(e!.message as string))) return true;
    // AggregateError (e.g. ECONNREFUSED on both ::1 and 127.0.0.1).
    if (Array.isArray(e.errors) && e.errors.some((x) => isDatabaseUnavailable(x))) return true;
  }
  return false;
}

/** A unique-constraint violation, as both databases report it: the table and the columns that clashed. */
export interface UniqueViolation {
  table: string | undefined;
  columns: string[];
}

/**
 * The unique violation in `err` (or its causes), if it is one: SQLite's SQLITE_CONSTRAINT_UNIQUE /
 * _PRIMARYKEY ("UNIQUE constraint failed: vendors.chain_id, vendors.external_id") or PostgreSQL's
 * 23505 (`table`, and `detail` "Key (chain_id, external_id)=(…) already exists.").
 */
export function uniqueViolation(err: unknown): UniqueViolation | undefined {
  for (let e = err as { code?: unknown; message?: unknown; cause?: unknown; table?: unknown; detail?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    if (e.code === 'SQLITE_CONSTRAINT_UNIQUE' || e.code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
      const list = /constraint failed: (.+)$/.exec(String(e.message ?? ''))?.[1] ?? '';
      const qualified = list.split(',').map((s) => s.trim()).filter(Boolean);
      return { table: qualified[0]?.split('.')[0], columns: qualified.map((q) => q.split('.').slice(1).join('.') || q) };
    }
    if (e.code === '23505') {
      const cols = /^Key \(([^)]*)\)=/.exec(String(e.detail ?? ''))?.[1] ?? '';
      return { table: typeof e.table === 'string' ? e.table : undefined, columns: cols.split(',').map((s) => s.trim().replace(/^"|"$/g, '')).filter(Boolean) };
    }
  }
  return undefined;
}
