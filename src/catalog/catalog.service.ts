import { writeAudit } from '../audit/index.js';
import { partnerMaySee } from '../platform/access.js';
import type { AppContext } from '../platform/context.js';
import type { PartnerPrincipal } from '../platform/access.js';
import { AppError } from '../platform/errors.js';
import { createJob, type Job, notifyJobQueued, setJobTotalRows } from '../jobs/index.js';
import { listVendors, type Vendor } from '../vendors/index.js';
import { categoryPaths, findCategory, listCategories } from './categories.repository.js';
import { CATALOG_EXPORT_JOB, CATALOG_UPDATE_JOB, PRODUCT_CREATE_JOB } from './catalog.jobs.js';
import type { CatalogUpdateBody, CategoryNode, ProductCreateBody } from './catalog.schemas.js';
import { listVendorCatalog, type CatalogFilter } from './listings.repository.js';
import { fromMilli } from '../platform/money.js';

/**
 * Listing updates are light (one indexed UPDATE per row), so a step takes 5,000 of them: fewer
 * commits and per-step statements per row, still a short transaction.
 */
export const UPDATE_CHUNK_ROWS = 5000;

/** PUT vendor catalog: stores the rows as a job's input (one transaction) and queues it. */
export async function enqueueCatalogUpdate(ctx: AppContext, vendor: Vendor, body: CatalogUpdateBody, actor: string): Promise<Job> {
  const job = await ctx.db.transaction().execute(async (trx) => {
    const job = await createJob(ctx, trx, { chainId: vendor.chain_id, vendorId: vendor.id, type: CATALOG_UPDATE_JOB, createdBy: actor, params: { vendor_code: vendor.code } }, body.products, {
      chunkRows: UPDATE_CHUNK_ROWS,
    });
    await writeAudit(trx, { chainId: vendor.chain_id, actor, action: 'catalog.update', targetType: 'vendor', targetId: vendor.id, details: editSummary(job, vendor.code, body.products) }, ctx.clock.now());
    return job;
  });
  notifyJobQueued();
  return job;
}

/** What an audit row says about a catalog edit: the job, how many rows, which fields, the first SKUs. */
function editSummary(job: Job, vendorCode: string | null, rows: ReadonlyArray<Record<string, unknown>>): Record<string, unknown> {
  const fields = new Set<string>();
  for (const r of rows) for (const k of Object.keys(r)) if (k !== 'sku' && k !== 'barcode') fields.add(k);
  const skus = rows.slice(0, AUDIT_SKUS).map((r) => String(r.sku ?? r.barcode ?? ''));
  return { job_id: job.id, ...(vendorCode ? { vendor: vendorCode } : {}), rows: rows.length, fields: [...fields].sort(), skus, ...(rows.length > AUDIT_SKUS ? { more: rows.length - AUDIT_SKUS } : {}) };
}
/** SKUs named in an audit row (the job's results have them all). */
const AUDIT_SKUS = 20;

/** The vendors a POST chain catalog body names ("*" = every vendor the caller may see). */
export async function resolveTargetVendors(ctx: AppContext, principal: PartnerPrincipal, refs: readonly string[]): Promise<Vendor[]> {
  const visible = (await listVendors(ctx.db, principal.chainId)).filter((v) => partnerMaySee(principal, v));
  if (refs.includes('*')) {
    if (refs.length > 1) throw new AppError('VALIDATION_FAILED', 'body.vendors: "*" must be the only entry', { fields: [{ field: 'body.vendors', problem: '"*" must be alone' }] });
    return visible;
  }
  const out = new Map<string, Vendor>();
  const unknown: string[] = [];
  for (const ref of refs) {
    const v = visible.find((x) => x.code === ref) ?? visible.find((x) => x.external_id === ref);
    if (v) out.set(v.id, v);
    else unknown.push(ref);
  }
  if (unknown.length) throw new AppError('UNKNOWN_VENDORS', `body.vendors: not vendors of this chain: ${unknown.slice(0, 20).join(', ')}`, { invalid_vendors: unknown });
  return [...out.values()];
}

/** POST chain catalog: create/update products and list them on the target vendors, as a job. */
export async function enqueueProductCreate(ctx: AppContext, principal: PartnerPrincipal, body: ProductCreateBody, actor: string): Promise<Job> {
  const vendors = await resolveTargetVendors(ctx, principal, body.vendors);
  return enqueueProductCreateFor(ctx, principal.chainId, vendors, body.products, actor);
}

/** Product creation for vendors already resolved (the partner route above, the portal). */
export async function enqueueProductCreateFor(ctx: AppContext, chainId: string, vendors: readonly Vendor[], products: ProductCreateBody['products'], actor: string): Promise<Job> {
  const job = await ctx.db.transaction().execute(async (trx) => {
    const job = await createJob(
      ctx,
      trx,
      { chainId, type: PRODUCT_CREATE_JOB, createdBy: actor, params: { vendor_ids: vendors.map((v) => v.id), vendor_codes: vendors.map((v) => v.code) } },
      products,
    );
    const details = { ...editSummary(job, null, products), vendors: vendors.slice(0, AUDIT_SKUS).map((v) => v.code), vendor_count: vendors.length };
    await writeAudit(trx, { chainId, actor, action: 'catalog.create', targetType: 'product', targetId: products.length === 1 ? products[0]!.sku : null, details }, ctx.clock.now());
    return job;
  });
  notifyJobQueued();
  return job;
}

