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

const WIDTH = 6;
const textCache = new Map<string, string>();

/**
 * UPDATE … FROM (VALUES …) applying up to 1,000 patches in one statement, computing `active` from
 * quantity vs sales_buffer in SQL, touching only rows that really change and RETURNING their SKUs.
 * One index probe per row and no read-then-write round trip.
 */
function patchSql(dialect: Dialect, rows: number): string {
  const key = dialect === 'postgres' ? 'postgres' : `sqlite|${rows}`;
  const cached = textCache.get(key);
  if (cached) return cached;
  const pg = dialect === 'postgres';
  const mark = (i: number) => (pg ? `$${i}` : '?');
  const groups: string[] = [];
  if (!pg) for (let r = 0; r < rows; r++) groups.push(`(${Array.from({ length: WIDTH }, () => '?').join(',')})`);
  const [s, p, a, q, ms, m] = pg ? ['v.s', 'v.p::bigint', 'v.a::boolean', 'v.q::bigint', 'v.ms::boolean', 'v.m::integer'] : ['v.column1', 'v.column2', 'v.column3', 'v.column4', 'v.column5', 'v.column6'];
  const price = `coalesce(${p}, l.price_milli)`;
  const active = `case when ${q} is not null then ${q} > l.sales_buffer when ${a} is not null then ${a} else l.active end`;
  const maxQty = `case when ${ms} then ${m} else l.maximum_sales_quantity end`;
  const differs = pg ? 'is distinct from' : 'is not';
  // SQLite cannot alias the target in UPDATE … FROM on every version; both accept "listings as l" here.
  const text =
    `update listings as l set price_milli = ${price}, active = ${active}, maximum_sales_quantity = ${maxQty}, updated_at = ${mark(1)} ` +
    (pg
      ? 'from unnest($2::text[], $3::bigint[], $4::boolean[], $5::bigint[], $6::boolean[], $7::integer[]) as v(s, p, a, q, ms, m) '
      : `from (values ${groups.join(',')}) as v `) +
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
  for (let i = 0; i < patches.length; i += 1000) {
    const part = patches.slice(i, i + 1000);
    let params: unknown[];
    if (dialect === 'postgres') {
      // One array per column ($2…$7), so the statement text is the same for every batch.
      params = [now, part.map((x) => x.sku), part.map((x) => x.priceMilli ?? null), part.map((x) => x.active ?? null), part.map((x) => x.quantity ?? null), part.map((x) => x.maxQty !== undefined), part.map((x) => x.maxQty ?? null), vendorId];
    } else {
      // Parameters in text order (SQLite's `?` are positional): updated_at, the VALUES rows, vendor_id.
      params = [now];
      for (const x of part) params.push(x.sku, x.priceMilli ?? null, x.active ?? null, x.quantity ?? null, x.maxQty !== undefined, x.maxQty ?? null);
      params.push(vendorId);
    }
    const result = await db.executeQuery<{ sku: string }>(CompiledQuery.raw(patchSql(dialect, part.length), params));
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
