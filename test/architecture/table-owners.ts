/**
 * Which domain owns each table, and which tables each source file touches, read from the source text.
 * A domain's tables are the ones its file under src/db/tables/ declares (tables/orders.ts: the orders
 * domain); the foundation tables of src/db/schema.ts are named here. The uses are the Kysely calls
 * (selectFrom, insertInto, updateTable, deleteFrom, joins) and raw SQL (`from`, `join`, `into`, `update`).
 * Printable: `npx tsx test/architecture/table-owners.ts`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { areaOf, readImportGraph, ROOT } from './import-graph.js';

const SRC = path.join(ROOT, 'src');

/** The foundation tables (src/db/schema.ts) and the domain that owns each. */
export const FOUNDATION_OWNERS: Record<string, string> = {
  chains: 'chains',
  vendors: 'vendors',
  users: 'users',
  chain_memberships: 'users',
  portal_sessions: 'users',
  api_tokens: 'tokens',
  oauth_clients: 'oauth',
  oauth_access_tokens: 'oauth',
  operator_keys: 'operator',
  audit_log: 'audit',
};

/** Tables only raw SQL reaches (no Kysely type: their counter columns are a list in code). */
export const UNTYPED_OWNERS: Record<string, string> = { webhook_stats: 'webhooks' };

/**
 * Reference data every domain may join to for reading: the chain and the store a row belongs to
 * (code, name, time zone, test flag). Writing them stays with their owners.
 */
export const SHARED_FOR_READING = ['chains', 'vendors'];

/** Code that may touch any table: the ground floor (migrations, backups) and the test support. */
const UNRESTRICTED = new Set(['db', 'platform', 'test-support']);

/** Table → owning domain. */
export function tableOwners(): Map<string, string> {
  const owners = new Map<string, string>(Object.entries({ ...FOUNDATION_OWNERS, ...UNTYPED_OWNERS }));
  const dir = path.join(SRC, 'db/tables');
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
    const text = fs.readFileSync(path.join(dir, file), 'utf8');
    const block = /export interface \w+Tables \{([^}]*)\}/.exec(text);
    for (const m of (block?.[1] ?? '').matchAll(/^\s*([a-z_]+):\s*\w+;/gm)) owners.set(m[1]!, file.replace(/\.ts$/, ''));
  }
  return owners;
}

/** The tables the migrations leave in place (created and not dropped afterwards, reading each `up`), in migration order. */
export function migratedTables(): string[] {
  const dir = path.join(SRC, 'db/migrations');
  const live = new Set<string>();
  for (const file of fs.readdirSync(dir).filter((f) => /^\d{4}_.*\.ts$/.test(f)).sort()) {
    const text = fs.readFileSync(path.join(dir, file), 'utf8');
    // Only the way up: a `down` undoes its own file's tables.
    const up = text.split(/\bdown\b\s*[:(]/)[0]!;
    for (const m of up.matchAll(/\.(createTable|dropTable)\('([a-z_]+)'\)/g)) {
      if (m[1] === 'createTable') live.add(m[2]!);
      else live.delete(m[2]!);
    }
  }
  return [...live].sort();
}

export interface TableUse {
  file: string;
  table: string;
  write: boolean;
}

const BUILDER = /\b(selectFrom|insertInto|updateTable|deleteFrom|innerJoin|leftJoin|rightJoin|fullJoin|replaceInto|mergeInto)\(\s*'([a-z_]+)(?: as \w+)?'/g;
const RAW = /\b(from|join|into|update)\s+"?([a-z_]+)"?/gi;

/** Every table use in src/ outside tests, comments stripped. */
export function tableUses(owners: Map<string, string>): TableUse[] {
  const uses: TableUse[] = [];
  for (const file of readImportGraph().files) {
    const text = fs.readFileSync(path.join(SRC, file), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
    for (const m of text.matchAll(BUILDER)) uses.push({ file, table: m[2]!, write: /^(insertInto|updateTable|deleteFrom|replaceInto|mergeInto)$/.test(m[1]!) });
    for (const m of text.matchAll(RAW)) {
      const table = m[2]!.toLowerCase();
      if (owners.has(table)) uses.push({ file, table, write: /^(into|update)$/i.test(m[1]!) });
    }
  }
  return uses;
}

/** Uses that break the rule "a domain touches only its own tables" (reference data may be read), as "file: why". */
export function foreignTableUses(owners: Map<string, string>, uses: TableUse[]): string[] {
  const breaks = new Set<string>();
  for (const u of uses) {
    const area = areaOf(u.file);
    const owner = owners.get(u.table);
    if (!owner || UNRESTRICTED.has(area) || area === owner) continue;
    if (!u.write && SHARED_FOR_READING.includes(u.table)) continue;
    breaks.add(`${u.file}: ${u.write ? 'writes' : 'reads'} ${u.table}, which ${owner}/ owns`);
  }
  return [...breaks].sort();
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const owners = tableOwners();
  const breaks = foreignTableUses(owners, tableUses(owners));
  process.stdout.write(`${owners.size} tables, ${breaks.length} foreign uses\n${breaks.map((b) => `  ${b}\n`).join('')}`);
}
