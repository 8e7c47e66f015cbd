import type { Insertable } from 'kysely';
import type { Executor } from '../db/database.js';
import { iso, isoOrNull, num } from '../db/rows.js';
import { CATALOG_UPDATE_JOB } from '../catalog/index.js';
import type { CertificationReport } from './certify.types.js';
import type { CertificationsTable } from '../db/tables/certify.js';
import { findNewestVendorJob } from '../jobs/index.js';

/** One run as listed (newest first): no report body. */
export interface CertificationSummary {
  id: string;
  vendor_id: string;
  vendor_code: string;
  vendor_name: string;
  status: 'RUNNING' | 'PASSED' | 'FAILED';
  passed_checks: number;
  failed_checks: number;
  created_by: string;
  started_at: string;
  finished_at: string | null;
}

export async function insertCertification(db: Executor, row: Insertable<CertificationsTable>): Promise<void> {
  await db.insertInto('certifications').values(row).execute();
}

export async function finishCertification(db: Executor, report: CertificationReport): Promise<void> {
  await db
    .updateTable('certifications')
    .set({ status: report.status, passed_checks: report.summary.passed, failed_checks: report.summary.failed, report: JSON.stringify(report), finished_at: report.finished_at })
    .where('id', '=', report.id)
    .execute();
}

/** The id of a run of this chain still RUNNING that started after `since`. */
export async function runningCertification(db: Executor, chainId: string, since: string): Promise<string | undefined> {
  const row = await db.selectFrom('certifications').select('id').where('chain_id', '=', chainId).where('status', '=', 'RUNNING').where('started_at', '>', since).executeTakeFirst();
  return row?.id;
}

const summaryColumns = ['c.id', 'c.vendor_id', 'v.code as vendor_code', 'v.name as vendor_name', 'c.status', 'c.passed_checks', 'c.failed_checks', 'c.created_by', 'c.started_at', 'c.finished_at'] as const;

function toSummary(r: { id: string; vendor_id: string; vendor_code: string; vendor_name: string; status: string; passed_checks: number; failed_checks: number; created_by: string; started_at: unknown; finished_at: unknown }): CertificationSummary {
  return {
    id: r.id,
    vendor_id: r.vendor_id,
    vendor_code: r.vendor_code,
    vendor_name: r.vendor_name,
    status: r.status as CertificationSummary['status'],
    passed_checks: num(r.passed_checks),
    failed_checks: num(r.failed_checks),
    created_by: r.created_by,
    started_at: iso(r.started_at),
    finished_at: isoOrNull(r.finished_at),
  };
}

export async function listCertifications(db: Executor, chainId: string, limit = 50): Promise<CertificationSummary[]> {
  const rows = await db
    .selectFrom('certifications as c')
    .innerJoin('vendors as v', 'v.id', 'c.vendor_id')
    .select(summaryColumns)
    .where('c.chain_id', '=', chainId)
    .orderBy('c.started_at', 'desc')
    .orderBy('c.id')
    .limit(limit)
    .execute();
  return rows.map(toSummary);
}

/** A run of the chain: its summary and, once finished, its report. */
export async function findCertification(db: Executor, chainId: string, id: string): Promise<{ summary: CertificationSummary; report: CertificationReport | null } | undefined> {
  const row = await db
    .selectFrom('certifications as c')
    .innerJoin('vendors as v', 'v.id', 'c.vendor_id')
    .select([...summaryColumns, 'c.report'])
    .where('c.chain_id', '=', chainId)
    .where('c.id', '=', id)
    .executeTakeFirst();
  if (!row) return undefined;
  return { summary: toSummary(row), report: row.report ? (JSON.parse(row.report) as CertificationReport) : null };
}

/** The newest catalog update job on the vendor created since `since` (the partner's, as the jobs table has it). */
export async function findCatalogUpdateJob(db: Executor, vendorId: string, since: string) {
  const job = await findNewestVendorJob(db, vendorId, CATALOG_UPDATE_JOB, since);
  if (!job) return undefined;
  return {
    id: job.id,
    type: job.type,
    status: job.status as string,
    created_by: job.createdBy,
    created_at: job.createdAt,
    total_rows: job.totalRows,
    processed_rows: job.processedRows,
    error_rows: job.errorRows,
    results_read_at: job.resultsReadAt,
  };
}
