import { useEffect, useId, useState, type FormEvent } from 'react';
import { api, type Answer } from '../api';
import { useChain } from '../chain';
import { DataTable } from '../components/DataTable';
import { ErrorBox, PageHeader, useLoad } from '../components/ui';
import { useSubmit } from '../components/submit';
import { SelectField, storeOptions } from '../components/fields';
import { formatDateTime } from '../format';
import { useI18n } from '../i18n';

type Certifications = Answer<'/chains/{chainId}/certifications'>;
type Summary = Certifications['certifications'][number];
type CertificationDetail = Answer<'/chains/{chainId}/certifications/{certificationId}'>;

/** Shops Integrations → Homologación / Certification: run the kit on a test store, list runs by date, read a report. */
export function CertificationPage() {
  const { t, lang } = useI18n();
  const { chain, vendors, place } = useChain();
  const testStores = (vendors ?? []).filter((v) => v.is_test);
  const [vendorId, setVendorId] = useState('');
  const store = testStores.find((v) => v.id === vendorId) ?? testStores[0];
  const [timeout, setTimeoutSeconds] = useState('120');
  const { busy, error, run } = useSubmit();
  const [openId, setOpenId] = useState<string | null>(null);
  const ids = { timeout: useId() };
  const list = useLoad(() => api<Certifications>('GET', `/chains/${chain.id}/certifications`), [chain.id]);
  const runs = list.data?.certifications ?? [];
  const running = runs.some((r) => r.status === 'RUNNING');
  const report = useLoad(
    () => (openId ? api<CertificationDetail>('GET', `/chains/${chain.id}/certifications/${openId}`) : Promise.resolve(null)),
    [chain.id, openId, runs.find((r) => r.id === openId)?.status],
  );

  // While a run is going, the list refreshes itself.
  useEffect(() => {
    if (!running) return;
    const timer = window.setInterval(() => void list.reload(), 2000);
    return () => window.clearInterval(timer);
  }, [running]); // eslint-disable-line react-hooks/exhaustive-deps

  const start = async (e: FormEvent) => {
    e.preventDefault();
    if (!store) return;
    await run(async () => {
      const res = await api<{ certification: Summary }>('POST', `/chains/${chain.id}/certifications`, { vendor: store.code, timeout_seconds: Number(timeout) });
      setOpenId(res.certification.id);
      await list.reload();
    });
  };

  const r = report.data?.report;
  return (
    <>
      <PageHeader title={t('cert.title')} intro={t('cert.intro')} />
      {vendors && testStores.length === 0 ? (
        <p className="warning">{t('testOrder.noTestStores')}</p>
      ) : (
        <form className="panel inline-form" onSubmit={start}>
          <SelectField label={t('testOrder.store')} value={store?.id ?? ''} onChange={setVendorId} options={storeOptions(testStores)} />
          <div className="field">
            <label htmlFor={ids.timeout}>{t('cert.timeout')}</label>
            <input id={ids.timeout} type="number" min={10} max={900} value={timeout} onChange={(e) => setTimeoutSeconds(e.target.value)} />
          </div>
          <button type="submit" disabled={busy || running || !store} data-testid="cert-start">
            {running ? t('cert.running') : t('cert.start')}
          </button>
          {error && <p className="error" role="alert">{error}</p>}
        </form>
      )}
      <ErrorBox error={list.error} onRetry={() => void list.reload()} />
      <section aria-labelledby="cert-runs-h">
        <h2 id="cert-runs-h">{t('cert.runs')}</h2>
        {runs.length === 0 ? (
          <p className="muted">{t('cert.none')}</p>
        ) : (
          <DataTable
            columns={[
              { key: 'date', header: t('cert.date'), render: (run) => formatDateTime(run.started_at, place) },
              {
                key: 'store',
                header: t('testOrder.store'),
                render: (run) => (
                  <>
                    {run.vendor_name} (<code>{run.vendor_code}</code>)
                  </>
                ),
              },
              { key: 'result', header: t('cert.result'), render: (run) => <strong>{t(`cert.status.${run.status}`)}</strong> },
              { key: 'checks', header: t('cert.checks'), render: (run) => (run.status === 'RUNNING' ? '…' : `${run.passed_checks} ✔ · ${run.failed_checks} ✘`) },
              {
                key: 'open',
                header: t('common.actions'),
                srOnlyHeader: true,
                className: 'actions',
                render: (run) => (
                  <button type="button" onClick={() => setOpenId(run.id)}>
                    {t('cert.open')}
                  </button>
                ),
              },
            ]}
            rows={runs}
            rowKey={(run) => run.id}
            rowProps={(run) => ({ 'data-status': run.status })}
            label={t('cert.runs')}
            testId="cert-runs"
          />
        )}
      </section>
      {openId && (
        <section aria-labelledby="cert-report-h" data-testid="cert-report">
          <h2 id="cert-report-h">{t('cert.report')}</h2>
          <ErrorBox error={report.error} />
          {!r && <p className="muted">{t('cert.running')}</p>}
          {r && (
            <>
              <p>
                <strong>{t(`cert.status.${r.status as 'PASSED'}`)}</strong> — {r.summary.passed} ✔ · {r.summary.failed} ✘{' '}
                <a href={`/portal/api/chains/${chain.id}/certifications/${r.id}/report.html`} target="_blank" rel="noreferrer">
                  {t('cert.printable')}
                </a>{' '}
                ·{' '}
                <a href={`/portal/api/chains/${chain.id}/certifications/${r.id}`} target="_blank" rel="noreferrer">
                  JSON
                </a>
              </p>
              <DataTable
                columns={[
                  { key: 'pass', header: t('cert.result'), render: (c) => (c.pass ? '✔' : '✘') },
                  {
                    key: 'check',
                    header: t('cert.check'),
                    render: (c) => (
                      <span>
                        {lang === 'en' ? c.title.en : c.title.es}
                        <br />
                        <code>{c.id}</code>
                        {c.order_code ? ` · ${c.order_code}` : ''}
                      </span>
                    ),
                  },
                  {
                    key: 'evidence',
                    header: t('cert.evidence'),
                    render: (c) => (
                      <ul>
                        {c.evidence.map((e, i) => (
                          <li key={i}>{e}</li>
                        ))}
                      </ul>
                    ),
                  },
                ]}
                rows={r.checks}
                rowKey={(c) => c.id}
                rowProps={(c) => ({ 'data-check': c.id, 'data-pass': String(c.pass) })}
                label={t('cert.report')}
              />
            </>
          )}
        </section>
      )}
    </>
  );
}
