import { Ajv, type Options } from 'ajv';
import formatsModule from 'ajv-formats';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../errors.js';
import { distinctFields, IGNORED_HEADER, ignoredHeaderValue, keySegment, stripUnknown } from './tolerant-reader.js';

// ajv-formats is CommonJS: its default export arrives wrapped under ESM.
const addFormats = ((formatsModule as unknown as { default?: unknown }).default ?? formatsModule) as unknown as (ajv: Ajv) => Ajv;

/** Times both databases store: years 0001–9999 once read as UTC (year 0000 or +10000 is refused, not a 500). */
const MIN_TIME = Date.UTC(1, 0, 1) - 1;
const MAX_TIME = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
function storableTime(text: string): boolean {
  const t = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(text.slice(10)) ? text : `${text}Z`);
  return Number.isFinite(t) && t > MIN_TIME && t <= MAX_TIME && !/^0000/.test(text);
}

function makeAjv(options: Options): Ajv {
  const ajv = new Ajv({ allErrors: true, verbose: true, strict: false, useDefaults: true, removeAdditional: false, ...options });
  addFormats(ajv);
  // The same formats, bounded to what a database can store: one rule for every time field of every route.
  for (const name of ['date-time', 'iso-date-time'] as const) {
    const base = ajv.formats[name] as { validate: (s: string) => boolean } | ((s: string) => boolean) | undefined;
    const check = typeof base === 'function' ? base : base?.validate;
    if (check) ajv.addFormat(name, { type: 'string', validate: (s: string) => check(s) && storableTime(s) });
  }
  ajv.addKeyword({ keyword: 'example' });
  return ajv;
}

/**
 * Bodies are validated strictly (a string is not a number; unknown fields are refused — on the partner
 * API the tolerant reader below removes and reports them first).
 * Query strings, params and headers are text on the wire, so they are coerced to the declared types.
 */
export function registerValidation(app: FastifyInstance): void {
  const strict = makeAjv({ coerceTypes: false });
  const coercing = makeAjv({ coerceTypes: 'array' });
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? strict : coercing).compile(schema));
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Fields of this request the tolerant reader (or a handler) ignored: reported in Comanda-Ignored-Fields. */
    ignoredFields?: string[];
  }
}

/** Records fields a handler accepted but gave no effect (e.g. `body.items` with status CANCELLED). */
export function noteIgnored(request: FastifyRequest, ...paths: string[]): void {
  if (paths.length) (request.ignoredFields ??= []).push(...paths);
}

/**
 * The tolerant reader for a scope (the partner API, partner-api.md §9). Before validation, fields the
 * route's schemas do not declare are removed from the body (at any depth) and the query string, so
 * they are ignored instead of refused; the fields it does declare are then validated as strictly as
 * anywhere else. A route without a body (querystring) schema takes no body (query): whatever is sent
 * there is reported too. Empty query values (`?page_size=&page=`, as the real documentation's own
 * example sends) count as absent. What was ignored goes into the `Comanda-Ignored-Fields` response
 * header (success or error) and one debug log line. Rule for routes of such a scope: a handler reads
 * only what its schema declares.
 */
export function registerTolerantReader(scope: FastifyInstance): void {
  registerEmptyBodyParsers(scope);
  // Callback-style hooks: no promise per request on the hot paths.
  scope.addHook('preValidation', (request, _reply, done) => {
    const found = stripRequest(request);
    if (found.length) noteIgnored(request, ...found);
    done();
  });
  scope.addHook('onSend', (request, reply, payload, done) => {
    const ignored = request.ignoredFields;
    if (ignored?.length) {
      const fields = distinctFields(ignored);
      reply.header(IGNORED_HEADER, ignoredHeaderValue(fields));
      request.log.debug({ ignored_fields: fields.slice(0, 100), count: fields.length, route: request.routeOptions.url }, 'ignored request fields the route does not know');
    }
    done(null, payload);
  });
}

/** Removes what the route's schemas do not declare from the query and body; answers the paths removed. */
function stripRequest(request: FastifyRequest): string[] {
  const schema = request.routeOptions.schema;
  const found: string[] = [];
  const query = request.query as Record<string, unknown> | undefined;
  if (query && typeof query === 'object') {
    if (schema?.querystring) {
      const declared = (schema.querystring as { properties?: Record<string, unknown> }).properties ?? {};
      for (const k of Object.keys(query)) if (query[k] === '' && k in declared) delete query[k];
      const stripped = stripUnknown(schema.querystring, query, 'query');
      request.query = stripped.value;
      found.push(...stripped.ignored);
    } else {
      for (const k of Object.keys(query)) found.push(`query${keySegment(k)}`);
    }
  }
  const body = request.body;
  if (schema?.body) {
    const stripped = stripUnknown(schema.body, body, 'body');
    request.body = stripped.value;
    found.push(...stripped.ignored);
  } else if (body !== undefined && body !== null) {
    if (typeof body === 'object' && !Array.isArray(body) && !Buffer.isBuffer(body)) {
      for (const k of Object.keys(body)) found.push(`body${keySegment(k)}`);
    } else if (!(typeof body === 'string' && body === '')) found.push('body');
  }
  return found;
}

/** True for a body that carries nothing: no bytes, or only whitespace. */
export function isEmptyBody(body: string | Buffer): boolean {
  return body.length === 0 || (body.length < 64 && String(body).trim() === '');
}

/**
 * A POST that needs no body accepts an empty one whatever its Content-Type (partner-api.md §9):
 * `Content-Type: application/json` with no bytes parses to "no body" instead of INVALID_JSON, and an
 * empty body of any other type is no body too. Non-empty bodies of unknown types stay 415.
 */
function registerEmptyBodyParsers(scope: FastifyInstance): void {
  // Fastify's own parser with its default poisoning protection; only the empty case differs.
  const json = scope.getDefaultJsonParser('error', 'error');
  scope.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (isEmptyBody(body)) return done(null, undefined);
    json(request, body as string, done);
  });
  scope.addContentTypeParser('*', { parseAs: 'buffer' }, (request, body, done) => {
    if (isEmptyBody(body)) return done(null, undefined);
    done(new AppError('UNSUPPORTED_MEDIA_TYPE', `Unsupported Content-Type "${String(request.headers['content-type'] ?? '').slice(0, 100)}": send application/json`), undefined);
  });
}
