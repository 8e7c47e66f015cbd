/**
 * The tolerant reader (partner-api.md §9): a schema-driven walk that removes the fields a request
 * schema does not declare, and says which ones it removed, before strict validation of the rest.
 *
 * A walker is compiled once per schema object. It strips keys only where the schema is a closed
 * object (`properties` + `additionalProperties: false`, no `patternProperties`): open objects and
 * maps (locale maps, records) keep every key, because there a key is data, not a field name. An
 * optional field that does not take null, sent as null, counts as not sent (and is reported).
 */

type Schema = Record<string, unknown>;
/** Path segments of the value being walked: `.key` strings and array indexes (joined only when a field is removed). */
type Path = Array<string | number>;
/** What a walk removed: the paths, one per field and schema position (the first item that had it). */
interface Removed {
  paths: string[];
  seen: Set<string>;
}
/** Answers the value with its undeclared fields removed: the same object when nothing was removed. */
type Walker = (value: unknown, path: Path, out: Removed) => unknown;

const NOOP: Walker = (value) => value;
const compiled = new WeakMap<object, Walker>();

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `.key` for ordinary keys; anything else percent-encoded in brackets (keeps the header one safe ASCII line). */
export function keySegment(key: string): string {
  if (/^[A-Za-z0-9_$@-]{1,64}$/.test(key)) return `.${key}`;
  return `[${encodeURIComponent(key.slice(0, 64))}]`;
}

/** True when the schema takes `null` (or anything at all): then null is a value, not "not sent". */
function acceptsNull(s: Schema): boolean {
  if (s.type === 'null' || (Array.isArray(s.type) && s.type.includes('null'))) return true;
  if (s.const === null || (Array.isArray(s.enum) && s.enum.includes(null))) return true;
  const branches = (s.anyOf ?? s.oneOf) as Schema[] | undefined;
  if (Array.isArray(branches)) return branches.some(acceptsNull);
  return s.type === undefined && s.enum === undefined && s.const === undefined && s.properties === undefined && s.items === undefined && s.$ref === undefined;
}

function pathText(path: Path, last: string): string {
  let text = '';
  for (const p of path) text += typeof p === 'number' ? `[${p}]` : p;
  return text + last;
}

interface Field {
  walk: Walker;
  segment: string;
  /** An optional field that cannot be null: null there means "not sent". */
  nullIsAbsent: boolean;
}

let walkerIds = 0;

function objectWalker(schema: Schema): Walker {
  const id = ++walkerIds;
  const props = schema.properties as Record<string, Schema>;
  const closed = schema.additionalProperties === false && schema.patternProperties === undefined;
  const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
  const fields = new Map<string, Field>();
  for (const [k, s] of Object.entries(props)) {
    // Serialisers write unset fields as null, and the GET order has `accepted_for: null`.
    fields.set(k, { walk: walkerFor(s), segment: keySegment(k), nullIsAbsent: !required.has(k) && isPlainObject(s) && !acceptsNull(s) });
  }
  const dropped = (key: string, v: unknown): boolean => {
    const f = fields.get(key);
    return f === undefined ? closed : v === null && f.nullIsAbsent;
  };
  return (value, path, out) => {
    if (!isPlainObject(value)) return value;
    const keys = Object.keys(value);
    let removes = false;
    for (const key of keys) {
      if (dropped(key, value[key])) {
        removes = true;
        break;
      }
    }
    // Removing keys with `delete` is slow in V8; a request object with unknown keys is rebuilt instead.
    const target: Record<string, unknown> = removes ? {} : value;
    for (const key of keys) {
      const v = value[key];
      const f = fields.get(key);
      if (dropped(key, v)) {
        // The same field in the next items of an array is not listed again (and costs no path text).
        const seenKey = `${id}\u0000${key}`;
        if (!out.seen.has(seenKey)) {
          out.seen.add(seenKey);
          out.paths.push(pathText(path, f ? f.segment : keySegment(key)));
        }
        continue;
      }
      let next = v;
      if (f !== undefined && f.walk !== NOOP) {
        path.push(f.segment);
        next = f.walk(v, path, out);
        path.pop();
      }
      if (removes || next !== v) target[key] = next;
    }
    return target;
  };
}

