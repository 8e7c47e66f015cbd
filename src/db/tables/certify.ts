import type { NullableTimestamp, Timestamp } from '../types.js';

/** Tables of the certification kit (migration 0012_certifications). */
export interface CertifyTables {
  certifications: CertificationsTable;
}

export interface CertificationsTable {
  id: string;
  chain_id: string;
  vendor_id: string;
  /** RUNNING | PASSED | FAILED */
  status: string;
  passed_checks: number;
  failed_checks: number;
  /** The report (JSON text) once the run finished. */
  report: string | null;
  created_by: string;
  started_at: Timestamp;
  finished_at: NullableTimestamp;
}
