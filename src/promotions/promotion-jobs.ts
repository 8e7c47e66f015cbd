import { writeAudit } from '../audit/index.js';
import type { AppContext } from '../platform/context.js';
import { AppError } from '../platform/errors.js';
import { createStreamedJob, defineJob, deleteInputChunk, deleteJobInputs, findJob, JobFatalError, readInputChunk, type RefusedRows } from '../jobs/index.js';
import { Type, type Static } from 'typebox';
import { bool, iso, json, toJson } from '../db/rows.js';
import { uuid } from '../platform/secrets.js';
import { applyPairs, resolvePromotionVendors, upsertPromotionHeader, type PromotionVendor } from './promotion-apply.js';
import { upsertKey, type PromotionHeader, type PromotionSkuRow, type PromotionUpsertInput } from './promotion-input.js';
import { readIssues, type Issue, type IssueKind } from './promotions.repository.js';
import type { Executor } from '../db/database.js';
import { Readable } from 'node:stream';
import { csvLine } from '../platform/csv/csv-writer.js';
import type { PromotionJobStatus, PromotionJobView } from './promotions.schemas.js';

export const PROMOTION_JOB_TYPE = 'promotion_upsert';

const NullableNumber = Type.Union([Type.Number(), Type.Null()]);
/** The normalised header as a job keeps it (see PromotionHeader). */
const PromotionHeaderSchema = Type.Unsafe<PromotionHeader>(
  Type.Object({
    type: Type.String(),
    active: Type.Boolean(),
    reason: Type.String(),
    displayName: Type.Record(Type.String(), Type.String()),
    vendors: Type.Array(Type.String()),
    startTime: Type.String(),
    endTime: Type.String(),
    purchasedQuantity: NullableNumber,
    discountedQuantity: NullableNumber,
    globalLimit: NullableNumber,
    maxItemsPerOrder: NullableNumber,
    maxDiscountPerOrder: Type.Optional(NullableNumber),
  }),
);

/** What the job keeps in its params (durable): the normalised header and the resolved vendors. */
const PromotionJobParamsSchema = Type.Object({
  header: PromotionHeaderSchema,
  vendors: Type.Array(Type.Unsafe<PromotionVendor>(Type.Object({ id: Type.String(), ref: Type.String() }))),
  invalid_vendors: Type.Array(Type.String()),
  body_hash: Type.String(),
  upsert_key: Type.String(),
  source: Type.String(),
});
export type PromotionJobParams = Static<typeof PromotionJobParamsSchema>;

/** Where the next step starts: promotion id, input chunk, first vendor of the slice. */
const PromotionJobCursor = Type.Object({ p: Type.String(), seq: Type.Integer({ minimum: 0 }), off: Type.Integer({ minimum: 0 }) });
type Cursor = Static<typeof PromotionJobCursor>;

async function recordPromotionJob(db: AppContext['db'], row: { jobId: string; chainId: string; promotionId: string | null; params: PromotionJobParams; duplicate: boolean; createdAt: string }): Promise<void> {
  await db
    .insertInto('promotion_jobs')
    .values({
      job_id: row.jobId,
      chain_id: row.chainId,
      promotion_id: row.promotionId,
      upsert_key: row.params.upsert_key,
      body_hash: row.params.body_hash,
      duplicate: row.duplicate,
      invalid_vendors: toJson(row.params.invalid_vendors),
      source: row.params.source,
      created_at: row.createdAt,
    })
    .onConflict((oc) => (row.promotionId ? oc.column('job_id').doUpdateSet({ promotion_id: row.promotionId }) : oc.column('job_id').doNothing()))
    .execute();
}

/** Where a promotion job's status is (with its invalid vendors and SKUs). */
export function promotionJobUrl(ctx: AppContext, chainId: string, jobId: string): string {
  return `${ctx.config.publicUrl}/v2/chains/${chainId}/promotion/jobs/${jobId}`;
}

/**
 * Every refused (vendor, SKU) pair of a promotion job — what its status lists the first 1,000 of — as
 * CSV (`code,vendor,sku,message`) or one JSON document `{ job_id, job_status, results: [...] }`, streamed
 * a page at a time.
 */
