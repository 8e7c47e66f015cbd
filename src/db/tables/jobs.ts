import type { Bool, Json, NullableTimestamp, Timestamp } from '../types.js';

export interface JobTables {
  jobs: JobsTable;
  job_inputs: JobInputsTable;
  job_results: JobResultsTable;
  job_outputs: JobOutputsTable;
}

export interface JobsTable {
  id: string;
  chain_id: string;
  vendor_id: string | null;
  type: string;
  status: string;
  params: Json;
  input_complete: Bool;
  total_rows: number;
  processed_rows: number;
  error_rows: number;
  counts: Json;
  cursor: string | null;
  attempts: number;
  lease_owner: string | null;
  lease_expires_at: NullableTimestamp;
  error: string | null;
  created_by: string;
  created_at: Timestamp;
  started_at: NullableTimestamp;
  finished_at: NullableTimestamp;
  updated_at: Timestamp;
  /** When its owner first read the per-row results of the finished job (migration 0012). */
  results_read_at?: NullableTimestamp;
}

export interface JobInputsTable {
  job_id: string;
  seq: number;
  first_row: number;
  row_count: number;
  /** JSON array of the chunk's input rows. */
  rows: string;
}

export interface JobResultsTable {
  job_id: string;
  seq: number;
  first_row: number;
  row_count: number;
  error_count: number;
  /** JSON array of the chunk's per-row results, in row order. */
  results: string;
}

export interface JobOutputsTable {
  job_id: string;
  seq: number;
  data: string;
}
