import { PageNumber, UtcTime } from '../platform/http/schemas.js';
import { REFUSED_ROWS_FIELDS } from '../jobs/index.js';
import { Type, type Static } from 'typebox';

export const PROMOTION_REASONS = ['COMPETITIVENESS', 'OVERSTOCK', 'DELISTING', 'EXPIRING_SOON', 'NMR', 'TRADING', 'OTHER'] as const;

const PromotionTypeSchema = Type.Union([Type.Literal('STRIKETHROUGH'), Type.Literal('SAME_ITEM_BUNDLE')]);
const SubtypeSchema = Type.Union([Type.Literal('FINAL_PRICE'), Type.Literal('PERCENTAGE'), Type.Literal('ABSOLUTE'), Type.Literal('FREE_ITEM')], {
  description: 'STRIKETHROUGH: FINAL_PRICE | PERCENTAGE | ABSOLUTE; SAME_ITEM_BUNDLE: FREE_ITEM | PERCENTAGE | ABSOLUTE (on the discounted units)',
});
const ReasonSchema = Type.Union([
  Type.Literal('COMPETITIVENESS'),
  Type.Literal('OVERSTOCK'),
  Type.Literal('DELISTING'),
  Type.Literal('EXPIRING_SOON'),
  Type.Literal('NMR'),
  Type.Literal('TRADING'),
  Type.Literal('OTHER'),
]);
const LocaleMap = Type.Record(Type.String({ pattern: '^[a-z]{2}(_[A-Z]{2})?$' }), Type.String({ minLength: 1, maxLength: 200 }), {
  minProperties: 1,
  maxProperties: 20,
  description: 'locale → name, e.g. {"es_AR": "2x1 en bebidas"}',
});
const Sku = Type.String({ minLength: 1, maxLength: 100 });
/** Request times: with a zone, or without one = UTC (partner-api.md §9). */
const Time = UtcTime();

export const PromotionDiscountEntry = Type.Object(
  {
    discount_subtype: SubtypeSchema,
    discount_value: Type.Optional(
      Type.Number({ minimum: 0, maximum: 1_000_000_000, description: 'FINAL_PRICE / ABSOLUTE: money (3 decimals kept, rest truncated); PERCENTAGE: 1–100; FREE_ITEM: omitted' }),
    ),
    active: Type.Optional(Type.Boolean({ description: 'false removes these SKUs from the promotion' })),
    sku: Type.Array(Sku, { minItems: 1 }),
    max_quantity: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000, description: 'discounted units of each of these SKUs per order; units beyond it pay the listing price' })),
  },
  { additionalProperties: false },
);

export const PromotionUpsertBody = Type.Object(
  {
    vendors: Type.Array(Type.String({ minLength: 1, maxLength: 64 }), {
      minItems: 1,
      description: 'platform codes or external ids, or ["*"] for every vendor of the chain',
    }),
    type: PromotionTypeSchema,
    active: Type.Optional(Type.Boolean({ description: 'false deactivates the promotion (default true)' })),
    reason: ReasonSchema,
    display_name: LocaleMap,
    conditions: Type.Object(
      {
        start_time: Time,
        end_time: Time,
        purchased_quantity: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, description: 'SAME_ITEM_BUNDLE: units per bundle' })),
        discounted_quantity: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, description: 'SAME_ITEM_BUNDLE: discounted units per bundle' })),
      },
      { additionalProperties: false },
    ),
    limits: Type.Optional(
      Type.Object(
        {
          global_limit: Type.Optional(Type.Integer({ minimum: 1, description: 'how many orders may use the promotion in total' })),
          max_items_per_order: Type.Optional(Type.Integer({ minimum: 1, description: 'units of one promoted SKU per order' })),
          max_discount_per_order: Type.Optional(
            Type.Number({ exclusiveMinimum: 0, maximum: 1_000_000_000, description: 'money one order saves from this promotion at most (3 decimals kept, rest truncated)' }),
          ),
        },
        { additionalProperties: false },
      ),
    ),
    discount: Type.Array(PromotionDiscountEntry, { minItems: 1 }),
  },
  { additionalProperties: false, $id: 'PromotionUpsertBody', title: 'PromotionUpsert' },
);
export type PromotionUpsertBody = Static<typeof PromotionUpsertBody>;

export const PromotionJobAccepted = Type.Object({
  job_id: Type.String(),
  job_status: Type.Union([Type.Literal('QUEUED'), Type.Literal('DUPLICATE')]),
});

