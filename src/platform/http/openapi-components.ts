/**
 * Component schemas of a generated OpenAPI document: schemas with a name (a TypeBox `$id` or an
 * identifier-like `title`) become `#/components/schemas/<Name>` wherever they appear, instead of
 * inline copies or `def-N`. Pure functions over plain JSON.
 */

// Plain JSON of a generated document: deliberately loose, checked by the lint and the tests.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above
export type Json = any;

const REF_PREFIX = '#/components/schemas/';
/** Keys whose values are data, never schemas to walk into. */
const DATA_KEYS = new Set(['example', 'examples', 'enum', 'const', 'default', 'x-error-codes']);
const NAME = /^[A-Z][A-Za-z0-9]*$/;

export function clone<T>(value: T): T {
  return structuredClone(value);
}

/** Visits every object of a JSON tree (depth first, children before the parent's replacement). */
export function walk(node: Json, visit: (node: Json, key: string | undefined) => Json, key?: string): Json {
  if (Array.isArray(node)) return node.map((n) => walk(n, visit, key));
  if (node === null || typeof node !== 'object') return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node)) out[k] = DATA_KEYS.has(k) ? v : walk(v, visit, k);
  return visit(out, key);
}

function stable(value: Json): string {
  if (Array.isArray(value)) return `[${value.map(stable).join(',')}]`;
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${stable(value[k])}`).join(',')}}`;
}

/** The component name a schema asks for, if any. */
function nameOf(schema: Json): string | undefined {
  const title = typeof schema.title === 'string' ? schema.title : undefined;
  return title && NAME.test(title) ? title : undefined;
}

/**
 * Renames `def-N` to the schema's title and hoists every titled inline schema into
 * components.schemas, replacing it by a `$ref`. Two different schemas under one name are an error
 * (a name must mean one thing in the contract).
 */
export function nameComponents(doc: Json): Json {
  const schemas: Record<string, Json> = doc.components?.schemas ?? {};
  const renamed = new Map<string, string>();
  const named: Record<string, Json> = {};
  const seen = new Map<string, string>();

  const register = (name: string, schema: Json): void => {
    const body = stable(schema);
    const before = seen.get(name);
    if (before !== undefined && before !== body) throw new Error(`OpenAPI: two different schemas are named ${name}`);
    seen.set(name, body);
    named[name] = schema;
  };

  for (const [key, schema] of Object.entries(schemas)) {
    const name = nameOf(schema) ?? key;
    renamed.set(key, name);
  }
  const rewriteRef = (node: Json) => {
    if (typeof node.$ref === 'string' && node.$ref.startsWith(REF_PREFIX)) {
      const target = node.$ref.slice(REF_PREFIX.length);
      const to = renamed.get(target);
      if (to) return { ...node, $ref: `${REF_PREFIX}${to}` };
    }
    return node;
  };
  const hoist = (node: Json, key: string | undefined) => {
    node = rewriteRef(node);
    // A property literally called "title" (its schema) is not a named schema; properties maps hold names.
    if (key === 'properties') return node;
    const name = nameOf(node);
    if (!name || node.$ref) return node;
    register(name, node);
    return { $ref: `${REF_PREFIX}${name}` };
  };

  for (const [key, schema] of Object.entries(schemas)) {
    const name = renamed.get(key)!;
    // Walk the component's children (hoisting nested names) but keep the component itself here.
    const inner: Json = {};
    for (const [k, v] of Object.entries(schema as Json)) inner[k] = DATA_KEYS.has(k) ? v : walk(v, hoist, k);
    register(name, rewriteRef(inner));
  }
  const out: Json = {};
  for (const [k, v] of Object.entries(doc)) out[k] = k === 'components' ? v : walk(v, hoist, k);
  out.components = { ...(doc.components ?? {}), schemas: sortKeys(named) };
  return out;
}

function sortKeys(record: Record<string, Json>): Record<string, Json> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}

/** Drops component schemas nothing refers to (transitively from everything outside components.schemas). */
export function pruneComponents(doc: Json): Json {
  const schemas: Record<string, Json> = doc.components?.schemas ?? {};
  const used = new Set<string>();
  const collect = (node: Json) => {
    walk(node, (n) => {
      if (typeof n.$ref === 'string' && n.$ref.startsWith(REF_PREFIX)) {
        const name = n.$ref.slice(REF_PREFIX.length);
        if (!used.has(name)) {
          used.add(name);
          if (schemas[name]) collect(schemas[name]);
        }
      }
      return n;
    });
  };
  for (const [k, v] of Object.entries(doc)) if (k !== 'components') collect(v);
  for (const [k, v] of Object.entries(doc.components ?? {})) if (k !== 'schemas') collect(v);
  const kept = Object.fromEntries(Object.entries(schemas).filter(([name]) => used.has(name)));
  return { ...doc, components: { ...doc.components, schemas: kept } };
}

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;

export function operationsOf(doc: Json): Array<{ path: string; method: string; op: Json }> {
  const out: Array<{ path: string; method: string; op: Json }> = [];
  for (const [path, item] of Object.entries(doc.paths ?? {}) as Array<[string, Json]>) {
    for (const method of HTTP_METHODS) if (item[method]) out.push({ path, method, op: item[method] });
  }
  return out;
}
