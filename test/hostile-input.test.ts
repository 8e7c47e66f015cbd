import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { operatorKey, portalLogin, seedChain, type ChainFixture, type PortalLogin } from '../src/test-support/fixtures.js';
import { createTestContext, testDialect, type TestContext } from '../src/test-support/test-db.js';

/**
 * Hostile input, everywhere: a property-based walk of every route with a body or a query string in
 * the two published OpenAPI documents and the portal's routes (from the full generated document),
 * on the database under test. Each run sends one hostile value — NUL, lone surrogates, 1 MB text,
 * huge/negative/NaN numbers, year 0000, wrong types, deep nesting, duplicate keys — in one field
 * of an otherwise plausible request; the answer must never be a 5xx, and a 4xx must leave every
 * table as it was. Runs are bounded (RUNS_PER_ROUTE, a fixed seed) to stay well under a minute.
 */

type Json = Record<string, any>;
type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

const RUNS_PER_ROUTE = Number(process.env.HOSTILE_RUNS_PER_ROUTE ?? 15);
const SEED = Number(process.env.HOSTILE_SEED ?? 20261202);
const MB = 'x'.repeat(1024 * 1024);

/** Tables a refused request may legitimately touch (throttle counters, sessions' last use). */
const WRITES_ALLOWED_ON_4XX = new Set(['auth_throttles', 'sessions', 'kysely_migration', 'kysely_migration_lock']);

interface Route {
  method: Method;
  path: string;
  op: Json;
  api: 'partner' | 'operator' | 'portal';
}

/** Hostile JSON values (for body fields). */
const hostileJson = fc.constantFrom<unknown>(
  '\u0000',
  'abc\u0000def',
  '\ud800',
  'x\udfffy',
  MB,
  '',
  ' ',
  1e308,
  -1e308,
  -1,
  0,
  // eslint-disable-next-line no-loss-of-precision -- a number beyond double precision is the point
  99999999999999999999999,
  1000000000,
  2147483648,
  0.5,
  '0000-01-01T00:00:00Z',
  '9999-12-31T23:59:59-23:59',
  '2024-02-30T00:00:00Z',
  true,
  null,
  {},
  [],
  [null],
  { '\u0000': 1 },
  { __proto__: 1, constructor: { prototype: 1 } },
  JSON.parse('['.repeat(200) + ']'.repeat(200)),
);

/** Hostile query / path text (already percent-encoded where it must be). */
const hostileText = fc.constantFrom(
  '%00',
  'a%00b',
  '%ED%A0%80',
  '%F0%9F',
  '99999999999999999999999',
  '1000000000',
  '-1',
  'NaN',
  'Infinity',
  '1e308',
  '0000-01-01T00:00:00Z',
  '0000-01-01',
  'true',
  'x'.repeat(20000),
  '%',
  '[]',
);

/** Whole bodies that are wrong before any field is read. */
const hostileRawBody = fc.constantFrom(
  '{"a":1,"a":2}',
  '[' .repeat(5000) + ']'.repeat(5000),
  '{"x":'.repeat(3000) + '1' + '}'.repeat(3000),
  'NaN',
  '{"n": NaN}',
  '"\\u0000"',
  '{"s":"\\ud800"}',
  '{"__proto__":{"polluted":true}}',
  'null',
  '12',
  '\u0000',
);

function resolve(doc: Json, schema: Json | undefined, depth = 0): Json | undefined {
  if (!schema || depth > 20) return schema;
  if (schema.$ref) {
    const name = String(schema.$ref).split('/').pop()!;
    return resolve(doc, doc.components?.schemas?.[name], depth + 1);
  }
  return schema;
}

/** A plausible value for a schema: the example, a default, the first enum value, or the minimum. */
function plausible(doc: Json, raw: Json | undefined, depth = 0): unknown {
  const s = resolve(doc, raw);
  if (!s || depth > 6) return undefined;
  if (s.example !== undefined) return s.example;
  if (s.examples?.[0] !== undefined) return s.examples[0];
  if (s.default !== undefined) return s.default;
  if (s.const !== undefined) return s.const;
  if (Array.isArray(s.enum)) return s.enum[0];
  const branches = s.anyOf ?? s.oneOf;
  if (Array.isArray(branches)) return plausible(doc, branches[0], depth + 1);
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  switch (type) {
    case 'object': {
      const out: Json = {};
      for (const k of s.required ?? []) out[k] = plausible(doc, s.properties?.[k], depth + 1);
      return out;
    }
    case 'array':
      return s.minItems ? [plausible(doc, s.items, depth + 1)] : [];
    case 'integer':
    case 'number':
      return s.minimum ?? 1;
    case 'boolean':
      return true;
    case 'string':
      if (s.format === 'uuid') return '00000000-0000-4000-8000-000000000000';
      if (s.format === 'date-time') return '2026-01-01T00:00:00Z';
      if (s.format === 'email') return 'fuzz@example.test';
      return 'x'.repeat(Math.max(1, s.minLength ?? 1));
    default:
      return 'x';
  }
}

