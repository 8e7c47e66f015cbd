import type { Localized } from './scenarios.js';

export type CheckGroup = 'setup' | 'orders' | 'webhooks' | 'catalog';

/** One check of the report: pass/fail and what was seen. */
export interface CertificationCheck {
  id: string;
  group: CheckGroup;
  title: Localized;
  pass: boolean;
  evidence: string[];
  order_id?: string;
  order_code?: string;
}

export interface CertificationReport {
  id: string;
  chain_id: string;
  vendor: { id: string; code: string; name: string; external_id: string | null };
  status: 'PASSED' | 'FAILED';
  started_at: string;
  finished_at: string;
  timeout_seconds: number;
  endpoint: { id: string; url: string } | null;
  summary: { passed: number; failed: number; failed_checks: string[] };
  checks: CertificationCheck[];
}
