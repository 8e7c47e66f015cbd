import type { AppContext } from '../context.js';
import type { PartnerPrincipal } from '../http/auth.js';
import { AppError } from '../http/errors.js';
import { createJob, notifyJobQueued } from '../jobs/jobs.service.js';
import type { Job } from '../jobs/jobs.types.js';
import { canSeeVendor } from '../vendors/partner-vendor.js';
import { listVendors } from '../vendors/vendors.repository.js';
import type { Vendor } from '../vendors/vendors.schemas.js';
import { categoryPaths, findCategory, listCategories } from './categories.repository.js';
import { CATALOG_EXPORT_JOB, CATALOG_UPDATE_JOB, PRODUCT_CREATE_JOB } from './catalog.jobs.js';
import type { CatalogUpdateBody, CategoryNode, ProductCreateBody } from './catalog.schemas.js';
import { listVendorCatalog, type CatalogFilter } from './listings.repository.js';
import { fromMilli } from './money.js';

/**
 * Listing updates are light (one indexed UPDATE per row), so a step takes 5,000 of them: fewer
 * commits and per-step statements per row, still a short transaction.
 */
export const UPDATE_CHUNK_ROWS = 5000;

/** PUT vendor catalog: stores the rows as a job's input (one transaction) and queues it. */
export async function enqueueCatalogUpdate(ctx: AppContext, vendor: Vendor, body: CatalogUpdateBody, actor: string): Promise<Job> {
  const job = await ctx.db.transaction().execute((trx) =>
    createJob(ctx, trx, { chainId: vendor.chain_id, vendorId: vendor.id, type: CATALOG_UPDATE_JOB, createdBy: actor, params: { vendor_code: vendor.code } }, body.products, {
      chunkRows: UPDATE_CHUNK_ROWS,
    }),
  );
  notifyJobQueued();
  return job;
}

/** The vendors a POST chain catalog body names ("*" = every vendor the caller may see). */
export async function resolveTargetVendors(ctx: AppContext, principal: PartnerPrincipal, refs: readonly string[]): Promise<Vendor[]> {
  const visible = (await listVendors(ctx.db, principal.chainId)).filter((v) => canSeeVendor(principal, v));
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
  const job = await ctx.db.transaction().execute((trx) =>
    createJob(
      ctx,
      trx,
      { chainId: principal.chainId, type: PRODUCT_CREATE_JOB, createdBy: actor, params: { vendor_ids: vendors.map((v) => v.id), vendor_codes: vendors.map((v) => v.code) } },
      body.products,
    ),
  );
  notifyJobQueued();
  return job;
}

/** POST export: a job that writes the vendor's catalog as CSV. */
export async function enqueueExport(ctx: AppContext, vendor: Vendor, actor: string): Promise<Job> {
  const { n } = await ctx.db.selectFrom('listings').select((eb) => eb.fn.countAll<number>().as('n')).where('vendor_id', '=', vendor.id).executeTakeFirstOrThrow();
  const job = await createJob(ctx, ctx.db, { chainId: vendor.chain_id, vendorId: vendor.id, type: CATALOG_EXPORT_JOB, createdBy: actor, params: { vendor_code: vendor.code, locale: vendor.locale } });
  await ctx.db.updateTable('jobs').set({ total_rows: Number(n) }).where('id', '=', job.id).execute();
  notifyJobQueued();
  return { ...job, totalRows: Number(n) };
}

/** GET vendor catalog: one page of listed products with this vendor's listing fields. */
export async function vendorCatalogPage(ctx: AppContext, vendor: Vendor, q: { query_term?: string; is_active?: boolean; category_id?: string; page?: number; page_size?: number }) {
  const page = q.page ?? 1;
  const pageSize = q.page_size ?? 50;
  const filter: CatalogFilter = { queryTerm: q.query_term, isActive: q.is_active };
  if (q.category_id !== undefined) {
    const category = await findCategory(ctx.db, vendor.chain_id, q.category_id);
    if (!category) throw new AppError('CATEGORY_NOT_FOUND', `query.category_id: no category ${q.category_id} in this chain`);
    filter.categoryPath = category.path;
  }
  const { entries, total } = await listVendorCatalog(ctx.db, vendor.id, filter, page, pageSize);
  const paths = await categoryPaths(ctx.db, vendor.chain_id, entries.flatMap((e) => e.categoryIds));
  return {
    products: entries.map((e) => ({
      product_id: e.productId,
      sku: e.sku,
      barcode: e.barcodes,
      title: e.title,
      description: e.description,
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

/** GET categories: the chain's category tree with this vendor's product counts. */
export async function categoryTree(ctx: AppContext, vendor: Vendor): Promise<CategoryNode[]> {
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
  return roots;
}