/** Paths (as key lists) of the fields of a body schema, up to a small depth; [] is the body itself. */
function fieldPaths(doc: Json, raw: Json | undefined, prefix: Array<string | number> = [], depth = 0): Array<Array<string | number>> {
  const s = resolve(doc, raw);
  const out: Array<Array<string | number>> = [prefix];
  if (!s || depth > 3) return out;
  const branches = s.anyOf ?? s.oneOf;
  if (Array.isArray(branches)) {
    for (const b of branches) for (const p of fieldPaths(doc, b, prefix, depth + 1).slice(1)) out.push(p);
    return out;
  }
  if (s.properties) for (const [k, v] of Object.entries(s.properties)) out.push(...fieldPaths(doc, v as Json, [...prefix, k], depth + 1));
  if (s.items && typeof s.items === 'object') out.push(...fieldPaths(doc, s.items, [...prefix, 0], depth + 1));
  return out;
}

function setAt(value: unknown, path: Array<string | number>, leaf: unknown): unknown {
  if (!path.length) return leaf;
  const [head, ...rest] = path;
  if (typeof head === 'number') {
    const arr = Array.isArray(value) ? [...value] : [];
    arr[head] = setAt(arr[head], rest, leaf);
    return arr;
  }
  const obj = value && typeof value === 'object' && !Array.isArray(value) ? { ...(value as Json) } : {};
  obj[head!] = setAt(obj[head!], rest, leaf);
  return obj;
}

