import { MAX_PAGE, PageNumber } from '../platform/http/schemas.js';
import { Type, type Static } from 'typebox';

/** Documented caps (also in the route descriptions and docs). */
export const CATALOG_CAPS = {
  /** Rows per PUT vendor catalog request. */
  updateRowsPerRequest: 10_000,
  /** Products per POST chain catalog request. */
  createRowsPerRequest: 5_000,
  /** Vendors named per POST chain catalog request (or "*"). */
  vendorsPerRequest: 500,
  /** Body size of those two requests, bytes. */
  bodyBytes: 8 * 1024 * 1024,
  catalogPageSizeMax: 500,
  jobResultsPageSizeMax: 1000,
} as const;

const LocaleMap = Type.Record(Type.String({ pattern: '^[a-z]{2}(_[A-Z]{2})?$' }), Type.String({ maxLength: 5000 }), {
  description: 'texts per locale, e.g. {"es_AR": "Yerba mate 1 kg"}',
});
const Sku = Type.String({ minLength: 1, maxLength: 64 });
const Barcode = Type.String({ minLength: 1, maxLength: 32 });

export const CatalogUpdateItem = Type.Object(
  {
    sku: Type.Optional(Sku),
    barcode: Type.Optional(Barcode),
    price: Type.Optional(Type.Number({ description: '> 0; extra decimals beyond 3 are truncated' })),
    active: Type.Optional(Type.Boolean()),
    quantity: Type.Optional(
      Type.Integer({ description: 'not stored: quantity ≤ sales_buffer → inactive, > → active. With active: active:false → inactive whatever the quantity; active:true → the quantity decides' }),
    ),
    maximum_sales_quantity: Type.Optional(Type.Union([Type.Integer(), Type.Null()], { description: 'units per order; null removes the cap' })),
    max_sales_quantity: Type.Optional(Type.Union([Type.Integer(), Type.Null()], { description: 'another name of maximum_sales_quantity (used when that one is not sent)' })),
  },
  { additionalProperties: false },
);

export const CatalogUpdateBody = Type.Object(
  { products: Type.Array(CatalogUpdateItem, { minItems: 1, maxItems: CATALOG_CAPS.updateRowsPerRequest }) },
  { additionalProperties: false },
);
export type CatalogUpdateBody = Static<typeof CatalogUpdateBody>;

export const ProductCreateItem = Type.Object(
  {
    sku: Sku,
    barcode: Type.Optional(Type.Union([Type.Array(Barcode, { maxItems: 20 }), Barcode], { description: 'GTINs: a list, or one code' })),
    barcodes: Type.Optional(Type.Union([Type.Array(Barcode, { maxItems: 20 }), Barcode], { description: 'another name of barcode (both may be sent: the codes are merged)' })),
    title: LocaleMap,
    description: Type.Optional(LocaleMap),
    categories: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 600 }), {
        maxItems: 10,
        description: 'category ids (as GET categories answers them) or paths, levels separated by "/": "Almacén/Yerbas" (a missing path is created)',
      }),
    ),
    brand: Type.Optional(Type.Union([Type.String({ maxLength: 200 }), Type.Null()])),
    image_url: Type.Optional(Type.Union([Type.String({ maxLength: 2000 }), Type.Null()])),
    is_sold_by_weight: Type.Optional(Type.Boolean()),
    weight_specifications: Type.Optional(
      Type.Union([
        Type.Object(
          {
            base_weight: Type.Optional(Type.Union([Type.Number(), Type.Null()], { description: 'kg' })),
            average_weight_per_piece: Type.Optional(Type.Union([Type.Number(), Type.Null()], { description: 'kg' })),
          },
          { additionalProperties: false },
        ),
        Type.Null(),
      ]),
    ),
    vat_percent: Type.Optional(Type.Number({ description: 'default 21' })),
    price: Type.Number({ description: '> 0; extra decimals beyond 3 are truncated' }),
    active: Type.Optional(Type.Boolean()),
    sales_buffer: Type.Optional(Type.Integer()),
    quantity: Type.Optional(Type.Integer({ description: 'not stored: like the bulk update, quantity > sales_buffer → active, ≤ → inactive (active:false wins)' })),
    maximum_sales_quantity: Type.Optional(Type.Union([Type.Integer(), Type.Null()])),
    max_sales_quantity: Type.Optional(Type.Union([Type.Integer(), Type.Null()], { description: 'another name of maximum_sales_quantity' })),
  },
  { additionalProperties: false },
);