export function promotionResultsStream(db: Executor, jobId: string, jobStatus: string, csv: boolean): Readable {
  const PAGE = 1000;
  return Readable.from(
    (async function* () {
      yield csv ? csvLine(['code', 'vendor', 'sku', 'message']) : `{"job_id":${JSON.stringify(jobId)},"job_status":${JSON.stringify(jobStatus)},"results":[`;
      let first = true;
      for (const kind of ['MISSING_SKU', 'INVALID_DISCOUNTED_SKU'] as const) {
        for (let offset = 0; ; offset += PAGE) {
          const rows = await db
            .selectFrom('promotion_job_issues')
            .select(['vendor', 'sku', 'reason'])
            .where('job_id', '=', jobId)
            .where('kind', '=', kind)
            .orderBy('vendor')
            .orderBy('sku')
            .limit(PAGE)
            .offset(offset)
            .execute();
          let text = '';
          for (const r of rows) {
            const message = `${ISSUE_WORDS[kind]} (${r.reason})`;
            if (csv) text += csvLine([kind, r.vendor, r.sku, message]);
            else {
              text += (first ? '' : ',') + JSON.stringify({ sku: r.sku, vendor: r.vendor, code: kind, message });
              first = false;
            }
          }
          if (text) yield text;
          if (rows.length < PAGE) break;
        }
      }
      if (!csv) yield ']}';
    })(),
  );
}

const ISSUE_WORDS: Record<IssueKind, string> = {
  MISSING_SKU: 'not listed at this vendor',
  INVALID_DISCOUNTED_SKU: 'the discount cannot apply to this listing',
};

/** The refused (vendor, SKU) pairs of a promotion job as refused rows: missing SKUs first, then invalid discounts. */
async function promotionRefusedRows(db: Executor, jobId: string, counts: Record<string, number>, limit: number): Promise<RefusedRows> {
  const missing = await readIssues(db, jobId, 'MISSING_SKU', limit);
  const invalid = missing.length < limit ? await readIssues(db, jobId, 'INVALID_DISCOUNTED_SKU', limit - missing.length) : [];
  const rows = [...missing, ...invalid].map((i) => ({ sku: i.sku, vendor: i.vendor, code: i.kind, message: `${ISSUE_WORDS[i.kind]} (${i.reason})` }));
  const total = Math.max(rows.length, (counts.MISSING_SKU ?? 0) + (counts.INVALID_DISCOUNTED_SKU ?? 0));
  return { refused_rows: rows, refused_count: total, refused_rows_truncated: total > rows.length };
}

