import { CompiledQuery } from 'kysely';
import { inText } from '../db/bulk.js';
import type { Dialect, Executor } from '../db/database.js';

/** One listing change of the bulk update: undefined fields stay as they are. */
export interface ListingPatch {
  sku: string;
  priceMilli?: number;
  active?: boolean;
  /** Decides `active` against the listing's own sales_buffer (quantity > buffer → active). */
  quantity?: number;
  /** undefined = keep; null = remove the cap. */
  maxQty?: number | null;
}

/** Rows per statement (SQLite: at most 5 bound values a row, far below its variable limit). */
const ROWS_PER_STATEMENT = 2000;
const textCache = new Map<string, string>();

/**
 * Which optional fields a batch carries (bit 1 price, 2 active, 4 quantity, 8 maxQty). On SQLite the
 * statement binds only those columns — a price+active file binds 3 values a row instead of 6 — and
 * the absent ones are NULL literals, so the SET and WHERE expressions keep their meaning.
 */
function shapeOf(part: readonly ListingPatch[]): number {
  let shape = 0;
  for (const x of part) {
    if (x.priceMilli !== undefined) shape |= 1;
    if (x.active !== undefined) shape |= 2;
    if (x.quantity !== undefined) shape |= 4;
    if (x.maxQty !== undefined) shape |= 8;
    if (shape === 15) break;
  }
  return shape;
}

/**
 * UPDATE … FROM (VALUES …) applying up to ROWS_PER_STATEMENT patches in one statement, computing
 * `active` from quantity vs sales_buffer in SQL, touching only rows that really change and RETURNING
 * their SKUs. One index probe per row and no read-then-write round trip.
 */
function patchSql(dialect: Dialect, rows: number, shape: number): string {
  const key = dialect === 'postgres' ? 'postgres' : `sqlite|${rows}|${shape}`;
  const cached = textCache.get(key);
  if (cached) return cached;
  const pg = dialect === 'postgres';
  const mark = (i: number) => (pg ? `$${i}` : '?');
  let s: string, p: string, a: string, q: string, ms: string, m: string;
  let from: string;
  if (pg) {
    [s, p, a, q, ms, m] = ['v.s', 'v.p::bigint', 'v.a::boolean', 'v.q::bigint', 'v.ms::boolean', 'v.m::integer'];
    from = 'from unnest($2::text[], $3::bigint[], $4::boolean[], $5::bigint[], $6::boolean[], $7::integer[]) as v(s, p, a, q, ms, m) ';
  } else {
    // VALUES columns are column1…columnN in bind order: sku, then the fields the shape carries.
    let n = 1;
    const col = (bit: number) => (shape & bit ? `v.column${++n}` : 'null');
    s = 'v.column1';
    p = col(1);
    a = col(2);
    q = col(4);
    m = col(8);
    // maxQty present in the batch: a row without it keeps the cap (NULL value, "set" flag false).
    ms = shape & 8 ? `v.column${++n}` : '0';
    const group = `(${Array.from({ length: n }, () => '?').join(',')})`;
    from = `from (values ${Array.from({ length: rows }, () => group).join(',')}) as v `;
  }
  const price = `coalesce(${p}, l.price_milli)`;
  const active = `case when ${q} is not null then ${q} > l.sales_buffer when ${a} is not null then ${a} else l.active end`;
  const maxQty = `case when ${ms} then ${m} else l.maximum_sales_quantity end`;
  const differs = pg ? 'is distinct from' : 'is not';
  // SQLite cannot alias the target in UPDATE … FROM on every version; both accept "listings as l" here.
  const text =
    `update listings as l set price_milli = ${price}, active = ${active}, maximum_sales_quantity = ${maxQty}, updated_at = ${mark(1)} ` +
    from +
    `where l.vendor_id = ${pg ? '$8' : '?'} and l.sku = ${s} ` +
    `and (l.price_milli <> ${price} or l.active <> (${active}) or l.maximum_sales_quantity ${differs} (${maxQty})) ` +
    `returning sku`;
  if (textCache.size > 100) textCache.delete(textCache.keys().next().value as string);
  textCache.set(key, text);
  return text;
}

/** Applies patches (each SKU at most once) and returns the SKUs that changed. */
export async function patchListings(db: Executor, dialect: Dialect, vendorId: string, patches: readonly ListingPatch[], now: string): Promise<Set<string>> {
  const changed = new Set<string>();
  for (let i = 0; i < patches.length; i += ROWS_PER_STATEMENT) {
    const part = i === 0 && patches.length <= ROWS_PER_STATEMENT ? patches : patches.slice(i, i + ROWS_PER_STATEMENT);
    let params: unknown[];
    let shape = 15;
    if (dialect === 'postgres') {
      // One array per column ($2…$7), so the statement text is the same for every batch.
      params = [now, part.map((x) => x.sku), part.map((x) => x.priceMilli ?? null), part.map((x) => x.active ?? null), part.map((x) => x.quantity ?? null), part.map((x) => x.maxQty !== undefined), part.map((x) => x.maxQty ?? null), vendorId];
    } else {
      // Parameters in text order (SQLite's `?` are positional): updated_at, the VALUES rows, vendor_id.
      // Booleans are bound as 1/0 here (the driver would convert them one by one otherwise).
      shape = shapeOf(part);
      params = [now];
      for (const x of part) {
        params.push(x.sku);
        if (shape & 1) params.push(x.priceMilli ?? null);
        if (shape & 2) params.push(x.active === undefined ? null : x.active ? 1 : 0);
        if (shape & 4) params.push(x.quantity ?? null);
        if (shape & 8) params.push(x.maxQty ?? null, x.maxQty !== undefined ? 1 : 0);
      }
      params.push(vendorId);
    }
    const result = await db.executeQuery<{ sku: string }>(CompiledQuery.raw(patchSql(dialect, part.length, shape), params));
    for (const row of result.rows) changed.add(row.sku);
  }
  return changed;
}

/** Which of these SKUs the vendor lists (one probe per unknown outcome). */
export async function listedSkus(db: Executor, dialect: Dialect, vendorId: string, skus: readonly string[]): Promise<Set<string>> {
  const out = new Set<string>();
  for (let i = 0; i < skus.length; i += 1000) {
    const rows = await db.selectFrom('listings').select('sku').where('vendor_id', '=', vendorId).where(inText(dialect, 'sku', skus.slice(i, i + 1000))).execute();
    for (const r of rows) out.add(r.sku);
  }
  return out;
}