export const JOB_STATUSES_PUBLIC = ['QUEUED', 'COMPLETED', 'FAILED', 'DUPLICATE'] as const;
export type PromotionJobStatus = (typeof JOB_STATUSES_PUBLIC)[number];

const VendorSkuMap = Type.Record(Type.String(), Type.Array(Type.String()), { description: 'vendor (as named in the request, or platform code for "*") → SKUs' });

const PromotionJobStatusSchema = Type.Union([Type.Literal('QUEUED'), Type.Literal('COMPLETED'), Type.Literal('FAILED'), Type.Literal('DUPLICATE')], { description: 'QUEUED also while processing' });

export const PromotionJobView = Type.Object(
  {
    job_id: Type.String(),
    job_status: PromotionJobStatusSchema,
    status: Type.Union([Type.Literal('QUEUED'), Type.Literal('COMPLETED'), Type.Literal('FAILED'), Type.Literal('DUPLICATE')], { description: 'the same as job_status (kept for clients written against Comanda)' }),
    result: Type.Object(
      { invalid_vendors: Type.Array(Type.String()), missing_skus: VendorSkuMap, invalid_discounted_skus: VendorSkuMap },
      { description: 'the real platform\'s shape; the same lists are also at the top level' },
    ),
    promotion_id: Type.Union([Type.String(), Type.Null()]),
    invalid_vendors: Type.Array(Type.String()),
    missing_skus: VendorSkuMap,
    invalid_discounted_skus: VendorSkuMap,
    issues_truncated: Type.Boolean({ description: 'true when more problems exist than are listed (counts has the totals)' }),
    ...REFUSED_ROWS_FIELDS,
    results_url: Type.String({ description: 'every refused pair: GET …/promotion/jobs/{job_id}/results (CSV with Accept: text/csv, else JSON)' }),
    counts: Type.Record(Type.String(), Type.Integer()),
    total_rows: Type.Integer(),
    processed_rows: Type.Integer(),
    error: Type.Union([Type.String(), Type.Null()]),
    created_at: Type.String({ format: 'date-time' }),
    finished_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  },
  { $id: 'PromotionJob', title: 'PromotionJob' },
);
export type PromotionJobView = Static<typeof PromotionJobView>;

export const PromotionView = Type.Object(
  {
    promotion_id: Type.String(),
    type: PromotionTypeSchema,
    active: Type.Boolean(),
    state: Type.Union([Type.Literal('SCHEDULED'), Type.Literal('RUNNING'), Type.Literal('ENDED'), Type.Literal('INACTIVE')]),
    reason: Type.String(),
    display_name: Type.Record(Type.String(), Type.String()),
    vendors: Type.Array(Type.String()),
    conditions: Type.Object({
      start_time: Type.String({ format: 'date-time' }),
      end_time: Type.String({ format: 'date-time' }),
      purchased_quantity: Type.Union([Type.Integer(), Type.Null()]),
      discounted_quantity: Type.Union([Type.Integer(), Type.Null()]),
    }),
    limits: Type.Object({
      global_limit: Type.Union([Type.Integer(), Type.Null()]),
      max_items_per_order: Type.Union([Type.Integer(), Type.Null()]),
      max_discount_per_order: Type.Union([Type.Number(), Type.Null()]),
    }),
    used_count: Type.Integer({ description: 'orders that received the promotion' }),
    source: Type.String({ description: 'API or SFTP' }),
    created_at: Type.String({ format: 'date-time' }),
    updated_at: Type.String({ format: 'date-time' }),
  },
  { $id: 'Promotion', title: 'Promotion' },
);
export type PromotionView = Static<typeof PromotionView>;

export const PromotionListQuery = Type.Object(
  {
    active: Type.Optional(Type.Boolean()),
    vendor: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'platform code or external id: promotions with entries at this vendor' })),
    sku: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'promotions with this SKU' })),
    time: Type.Optional(UtcTime({ description: 'promotions running at this time; without a zone it is UTC' })),
    page: Type.Optional(PageNumber()),
    page_size: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
  },
  { additionalProperties: false },
);
export type PromotionListQuery = Static<typeof PromotionListQuery>;

export const PromotionList = Type.Object({
  promotions: Type.Array(PromotionView),
  pagination: Type.Object({ page: Type.Integer(), page_size: Type.Integer(), total_count: Type.Integer(), total_pages: Type.Integer() }),
});

export const PromotionJobParams = Type.Object({ chain_id: Type.String({ minLength: 1, maxLength: 64 }), job_id: Type.String({ minLength: 1, maxLength: 64 }) });