/** The promotion upsert job type: first step writes the header, later steps the pairs. */
export const promotionJobHandler = defineJob({
  type: PROMOTION_JOB_TYPE,
  params: PromotionJobParamsSchema,
  cursor: PromotionJobCursor,
  completionEvent: 'PROMOTION_JOB_COMPLETED',
  resultColumns: ['kind', 'vendor', 'sku', 'reason'],
  downloadUrl: (ctx, job) => promotionJobUrl(ctx, job.chainId, job.id),
  resultsUrl: (ctx, job) => `${promotionJobUrl(ctx, job.chainId, job.id)}/results`,
  refusedRows: (db, job, limit) => promotionRefusedRows(db, job.id, job.counts, limit),
  async step(ctx, trx, job, cursor) {
    const params = job.params;
    if (!cursor) {
      if (params.vendors.length === 0) {
        throw new JobFatalError(`none of the vendors is a vendor of this chain: ${params.invalid_vendors.join(', ')}`);
      }
      const promotion = await upsertPromotionHeader(ctx, trx, job.chainId, params.header, { bodyHash: params.body_hash, source: params.source, jobId: job.id });
      await recordPromotionJob(trx, { jobId: job.id, chainId: job.chainId, promotionId: promotion.id, params, duplicate: false, createdAt: job.createdAt });
      // Deactivation only touches the header: the entries stay for a later re-activation.
      const done = !params.header.active || job.totalRows === 0;
      if (done) await deleteJobInputs(trx, job.id);
      return { done, cursor: { p: promotion.id, seq: 0, off: 0 }, processed: done ? job.totalRows : 0, errors: 0, counts: {} };
    }
    const chunk = await readInputChunk(trx, job.id, cursor.seq);
    if (!chunk) return { done: true, cursor, processed: 0, errors: 0, counts: {} };
    const rows = chunk.rows as PromotionSkuRow[];
    // One stored input chunk (≤ 1,000 SKUs) against as many vendors as fit in config.promotionPairsPerStep:
    // 2,000,000 pairs never sit in memory or in one transaction, and a crash resumes at the last step.
    const per = Math.max(1, Math.floor(ctx.config.promotionPairsPerStep / Math.max(rows.length, 1)));
    const slice = params.vendors.slice(cursor.off, cursor.off + per);
    const counts = await applyPairs(trx, ctx.dialect, { id: cursor.p, type: params.header.type }, slice, rows, { jobId: job.id });
    let next: Cursor = { ...cursor, off: cursor.off + per };
    let processed = 0;
    let done = false;
    if (next.off >= params.vendors.length) {
      await deleteInputChunk(trx, job.id, cursor.seq);
      processed = rows.length;
      done = chunk.firstRow + rows.length >= job.totalRows;
      next = { p: cursor.p, seq: cursor.seq + 1, off: 0 };
    }
    return {
      done,
      cursor: next,
      processed,
      errors: counts.MISSING_SKU + counts.INVALID_DISCOUNTED_SKU,
      counts: { ...counts } as unknown as Record<string, number>,
    };
  },
});

export interface SubmitOptions {
  actor: string;
  /** 'API' or 'SFTP' (shown in listings). */
  source: string;
  /** Sandbox callers: only test stores count as vendors. */
  testStoresOnly?: boolean;
}

/**
 * Queues a promotion upsert as a job (the PUT endpoint, and SFTP files that prefer a job per
 * campaign): vendors are resolved now, the SKU rows are streamed into durable job input a chunk at a
 * time. The same body as the last accepted request with this upsert key (not failed) is DUPLICATE
 * and queues nothing.
 */
export async function submitPromotionUpsert(ctx: AppContext, chainId: string, input: PromotionUpsertInput, opts: SubmitOptions): Promise<{ jobId: string; status: 'QUEUED' | 'DUPLICATE' }> {
  const key = upsertKey(input.header);
  const { vendors, invalid } = await resolvePromotionVendors(ctx.db, chainId, input.header.vendors, { testStoresOnly: opts.testStoresOnly });
  const params: PromotionJobParams = { header: input.header, vendors, invalid_vendors: invalid, body_hash: input.bodyHash, upsert_key: key, source: opts.source };
  const last = await ctx.db
    .selectFrom('promotion_jobs')
    .select(['body_hash', 'job_id'])
    .where('chain_id', '=', chainId)
    .where('upsert_key', '=', key)
    .where('duplicate', '=', false)
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  const now = ctx.clock.now().toISOString();
  if (last && last.body_hash === input.bodyHash && (await findJob(ctx.db, last.job_id))?.status !== 'FAILED') {
    const jobId = uuid();
    await recordPromotionJob(ctx.db, { jobId, chainId, promotionId: null, params, duplicate: true, createdAt: now });
    return { jobId, status: 'DUPLICATE' };
  }
  const job = await createStreamedJob(ctx, { chainId, type: PROMOTION_JOB_TYPE, params: params as unknown as Record<string, unknown>, createdBy: opts.actor }, input.rows);
  await ctx.db.transaction().execute(async (trx) => {
    await recordPromotionJob(trx, { jobId: job.id, chainId, promotionId: null, params, duplicate: false, createdAt: now });
    const h = input.header;
    await writeAudit(
      trx,
      {
        chainId,
        actor: opts.actor,
        action: h.active ? 'promotion.upsert' : 'promotion.deactivate',
        targetType: 'promotion',
        targetId: null,
        details: { job_id: job.id, name: Object.values(h.displayName)[0] ?? '', type: h.type, vendors: h.vendors.slice(0, 20), start_time: h.startTime, end_time: h.endTime, skus: job.totalRows, source: opts.source },
      },
      ctx.clock.now(),
    );
  });
  return { jobId: job.id, status: 'QUEUED' };
}

