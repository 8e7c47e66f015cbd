import { api, type Vendor } from '../../api';
import { useChain } from '../../chain';
import { CloseButton } from '../../components/fields';
import { DataTable, type Column } from '../../components/DataTable';
import { Pager } from '../../components/Pager';
import { pageNumberPager } from '../../components/paging';
import { ErrorBox, Modal, useLoad } from '../../components/ui';
import { formatDateTime } from '../../format';
import { hasMessage, useI18n, type Translate } from '../../i18n';
import type { JobDetail, JobSummary } from './catalog-types';

export const JOBS_PAGE = 10;

/** A job type, status or result code in words (the code itself when we have no words for it). */
export function jobWord(t: Translate, kind: 'type' | 'status' | 'result', code: string): string {
  const key = kind === 'result' ? `result.${code}` : `job.${kind}.${code}`;
  return hasMessage(key) ? t(key) : code;
}

/** Why a whole job failed: "MISSING_COLUMNS: …" → the code's words (the server's text only in English). */
function jobFailure(t: Translate, lang: string, error: string): string {
  const code = /^([A-Z_]+):/.exec(error)?.[1];
  const key = `result.${code ?? ''}`;
  const words = code && hasMessage(key) ? t(key) : t('job.failed');
  return lang === 'en' ? `${words} — ${error}` : words;
}

/** The catalog job history (updates, product creation, exports, uploaded files), paged, with downloads. */
export function CatalogJobs({ data, error, vendors, page, onPage, onOpen }: { data: { jobs: JobSummary[]; pagination: { total_count: number } } | null; error: unknown; vendors: Vendor[] | null; page: number; onPage: (p: number | null) => void; onOpen: (jobId: string) => void }) {
  const { t } = useI18n();
  const { chain, place } = useChain();
  const vendorName = (id: string | null) => vendors?.find((v) => v.id === id)?.name ?? t('common.none');
  const columns: Array<Column<JobSummary>> = [
    { key: 'created', header: t('orders.created'), className: 'nowrap', render: (j) => formatDateTime(j.created_at, place) },
    { key: 'type', header: t('catalog.jobType'), rowHeader: true, render: (j) => jobWord(t, 'type', j.job_type) },
    { key: 'what', header: t('jobs.what'), render: (j) => (j.file_name ? <code>{j.file_name}</code> : vendorName(j.vendor_id)) },
    { key: 'status', header: t('common.status'), render: (j) => <span data-status-text={j.job_status}>{jobWord(t, 'status', j.job_status)}</span> },
    { key: 'rows', header: t('catalog.rows'), className: 'num', render: (j) => `${j.processed_rows}/${j.total_rows}` },
    { key: 'errors', header: t('catalog.errors'), className: 'num', render: (j) => String(j.error_rows) },
    {
      key: 'actions',
      header: t('common.actions'),
      srOnlyHeader: true,
      className: 'actions',
      render: (j) => (
        <span className="actions-row">
          <button type="button" className="small" onClick={() => onOpen(j.job_id)} aria-label={t('jobs.detailsOf', { type: jobWord(t, 'type', j.job_type) })}>
            {t('deliveries.details')}
          </button>
          {j.download === 'file' ? (
            j.job_status === 'COMPLETED' && (
              <a className="button small" href={`/portal/api/chains/${chain.id}/catalog/jobs/${j.job_id}/file`} download>
                {t('jobs.downloadFile')}
              </a>
            )
          ) : (
            <a className="button small" href={`/portal/api/chains/${chain.id}/catalog/jobs/${j.job_id}/results.csv`} download>
              {t('catalog.downloadResults')}
            </a>
          )}
        </span>
      ),
    },
  ];
  return (
    <>
      <h2>{t('catalog.jobs')}</h2>
      <ErrorBox error={error} />
      <DataTable
        columns={columns}
        rows={data?.jobs ?? null}
        rowKey={(j) => j.job_id}
        rowProps={(j) => ({ 'data-job-id': j.job_id, 'data-status': j.job_status, 'data-type': j.job_type })}
        label={t('catalog.jobs')}
        testId="jobs-table"
        pager={data && data.pagination.total_count > 0 ? <Pager {...pageNumberPager(page, JOBS_PAGE, data.jobs.length, data.pagination.total_count, onPage, 'jobs-pager')} /> : undefined}
      />
    </>
  );
}

/** One job: status, counts and its rows with what happened to each, in words. */
export function JobDialog({ jobId, onClose }: { jobId: string; onClose: () => void }) {
  const { t, lang } = useI18n();
  const { chain } = useChain();
  const job = useLoad(() => api<JobDetail>('GET', `/chains/${chain.id}/catalog/jobs/${jobId}?page_size=200`), [jobId]);
  const d = job.data;
  return (
    <Modal open title={d ? t('jobs.title', { type: jobWord(t, 'type', d.job_type), id: jobId.slice(0, 8) }) : t('catalog.jobTitle', { id: jobId.slice(0, 8) })} onClose={onClose}>
      <ErrorBox error={job.error} onRetry={() => void job.reload()} />
      {d && (
        <>
          <p data-testid="job-summary">
            {jobWord(t, 'status', d.job_status)}
            {Object.keys(d.counts).length > 0 && ' · '}
            {Object.entries(d.counts)
              .map(([k, v]) => `${jobWord(t, 'result', k)}: ${v}`)
              .join(', ')}
          </p>
          {d.error && <p className="notice error">{jobFailure(t, lang, d.error)}</p>}
          {d.results.length > 0 && (
            <DataTable
              columns={[
                { key: 'row', header: t('jobs.row'), render: (r) => r.row },
                {
                  key: 'sku',
                  header: 'SKU',
                  render: (r) => (
                    <span>
                      <code>{r.sku ?? ''}</code>
                      {r.vendor ? <span className="muted"> · {r.vendor}</span> : null}
                    </span>
                  ),
                },
                { key: 'outcome', header: t('deliveries.outcome'), render: (r) => jobWord(t, 'result', r.result) },
                ...(lang === 'en' ? [{ key: 'message', header: t('jobs.message'), className: 'details', render: (r: (typeof d.results)[number]) => r.message ?? '' }] : []),
              ]}
              rows={d.results.map((r, i) => ({ ...r, key: `${r.row}-${i}` }))}
              rowKey={(r) => r.key}
              rowProps={(r) => ({ 'data-result': r.result })}
              label={t('catalog.rowResults')}
              testId="job-results"
              className="compact"
              narrow="scroll"
            />
          )}
          {d.pagination.total_count > d.results.length && <p className="muted">{t('jobs.moreRows', { n: d.pagination.total_count - d.results.length })}</p>}
        </>
      )}
      <CloseButton onClose={onClose} autoFocus />
    </Modal>
  );
}