describe(`hostile input on every route (${testDialect()})`, () => {
  let t: TestContext;
  let app: FastifyInstance;
  let a: ChainFixture;
  let op: string;
  let admin: PortalLogin;
  const routes: Route[] = [];
  const docs: Record<Route['api'], Json> = { partner: {}, operator: {}, portal: {} };
  const statuses = new Map<number, number>();
  const fiveHundreds: string[] = [];
  const partialWrites: string[] = [];
  /** 4xx answers without the `{ error: { code } }` shape. */
  const unshaped: string[] = [];
  let requests = 0;

  beforeAll(async () => {
    t = await createTestContext({ config: { rateLimitMax: 0, bodyLimitBytes: 2 * 1024 * 1024 } });
    app = await buildApp(t.ctx);
    a = await seedChain(t.ctx, 'Hostile');
    op = await operatorKey(t.ctx);
    admin = await portalLogin(app, a.admin.email, a.admin.password);
    docs.partner = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
    docs.operator = (await app.inject({ method: 'GET', url: '/platform/openapi.json' })).json();
    docs.portal = (app as unknown as { swagger(): Json }).swagger();
    for (const api of ['partner', 'operator', 'portal'] as const) {
      for (const [path, item] of Object.entries(docs[api].paths ?? {}) as Array<[string, Json]>) {
        if (api === 'portal' && !path.startsWith('/portal/api/')) continue;
        for (const method of ['get', 'post', 'put', 'patch', 'delete']) {
          const o = item[method];
          if (!o) continue;
          const hasQuery = (o.parameters ?? []).some((p: Json) => p.in === 'query');
          if (!o.requestBody && !hasQuery) continue;
          // Logging out or changing the fuzzer's own password would end the portal session mid-run.
          if (api === 'portal' && /\/session$|\/password$/.test(path)) continue;
          routes.push({ method: method.toUpperCase() as Method, path, op: o, api });
        }
      }
    }
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await t?.close();
  });

  async function tableCounts(): Promise<Map<string, number>> {
    const names =
      testDialect() === 'postgres'
        ? (await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE'`.execute(t.ctx.db)).rows.map((r) => r.name)
        : (await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`.execute(t.ctx.db)).rows.map((r) => r.name);
    const tables = names.filter((n) => !WRITES_ALLOWED_ON_4XX.has(n)).sort();
    const union = tables.map((n) => `select '${n}' as name, count(*) as n from "${n}"`).join(' union all ');
    const rows = (await sql<{ name: string; n: number | string }>`${sql.raw(union)}`.execute(t.ctx.db)).rows;
    return new Map(rows.map((r) => [r.name, Number(r.n)]));
  }

  function pathFor(route: Route, hostileParam?: string): string {
    return route.path.replace(/\{([^}]+)\}/g, (_m, name: string) => {
      if (hostileParam !== undefined) return hostileParam;
      if (/^chain_?id$/i.test(name)) return a.chain.id;
      if (/^vendor_?id$/i.test(name)) return route.api === 'partner' ? a.direct.code : a.direct.id;
      return '00000000-0000-4000-8000-000000000000';
    });
  }

  function headersFor(route: Route): Record<string, string> {
    if (route.api === 'partner') return { authorization: `Bearer ${a.token}` };
    if (route.api === 'operator') return { authorization: `Bearer ${op}` };
    return { cookie: admin.cookie, 'x-csrf-token': admin.csrf };
  }

  type Case =
    | { kind: 'field'; index: number; value: unknown }
    | { kind: 'query'; index: number; value: string }
    | { kind: 'param'; value: string }
    | { kind: 'raw'; value: string };

  async function send(route: Route, c: Case): Promise<void> {
    const doc = docs[route.api];
    const queryParams = (route.op.parameters ?? []).filter((p: Json) => p.in === 'query') as Json[];
    const bodySchema = route.op.requestBody?.content?.['application/json']?.schema as Json | undefined;
    const formSchema = route.op.requestBody?.content?.['application/x-www-form-urlencoded']?.schema as Json | undefined;
    const media = route.op.requestBody?.content?.['application/json'];
    // The documented example (partner API: the demo's, which the server accepts) when there is one.
    const example = media?.example ?? (Object.values(media?.examples ?? {})[0] as Json | undefined)?.value;
    let body: unknown = bodySchema ? (example ?? plausible(doc, bodySchema)) : undefined;
    let raw: string | undefined;
    const query = new URLSearchParams();
    for (const p of queryParams) if (p.required) query.set(p.name, String(plausible(doc, p.schema) ?? 'x'));
    let queryText = query.toString();
    let url = pathFor(route);
    if (c.kind === 'field' && bodySchema) {
      const paths = fieldPaths(doc, bodySchema);
      body = setAt(body, paths[c.index % paths.length]!, c.value);
    } else if (c.kind === 'query' && queryParams.length) {
      const p = queryParams[c.index % queryParams.length]!;
      const others = queryText ? queryText.split('&').filter((kv) => !kv.startsWith(`${encodeURIComponent(p.name)}=`)) : [];
      queryText = [...others, `${encodeURIComponent(p.name)}=${c.value}`].join('&');
    } else if (c.kind === 'param' && /\{/.test(route.path)) {
      url = pathFor(route, c.value);
    } else if (c.kind === 'raw') {
      raw = c.value;
    }
    const headers: Record<string, string> = { ...headersFor(route) };
    let payload: string | undefined;
    if (formSchema && !bodySchema) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      const fields = Object.keys(formSchema.properties ?? { grant_type: 1 });
      payload = fields.map((f, i) => `${f}=${c.kind === 'field' && i === c.index % fields.length ? encodeURIComponent(String(c.value)) : c.kind === 'query' || c.kind === 'raw' ? '%00' : 'x'}`).join('&');
    } else if (raw !== undefined || body !== undefined) {
      headers['content-type'] = 'application/json';
      payload = raw ?? JSON.stringify(body);
    }
    const before = await tableCounts();
    const res = await app.inject({ method: route.method, url: queryText ? `${url}?${queryText}` : url, headers, ...(payload !== undefined ? { payload } : {}) });
    requests++;
    statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
    const label = `${route.method} ${route.path} ${c.kind} ${JSON.stringify(c.kind === 'field' || c.kind === 'query' ? [c.index, typeof c.value === 'string' ? c.value.slice(0, 40) : c.value] : String(c.value).slice(0, 40))}`;
    if (res.statusCode >= 500) fiveHundreds.push(`${label} → ${res.statusCode} ${res.body.slice(0, 200)}`);
    if (res.statusCode >= 400 && res.statusCode < 500) {
      const after = await tableCounts();
      const changed = [...after].filter(([name, n]) => before.get(name) !== n).map(([name, n]) => `${name} ${before.get(name)}→${n}`);
      if (changed.length) partialWrites.push(`${label} → ${res.statusCode} wrote ${changed.join(', ')}`);
      let code: unknown;
      try {
        code = res.json().error?.code;
      } catch {
        code = undefined;
      }
      if (typeof code !== 'string') unshaped.push(`${label} → ${res.statusCode} ${res.body.slice(0, 200)}`);
    }
  }

  const caseArb: fc.Arbitrary<Case> = fc.oneof(
    { weight: 5, arbitrary: fc.record({ kind: fc.constant('field' as const), index: fc.nat(200), value: hostileJson }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('query' as const), index: fc.nat(50), value: hostileText }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('param' as const), value: hostileText }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('raw' as const), value: hostileRawBody }) },
  );

  it('no 5xx and no partial write on any route, whatever the input', async () => {
    const started = Date.now();
    expect(routes.length).toBeGreaterThan(50);
    let i = 0;
    for (const route of routes) {
      await fc.assert(
        fc.asyncProperty(caseArb, async (c) => {
          await send(route, c);
        }),
        { numRuns: RUNS_PER_ROUTE, seed: SEED + i++, endOnFailure: true },
      );
    }
    const histogram = Object.fromEntries([...statuses].sort(([x], [y]) => x - y));
    const byApi = { partner: 0, operator: 0, portal: 0 };
    for (const r of routes) byApi[r.api]++;
    console.log(`hostile-input (${testDialect()}): ${requests} requests over ${routes.length} routes (${JSON.stringify(byApi)}) in ${((Date.now() - started) / 1000).toFixed(1)} s; statuses ${JSON.stringify(histogram)}`);
    expect(fiveHundreds).toEqual([]);
    expect(partialWrites).toEqual([]);
    expect(unshaped).toEqual([]);
  }, 300_000);
});

/** The shapes the issue reported as 5xx, one by one: each a 4xx with a stable code naming the field. */
describe(`hostile input: the reported shapes (${testDialect()})`, () => {
  let t: TestContext;
  let app: FastifyInstance;
  let a: ChainFixture;
  let op: string;

  beforeAll(async () => {
    t = await createTestContext({ config: { rateLimitMax: 0 } });
    app = await buildApp(t.ctx);
    a = await seedChain(t.ctx, 'Reported');
    op = await operatorKey(t.ctx);
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await t?.close();
  });

  const opCall = (method: Method, url: string, payload?: unknown) =>
    app.inject({ method, url, headers: { authorization: `Bearer ${op}`, ...(payload !== undefined ? { 'content-type': 'application/json' } : {}) }, ...(payload !== undefined ? { payload: typeof payload === 'string' ? payload : JSON.stringify(payload) } : {}) });
  const count = async (table: 'chains' | 'vendors' | 'users' | 'sftp_users' | 'webhook_events') =>
    Number((await t.ctx.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

  function expectRefusal(res: { statusCode: number; json(): any }, status: number, code: string, field: string): void {
    expect(res.statusCode, JSON.stringify(res.json())).toBe(status);
    expect(res.json().error.code).toBe(code);
    expect(res.json().error.message).toContain(field);
  }

  it('NUL in a form body (POST /v2/oauth/token client_id=%00) → 400 invalid_request naming body.client_id (the OAuth shape)', async () => {
    const res = await app.inject({ method: 'POST', url: '/v2/oauth/token', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'grant_type=client_credentials&client_id=%00&client_secret=x' });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ error: 'invalid_request', error_description: 'body.client_id contains a NUL byte' });
  });

  it('NUL in a query (catalog ?query_term=%00) and in a path parameter → 400 INVALID_TEXT naming it', async () => {
    const q = await app.inject({ method: 'GET', url: `/v2/chains/${a.chain.id}/vendors/${a.direct.code}/catalog?query_term=%00`, headers: { authorization: `Bearer ${a.token}` } });
    expectRefusal(q, 400, 'INVALID_TEXT', 'querystring.query_term');
    const p = await app.inject({ method: 'GET', url: `/v2/chains/${a.chain.id}/vendors/x%00y/catalog`, headers: { authorization: `Bearer ${a.token}` } });
    expectRefusal(p, 400, 'INVALID_TEXT', 'params.vendor_id');
  });

  it('lone surrogates and NUL in JSON values and keys → 400 INVALID_TEXT, nothing written', async () => {
    const before = await count('chains');
    expectRefusal(await opCall('POST', '/platform/v1/chains', '{"name":"A\\ud800B"}'), 400, 'INVALID_TEXT', 'body.name');
    expectRefusal(await opCall('POST', '/platform/v1/chains', '{"name":"ok","x\\u0000":1}'), 400, 'INVALID_TEXT', 'body[x%00]');
    expectRefusal(await opCall('POST', '/platform/v1/chains', { name: 'nul\u0000' }), 400, 'INVALID_TEXT', 'body.name');
    expect(await count('chains')).toBe(before);
  });

  it('huge page numbers → 400 naming querystring.page', async () => {
    for (const page of ['99999999999999999999999', '1000000000']) {
      const res = await app.inject({ method: 'GET', url: `/v2/chains/${a.chain.id}/vendors/${a.direct.code}/catalog?page=${page}`, headers: { authorization: `Bearer ${a.token}` } });
      expectRefusal(res, 400, 'VALIDATION_FAILED', 'querystring.page');
    }
  });

  it('year 0000 (and past 9999) in a time → 400 naming the field', async () => {
    const url = `/platform/v1/chains/${a.chain.id}/webhooks/00000000-0000-4000-8000-000000000000/replay`;
    expectRefusal(await opCall('POST', url, { since: '0000-01-01T00:00:00Z' }), 400, 'VALIDATION_FAILED', 'body.since');
    expectRefusal(await opCall('POST', url, { since: '9999-12-31T23:59:59-23:00' }), 400, 'VALIDATION_FAILED', 'body.since');
    expect((await opCall('POST', url, { since: '2026-01-01T00:00:00Z' })).statusCode).toBe(404);
  });

  it('six concurrent creates of the same unique value → one 201 and five 409 (e-mail, external id, SFTP login)', async () => {
    const six = async (make: () => Promise<{ statusCode: number; json(): any }>, code: string) => {
      const answers = await Promise.all(Array.from({ length: 6 }, make));
      const statuses = answers.map((r) => r.statusCode).sort();
      expect(statuses, JSON.stringify(answers.map((r) => r.json()))).toEqual([201, 409, 409, 409, 409, 409]);
      for (const r of answers.filter((x) => x.statusCode === 409)) expect(r.json().error.code).toBe(code);
    };
    await six(() => opCall('POST', `/platform/v1/chains/${a.chain.id}/users`, { email: 'race@example.test', password: 'a-long-enough-password-1', role: 'staff' }), 'EMAIL_TAKEN');
    await six(() => opCall('POST', `/platform/v1/chains/${a.chain.id}/vendors`, { name: 'Race', external_id: 'RACE-1' }), 'EXTERNAL_ID_TAKEN');
    await six(() => opCall('POST', `/platform/v1/chains/${a.chain.id}/sftp-login`, {}), 'SFTP_LOGIN_EXISTS');
    expect(await count('sftp_users')).toBe(1);
  });

  it('a refused enum lists the allowed values once, naming the field once', async () => {
    const res = await app.inject({
      method: 'PUT',
      url: `/v2/chains/${a.chain.id}/promotion`,
      headers: { authorization: `Bearer ${a.token}`, 'content-type': 'application/json' },
      payload: { type: 'BOGUS', display_name: { es: 'x' }, vendors: [a.direct.code], start_time: '2026-01-01T00:00:00Z', end_time: '2026-02-01T00:00:00Z', skus: [] },
    });
    expect(res.statusCode).toBe(400);
    const err = res.json().error;
    const type = err.details.fields.filter((f: { field: string }) => f.field === 'body.type');
    expect(type).toEqual([{ field: 'body.type', problem: 'must be one of STRIKETHROUGH, SAME_ITEM_BUNDLE' }]);
    expect(JSON.stringify(err)).not.toContain('equal to constant');
  });

  it('an operator events batch with one bad row answers 4xx and commits none of it', async () => {
    const before = await count('webhook_events');
    const events = [
      { type: 'ORDER_RECEIVED', order_key: 'o-1', payload: { ok: 1 } },
      { type: 'ORDER_RECEIVED', order_key: 'o-2', payload: { bad: 'x\u0000' } },
    ];
    const res = await opCall('POST', `/platform/v1/chains/${a.chain.id}/webhooks/events`, { events });
    expectRefusal(res, 400, 'INVALID_TEXT', 'body.events[1].payload.bad');
    expect(await count('webhook_events')).toBe(before);
  });
});