/** POST export: a job that writes the vendor's catalog as CSV. */
export async function enqueueExport(ctx: AppContext, vendor: Vendor, actor: string): Promise<Job> {
  const { n } = await ctx.db.selectFrom('listings').select((eb) => eb.fn.countAll<number>().as('n')).where('vendor_id', '=', vendor.id).executeTakeFirstOrThrow();
  const job = await createJob(ctx, ctx.db, { chainId: vendor.chain_id, vendorId: vendor.id, type: CATALOG_EXPORT_JOB, createdBy: actor, params: { vendor_code: vendor.code, locale: vendor.locale } });
  await setJobTotalRows(ctx.db, job.id, Number(n));
  notifyJobQueued();
  return { ...job, totalRows: Number(n) };
}

/** A locale map with `locale` first (es_AR, es-AR and es-ar name the same locale); the same map when it has no such key. */
export function localeFirst(map: Record<string, string>, locale: string | undefined): Record<string, string> {
  if (!locale) return map;
  const [lang, region] = locale.split(/[_-]/);
  const key = region ? `${lang!.toLowerCase()}_${region.toUpperCase()}` : lang!.toLowerCase();
  if (!(key in map) || Object.keys(map)[0] === key) return map;
  return { [key]: map[key]!, ...map };
}

export interface CatalogPageQuery {
  query_term?: string;
  is_active?: boolean;
  category_id?: string;
  /** Comma-separated category ids, any of which matches (the real platform's name). */
  category_global_ids?: string;
  locale?: string;
  page?: number;
  /** The real platform's name of `page` (used when `page` is not sent, or is 1). */
  page_number?: number;
  page_size?: number;
}

/** GET vendor catalog: one page of listed products with this vendor's listing fields. */
export async function vendorCatalogPage(ctx: AppContext, vendor: Vendor, q: CatalogPageQuery) {
  // `page` has a default (1), so a page_number counts whenever page is 1: sent or filled in.
  const page = q.page_number !== undefined && (q.page ?? 1) === 1 ? q.page_number : (q.page ?? 1);
  const pageSize = q.page_size ?? 50;
  const filter: CatalogFilter = { queryTerm: q.query_term, isActive: q.is_active, categoryPaths: [] };
  if (q.category_id !== undefined) {
    const category = await findCategory(ctx.db, vendor.chain_id, q.category_id);
    if (!category) throw new AppError('CATEGORY_NOT_FOUND', `query.category_id: no category ${q.category_id} in this chain`);
    filter.categoryPaths!.push(category.path);
  }
  if (q.category_global_ids !== undefined) {
    const ids = [...new Set(q.category_global_ids.split(',').map((s) => s.trim()).filter(Boolean))];
    if (ids.length > 0) {
      const paths = await categoryPaths(ctx.db, vendor.chain_id, ids);
      const unknown = ids.filter((id) => !paths.has(id));
      if (unknown.length) throw new AppError('CATEGORY_NOT_FOUND', `query.category_global_ids: no category ${unknown.slice(0, 10).join(', ')} in this chain`);
      filter.categoryPaths!.push([...paths.values()]);
    }
  }
  const { entries, total } = await listVendorCatalog(ctx.db, vendor.id, filter, page, pageSize);
  const paths = await categoryPaths(ctx.db, vendor.chain_id, entries.flatMap((e) => e.categoryIds));
  return {
    products: entries.map((e) => ({
      product_id: e.productId,
      sku: e.sku,
      barcode: e.barcodes,
      title: localeFirst(e.title, q.locale),
      description: localeFirst(e.description, q.locale),
      categories: e.categoryIds.map((id) => paths.get(id)).filter((p): p is string => p !== undefined),
      category_ids: e.categoryIds,
      brand: e.brand,
      image_url: e.imageUrl,
      is_sold_by_weight: e.isSoldByWeight,
      weight_specifications: e.weightSpecifications,
      vat_percent: e.vatPercent,
      price: fromMilli(e.priceMilli),
      active: e.active,
      maximum_sales_quantity: e.maximumSalesQuantity,
      sales_buffer: e.salesBuffer,
      updated_at: e.updatedAt,
    })),
    page_number: page,
    page_size: pageSize,
    total_pages: Math.ceil(total / pageSize),
    total_count: total,
  };
}

/** GET categories: the chain's category tree with this vendor's product counts; `onlyLeaves`: the leaves, flat. */
export async function categoryTree(ctx: AppContext, vendor: Vendor, opts: { onlyLeaves?: boolean } = {}): Promise<CategoryNode[]> {
  const categories = await listCategories(ctx.db, vendor.chain_id);
  const counts = await ctx.db
    .selectFrom('product_categories as pc')
    .innerJoin('listings as l', 'l.product_id', 'pc.product_id')
    .select(['pc.category_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('l.vendor_id', '=', vendor.id)
    .groupBy('pc.category_id')
    .execute();
  const countOf = new Map(counts.map((c) => [c.category_id, Number(c.n)]));
  const nodes = new Map<string, CategoryNode>();
  for (const c of categories) nodes.set(c.id, { id: c.id, name: c.name, path: c.path, product_count: countOf.get(c.id) ?? 0, children: [] });
  const roots: CategoryNode[] = [];
  for (const c of categories) {
    const node = nodes.get(c.id)!;
    const parent = c.parent_id ? nodes.get(c.parent_id) : undefined;
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  if (opts.onlyLeaves) return [...nodes.values()].filter((n) => n.children.length === 0);
  return roots;
}