/** Problems listed per kind in a job view; counts carry the totals beyond it. */
export const ISSUES_LISTED = 1000;

function groupByVendor(issues: Issue[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const i of issues) (out[i.vendor] ??= []).push(i.sku);
  return out;
}

/** GET …/promotion/jobs/{job_id}: status, invalid vendors, missing and invalid SKUs per vendor. */
export async function getPromotionJob(ctx: AppContext, chainId: string, jobId: string, opts: { testStoresOnly?: boolean } = {}): Promise<PromotionJobView> {
  const pj = await ctx.db.selectFrom('promotion_jobs').selectAll().where('job_id', '=', jobId).where('chain_id', '=', chainId).executeTakeFirst();
  if (!pj) throw new AppError('PROMOTION_JOB_NOT_FOUND');
  const job = bool(pj.duplicate) ? undefined : await findJob(ctx.db, jobId);
  if (opts.testStoresOnly && job) {
    // Sandbox tokens see only jobs that touch test stores alone.
    const ids = ((job.params as unknown as PromotionJobParams).vendors ?? []).map((v) => v.id);
    const live = ids.length ? await ctx.db.selectFrom('vendors').select('id').where('id', 'in', ids).where('is_test', '=', false).limit(1).executeTakeFirst() : undefined;
    if (live) throw new AppError('PROMOTION_JOB_NOT_FOUND');
  }
  const invalidVendors = json<string[]>(pj.invalid_vendors);
  const url = `${promotionJobUrl(ctx, chainId, jobId)}/results`;
  if (bool(pj.duplicate)) {
    return {
      job_id: jobId,
      job_status: 'DUPLICATE',
      status: 'DUPLICATE',
      result: { invalid_vendors: invalidVendors, missing_skus: {}, invalid_discounted_skus: {} },
      promotion_id: null,
      invalid_vendors: invalidVendors,
      missing_skus: {},
      invalid_discounted_skus: {},
      issues_truncated: false,
      refused_rows: [],
      refused_count: 0,
      refused_rows_truncated: false,
      results_url: url,
      counts: {},
      total_rows: 0,
      processed_rows: 0,
      error: null,
      created_at: iso(pj.created_at),
      finished_at: iso(pj.created_at),
    };
  }
  if (!job) throw new AppError('PROMOTION_JOB_NOT_FOUND');
  const status: PromotionJobStatus = job.status === 'COMPLETED' ? 'COMPLETED' : job.status === 'FAILED' ? 'FAILED' : 'QUEUED';
  const missing = await readIssues(ctx.db, jobId, 'MISSING_SKU', ISSUES_LISTED);
  const invalid = await readIssues(ctx.db, jobId, 'INVALID_DISCOUNTED_SKU', ISSUES_LISTED);
  const counts = job.counts;
  const missingSkus = groupByVendor(missing);
  const invalidSkus = groupByVendor(invalid);
  return {
    job_id: jobId,
    job_status: status,
    status,
    result: { invalid_vendors: invalidVendors, missing_skus: missingSkus, invalid_discounted_skus: invalidSkus },
    promotion_id: pj.promotion_id,
    invalid_vendors: invalidVendors,
    missing_skus: missingSkus,
    invalid_discounted_skus: invalidSkus,
    issues_truncated: (counts.MISSING_SKU ?? 0) > missing.length || (counts.INVALID_DISCOUNTED_SKU ?? 0) > invalid.length,
    ...(await promotionRefusedRows(ctx.db, jobId, counts, ISSUES_LISTED)),
    results_url: url,
    counts,
    total_rows: job.totalRows,
    processed_rows: job.processedRows,
    error: job.error,
    created_at: job.createdAt,
    finished_at: job.finishedAt,
  };
}