function unionWalker(branches: Schema[]): Walker {
  const objects = branches.filter((b) => b.properties !== undefined);
  const arrays = branches.filter((b) => b.items !== undefined);
  // Several object shapes: which one the client meant is the validator's call, so strip nothing.
  const onObject = objects.length === 1 ? walkerFor(objects[0]!) : NOOP;
  const onArray = arrays.length === 1 ? walkerFor(arrays[0]!) : NOOP;
  if (onObject === NOOP && onArray === NOOP) return NOOP;
  return (value, path, out) => (Array.isArray(value) ? onArray(value, path, out) : isPlainObject(value) ? onObject(value, path, out) : value);
}

function build(schema: Schema): Walker {
  if (schema.properties !== undefined && typeof schema.properties === 'object') return objectWalker(schema);
  if (schema.items !== undefined && typeof schema.items === 'object' && !Array.isArray(schema.items)) {
    const item = walkerFor(schema.items as Schema);
    if (item === NOOP) return NOOP;
    return (value, path, out) => {
      if (!Array.isArray(value)) return value;
      for (let i = 0; i < value.length; i++) {
        path.push(i);
        const next = item(value[i], path, out);
        path.pop();
        if (next !== value[i]) value[i] = next;
      }
      return value;
    };
  }
  const branches = (schema.anyOf ?? schema.oneOf) as Schema[] | undefined;
  if (Array.isArray(branches)) return unionWalker(branches);
  return NOOP;
}

/** The walker of a schema (compiled on first use, then cached for the life of the schema object). */
export function walkerFor(schema: unknown): Walker {
  if (!isPlainObject(schema)) return NOOP;
  let w = compiled.get(schema);
  if (!w) {
    // Placeholder first: a schema that reaches itself (it should not, $ref is not followed) cannot loop.
    compiled.set(schema, NOOP);
    w = build(schema);
    compiled.set(schema, w);
  }
  return w;
}

/**
 * `value` without the fields its schema does not declare (the same object when there were none; a
 * rebuilt one otherwise: use the answer, not the argument), and the paths of what was removed, e.g.
 * `body.items[0].barcode` — once per field, at the first item that had it.
 */
export function stripUnknown(schema: unknown, value: unknown, root: string): { value: unknown; ignored: string[] } {
  const out: Removed = { paths: [], seen: new Set() };
  const next = walkerFor(schema)(value, [root], out);
  return { value: next, ignored: out.paths };
}

/** The wildcard form of a path (`body.items[*].barcode`): one entry per field, however many items repeat it. */
function shape(path: string): string {
  return path.replace(/\[\d+\]/g, '[*]');
}

export const IGNORED_HEADER = 'comanda-ignored-fields';
/** Header budget: well under common proxy limits (8 KiB for all headers). */
const MAX_HEADER_CHARS = 1000;

/** Distinct fields (first occurrence of each shape, in request order). */
export function distinctFields(paths: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const p of paths) {
    const s = shape(p);
    if (seen.has(s)) continue;
    seen.add(s);
    out.push(p);
  }
  return out;
}

/** `Comanda-Ignored-Fields` value: comma-separated, capped, ending in `... (+N more)` when cut (ASCII only: it is a header). */
export function ignoredHeaderValue(fields: readonly string[]): string {
  let value = '';
  for (let i = 0; i < fields.length; i++) {
    const next = value ? `${value}, ${fields[i]}` : fields[i]!;
    if (next.length > MAX_HEADER_CHARS) return value ? `${value}, ... (+${fields.length - i} more)` : `... (${fields.length} fields)`;
    value = next;
  }
  return value;
}