export const ProductCreateBody = Type.Object(
  {
    vendors: Type.Array(Type.String({ minLength: 1, maxLength: 64 }), {
      minItems: 1,
      maxItems: CATALOG_CAPS.vendorsPerRequest,
      description: 'platform codes or external ids, or ["*"] for every vendor of the chain',
    }),
    products: Type.Array(ProductCreateItem, { minItems: 1, maxItems: CATALOG_CAPS.createRowsPerRequest }),
  },
  { additionalProperties: false },
);
export type ProductCreateBody = Static<typeof ProductCreateBody>;

export const JobAccepted = Type.Object({
  job_id: Type.String(),
  job_status: Type.Literal('QUEUED'),
  job_type: Type.String(),
  rows: Type.Integer(),
  status_url: Type.String(),
});

export const CatalogProduct = Type.Object(
  {
    product_id: Type.String(),
    sku: Type.String(),
    barcode: Type.Array(Type.String()),
    title: LocaleMap,
    description: LocaleMap,
    categories: Type.Array(Type.String(), { description: 'category paths' }),
    category_ids: Type.Array(Type.String()),
    brand: Type.Union([Type.String(), Type.Null()]),
    image_url: Type.Union([Type.String(), Type.Null()]),
    is_sold_by_weight: Type.Boolean(),
    weight_specifications: Type.Union([
      Type.Object({ base_weight: Type.Union([Type.Number(), Type.Null()]), average_weight_per_piece: Type.Union([Type.Number(), Type.Null()]) }),
      Type.Null(),
    ]),
    vat_percent: Type.Number(),
    price: Type.Number({ description: "this vendor's price" }),
    active: Type.Boolean(),
    maximum_sales_quantity: Type.Union([Type.Integer(), Type.Null()]),
    sales_buffer: Type.Integer(),
    updated_at: Type.String({ format: 'date-time' }),
  },
  { $id: 'CatalogProduct', title: 'CatalogProduct' },
);

export const CatalogQuery = Type.Object(
  {
    query_term: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'matches sku, barcode, title or brand (case-insensitive)' })),
    is_active: Type.Optional(Type.Boolean()),
    category_id: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'the category and its sub-categories' })),
    category_global_ids: Type.Optional(
      Type.String({ minLength: 1, maxLength: 2000, description: 'comma-separated category ids: products in any of them (or their sub-categories); with category_id, both must match' }),
    ),
    locale: Type.Optional(Type.String({ pattern: '^[A-Za-z]{2}([_-][A-Za-z]{2})?$', description: 'e.g. es_AR (or es-AR): titles and descriptions list this locale first' })),
    page: Type.Optional(PageNumber()),
    page_number: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_PAGE, description: 'another name of page (used when page is not sent, or is 1)' })),
    page_size: Type.Optional(Type.Integer({ minimum: 1, maximum: CATALOG_CAPS.catalogPageSizeMax, default: 50 })),
  },
  { additionalProperties: false },
);

export const CatalogPage = Type.Object({
  products: Type.Array(CatalogProduct),
  page_number: Type.Integer(),
  page_size: Type.Integer(),
  total_pages: Type.Integer(),
  total_count: Type.Integer(),
});

export interface CategoryNode {
  id: string;
  name: string;
  path: string;
  product_count: number;
  children: CategoryNode[];
}
export const CategoryNodeSchema = Type.Cyclic(
  {
    CategoryNode: Type.Object({
      id: Type.String(),
      name: Type.String(),
      path: Type.String(),
      product_count: Type.Integer({ description: "this vendor's listed products directly in this category" }),
      children: Type.Array(Type.Ref('CategoryNode')),
    }),
  },
  'CategoryNode',
);

export const CategoriesQuery = Type.Object(
  { only_leaves: Type.Optional(Type.Boolean({ description: 'true: the categories without sub-categories, as a flat list' })) },
  { additionalProperties: false },
);

export const JobParams = Type.Object({ chain_id: Type.String({ minLength: 1, maxLength: 64 }), job_id: Type.String({ minLength: 1, maxLength: 64 }) });
export const JobQuery = Type.Object(
  {
    page: Type.Optional(PageNumber()),
    page_size: Type.Optional(Type.Integer({ minimum: 1, maximum: CATALOG_CAPS.jobResultsPageSizeMax, default: 100 })),
  },
  { additionalProperties: false },
);
