import type pg from 'pg';

/** Statements worth preparing: single DML statements of a reasonable length (not DDL, not scripts). */
const PREPARABLE = /^\s*(select|insert|update|delete|with)\b/i;
const MAX_TEXT = 8192;
const MAX_NAMED = 2000;
/** A text is named on its second use: one-off statements (IN lists of one size, DDL) stay unnamed. */
const NAME_ON_USE = 2;

/**
 * Wraps a pg pool so that repeated statement texts run as named prepared statements: Postgres parses
 * and plans each once per connection instead of on every execution (what the SQLite driver gets from
 * its statement cache). Kysely passes (text, parameters); that becomes { name, text, values }.
 */
export function preparingPool(pool: pg.Pool): pg.Pool {
  const names = new Map<string, string>();
  let uses = new Map<string, number>();
  const nameFor = (text: string): string | undefined => {
    const known = names.get(text);
    if (known) return known;
    if (names.size >= MAX_NAMED || text.length > MAX_TEXT || text.includes(';') || !PREPARABLE.test(text)) return undefined;
    const n = (uses.get(text) ?? 0) + 1;
    if (n < NAME_ON_USE) {
      if (uses.size > 10_000) uses = new Map();
      uses.set(text, n);
      return undefined;
    }
    uses.delete(text);
    const name = `cmd_${names.size + 1}`;
    names.set(text, name);
    return name;
  };
  const wrapClient = (client: pg.PoolClient): pg.PoolClient => {
    const query = client.query.bind(client) as (...a: unknown[]) => unknown;
    return new Proxy(client, {
      get(target, prop, receiver) {
        if (prop !== 'query') return Reflect.get(target, prop, receiver);
        return (text: unknown, values?: unknown, ...rest: unknown[]) => {
          if (typeof text === 'string' && Array.isArray(values) && rest.length === 0) {
            const name = nameFor(text);
            if (name) return query({ name, text, values });
          }
          return query(text, values, ...rest);
        };
      },
    });
  };
  return new Proxy(pool, {
    get(target, prop, receiver) {
      if (prop === 'connect') {
        return async (...a: unknown[]) => {
          if (a.length > 0) return (target.connect as (...x: unknown[]) => unknown)(...a);
          return wrapClient(await target.connect());
        };
      }
      const v = Reflect.get(target, prop, receiver);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
}
