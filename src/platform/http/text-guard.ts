import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../errors.js';
import { keySegment } from './tolerant-reader.js';

/**
 * The one text rule for everything a request carries (body, query, params, form bodies, headers):
 * no NUL byte and no lone UTF-16 surrogate, in values or in keys. Neither can be stored by
 * PostgreSQL (NUL) or encoded back as UTF-8 (surrogates), so they are refused up front with
 * 400 INVALID_TEXT naming the field, before validation and before any handler writes anything.
 * The SFTP CSV reader applies the same rule to file cells (see `textProblem`).
 */

/** Why `text` is not acceptable text, or undefined when it is. */
export function textProblem(text: string): string | undefined {
  if (text.includes('\u0000')) return 'contains a NUL byte';
  if (!isWellFormed(text)) return 'contains a lone UTF-16 surrogate (not valid Unicode)';
  return undefined;
}

/** Deeper than this a request body is refused: no schema of ours nests this far. */
export const MAX_DEPTH = 64;

interface Finding {
  field: string;
  problem: string;
}

/**
 * Only what a body parser made is walked: arrays and plain objects (JSON, form bodies). A streamed
 * body (CSV uploads arrive as the request stream), a Buffer or any other class instance is not
 * text we parsed; its own reader applies the rule (the SFTP CSV preflight does).
 */
const walkable = (v: object): boolean => {
  if (Array.isArray(v)) return true;
  const proto = Object.getPrototypeOf(v);
  // Plain objects, null-prototype dictionaries, and dictionaries whose prototype has none (the query parser's).
  return proto === Object.prototype || proto === null || Object.getPrototypeOf(proto) === null;
};

const isWellFormed = (text: string): boolean => (text as unknown as { isWellFormed(): boolean }).isWellFormed();

/** NUL or any surrogate code unit: most text has neither, and then no more work is done on it. */
// eslint-disable-next-line no-control-regex -- NUL is one of the characters this looks for
const SUSPECT = /[\u0000\ud800-\udfff]/;
const badString = (text: string): boolean => SUSPECT.test(text) && (text.includes('\u0000') || !isWellFormed(text));

/** Fast check (no paths, no allocation): true when `value` holds a bad string or key, or nests too deep. */
function hasBadText(v: unknown, depth: number): boolean {
  if (typeof v === 'string') return badString(v);
  if (typeof v !== 'object' || v === null || !walkable(v)) return false;
  if (depth >= MAX_DEPTH) return true;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const item = v[i];
      if ((typeof item === 'object' && item !== null) || typeof item === 'string' ? hasBadText(item, depth + 1) : false) return true;
    }
    return false;
  }
  const keys = Object.keys(v);
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    if (badString(k)) return true;
    const item = (v as Record<string, unknown>)[k];
    if ((typeof item === 'object' && item !== null) || typeof item === 'string' ? hasBadText(item, depth + 1) : false) return true;
  }
  return false;
}

/**
 * The first bad string (value or key) in `value`; also refuses absurd nesting. A fast pass first
 * (every request body goes through here); the path is only worked out when something is wrong.
 */
export function findBadText(value: unknown, root: string): Finding | undefined {
  if (!hasBadText(value, 0)) return undefined;
  const stack: Array<{ v: unknown; path: string; depth: number }> = [{ v: value, path: root, depth: 0 }];
  while (stack.length) {
    const { v, path, depth } = stack.pop()!;
    if (typeof v === 'string') {
      const problem = textProblem(v);
      if (problem) return { field: path, problem };
      continue;
    }
    if (typeof v !== 'object' || v === null || !walkable(v)) continue;
    if (depth >= MAX_DEPTH) return { field: path, problem: `is nested more than ${MAX_DEPTH} levels deep` };
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ v: v[i], path: `${path}[${i}]`, depth: depth + 1 });
      continue;
    }
    const keys = Object.keys(v);
    for (let i = keys.length - 1; i >= 0; i--) {
      const k = keys[i]!;
      const keyProblem = textProblem(k);
      if (keyProblem) return { field: `${path}${keySegment(k)}`, problem: `has a field name that ${keyProblem}` };
      stack.push({ v: (v as Record<string, unknown>)[k], path: `${path}${keySegment(k)}`, depth: depth + 1 });
    }
  }
  return undefined;
}

/** Headers are latin-1 on the wire, so only NUL can reach us (light-my-request and proxies let it through). */
function badHeader(request: FastifyRequest): Finding | undefined {
  for (const [name, value] of Object.entries(request.headers)) {
    const values = Array.isArray(value) ? value : [value];
    for (const v of values) if (typeof v === 'string' && v.includes('\u0000')) return { field: `headers.${name}`, problem: 'contains a NUL byte' };
  }
  return undefined;
}

/** The check of one request's URL and headers, or (`body`) of its parsed body: throws 400 INVALID_TEXT naming the field (VALIDATION_FAILED for absurd nesting). */
export function assertTextRequest(request: FastifyRequest, part: 'url' | 'body'): void {
  const found = part === 'url' ? (findBadText(request.params, 'params') ?? findBadText(request.query, 'querystring') ?? badHeader(request)) : findBadText(request.body, 'body');
  if (found) throw new AppError(found.problem.startsWith('is nested') ? 'VALIDATION_FAILED' : 'INVALID_TEXT', `${found.field} ${found.problem}`, { field: found.field });
}

/**
 * Registers the guard for every route of the app (root hooks: every scope inherits them and runs
 * them first). Path, query and headers are checked at onRequest, before authentication looks
 * anything up by them; the body at preValidation, after the body parsers (JSON and form bodies
 * alike) and before the tolerant reader and schema validation.
 */
export function registerTextGuard(app: FastifyInstance): void {
  const hook = (part: 'url' | 'body') => (request: FastifyRequest, _reply: unknown, done: (err?: Error) => void) => {
    try {
      assertTextRequest(request, part);
    } catch (err) {
      done(err as Error);
      return;
    }
    done();
  };
  app.addHook('onRequest', hook('url'));
  app.addHook('preValidation', hook('body'));
}
