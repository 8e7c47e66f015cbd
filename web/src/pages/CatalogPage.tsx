import { useCallback, useId, useState, type FormEvent } from 'react';
import { api, qs, type Vendor } from '../api';
import { useChain } from '../chain';
import { ErrorBox, Modal, Notice, PageHeader, errorText, useLoad } from '../components/ui';
import { formatDateTime, formatMoney } from '../format';
import { useI18n } from '../i18n';
import { useLive } from './OrdersPage';

interface Listing {
  sku: string;
  title: Record<string, string>;
  price: number;
  active: boolean;
  maximum_sales_quantity: number | null;
  is_sold_by_weight: boolean;
}
interface JobSummary {
  job_id: string;
  job_type: string;
  job_status: string;
  vendor_id: string | null;
  total_rows: number;
  processed_rows: number;
  error_rows: number;
  created_at: string;
}
interface JobDetail {
  job_id: string;
  job_status: string;
  counts: Record<string, number>;
  error: string | null;
  results: Array<{ row: number; sku?: string; result: string; message?: string }>;
}
type Patch = { price?: number; active?: boolean; maximum_sales_quantity?: number | null };

const titleOf = (p: { title: Record<string, string> }, locale: string) => p.title[locale] ?? Object.values(p.title)[0] ?? '';

/** Catalog (staff): chain-wide search, a store's listings, edit one, bulk edit, job history with per-row results. */
export function CatalogPage() {
  const { t } = useI18n();
  const { chain, vendors, place } = useChain();
  const [vendorId, setVendorId] = useState('');
  const store: Vendor | undefined = vendors?.find((v) => v.id === vendorId) ?? vendors?.[0];
  const storePlace = store ? { locale: store.locale, timeZone: store.time_zone, currency: store.currency } : place;
  const [term, setTerm] = useState('');
  const [appliedTerm, setAppliedTerm] = useState('');
  const [chainTerm, setChainTerm] = useState('');
  const [chainApplied, setChainApplied] = useState('');
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [editing, setEditing] = useState<Listing | null>(null);
  const [bulkActive, setBulkActive] = useState('');
  const [bulkMax, setBulkMax] = useState('');
  const [notice, setNotice] = useState<string | null>(null);
  const [openJob, setOpenJob] = useState<string | null>(null);
  const [changes, setChanges] = useState(0);
  const ids = { store: useId(), term: useId(), chainTerm: useId(), bulkActive: useId(), bulkMax: useId() };

  const listing = useLoad(
    () => (store ? api<{ products: Listing[]; total_count: number }>('GET', `/chains/${chain.id}/vendors/${store.id}/catalog${qs({ query_term: appliedTerm.trim(), page_size: 100 })}`) : Promise.resolve(null)),
    [chain.id, store?.id, appliedTerm, changes],
  );
  const search = useLoad(
    () => (chainApplied ? api<{ hits: Array<Listing & { vendor_id: string }> }>('GET', `/chains/${chain.id}/catalog/search${qs({ q: chainApplied })}`) : Promise.resolve(null)),
    [chain.id, chainApplied],
  );
  const jobs = useLoad(() => api<{ jobs: JobSummary[] }>('GET', `/chains/${chain.id}/catalog/jobs`), [chain.id, changes]);
  // Jobs finish in the background: the history and the listing follow them without a reload.
  const { reload: reloadJobs } = jobs;
  const { reload: reloadListing } = listing;
  useLive(useCallback(async () => {
    await reloadJobs();
    await reloadListing();
  }, [reloadJobs, reloadListing]));

  const submitPatch = async (products: Array<Patch & { sku: string }>) => {
    if (!store) return;
    try {
      const r = await api<{ job_id: string }>('PUT', `/chains/${chain.id}/vendors/${store.id}/catalog`, { products });
      setNotice(t('catalog.queued', { n: products.length, job: r.job_id.slice(0, 8) }));
      setSelected(new Set());
      setChanges((n) => n + 1);
    } catch (err) {
      setNotice(errorText(t, err));
    }
  };
  const bulk = (e: FormEvent) => {
    e.preventDefault();
    const patch: Patch = {};
    if (bulkActive) patch.active = bulkActive === 'on';
    if (bulkMax === 'none') patch.maximum_sales_quantity = null;
    else if (bulkMax) patch.maximum_sales_quantity = Number(bulkMax);
    void submitPatch([...selected].map((sku) => ({ sku, ...patch })));
  };
  const rows = listing.data?.products ?? [];
  const vendorName = (id: string | null) => vendors?.find((v) => v.id === id)?.name ?? t('common.none');

  return (
    <>
      <PageHeader title={t('catalog.title')} intro={t('catalog.intro')} />
      <form
        className="panel inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          setChainApplied(chainTerm.trim());
        }}
      >
        <div className="field grow">
          <label htmlFor={ids.chainTerm}>{t('catalog.chainSearch')}</label>
          <input id={ids.chainTerm} type="search" value={chainTerm} onChange={(e) => setChainTerm(e.target.value)} maxLength={100} />
        </div>
        <div className="field">
          <span aria-hidden="true">&nbsp;</span>
          <button type="submit">{t('catalog.search')}</button>
        </div>
      </form>
      {search.data && (
        <div className="table-wrap">
          <table aria-label={t('catalog.chainResults')} data-testid="chain-search">
            <thead>
              <tr>
                <th scope="col">{t('orders.store')}</th>
                <th scope="col">SKU</th>
                <th scope="col">{t('order.product')}</th>
                <th scope="col" className="num">{t('catalog.price')}</th>
                <th scope="col">{t('catalog.active')}</th>
              </tr>
            </thead>
            <tbody>
              {search.data.hits.length === 0 && (
                <tr>
                  <td colSpan={5}>{t('common.empty')}</td>
                </tr>
              )}
              {search.data.hits.map((h) => (
                <tr key={`${h.vendor_id}-${h.sku}`}>
                  <td>{vendorName(h.vendor_id)}</td>
                  <td><code>{h.sku}</code></td>
                  <td>{titleOf(h, storePlace.locale)}</td>
                  <td className="num nowrap">{formatMoney(h.price, storePlace)}</td>
                  <td>{h.active ? t('common.yes') : t('common.no')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <h2>{t('catalog.listing')}</h2>
      <form
        className="panel inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          setAppliedTerm(term);
        }}
      >
        <div className="field">
          <label htmlFor={ids.store}>{t('orders.store')}</label>
          <select id={ids.store} value={store?.id ?? ''} onChange={(e) => { setVendorId(e.target.value); setSelected(new Set()); }}>
            {vendors?.map((v) => (
              <option key={v.id} value={v.id}>
                {v.name} ({v.code})
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.term}>{t('catalog.filter')}</label>
          <input id={ids.term} type="search" value={term} onChange={(e) => setTerm(e.target.value)} maxLength={100} />
        </div>
        <div className="field">
          <span aria-hidden="true">&nbsp;</span>
          <button type="submit">{t('common.apply')}</button>
        </div>
      </form>
      {selected.size > 0 && (
        <form className="panel inline-form" onSubmit={bulk} aria-label={t('catalog.bulk')}>
          <strong>{t('catalog.selected', { n: selected.size })}</strong>
          <div className="field">
            <label htmlFor={ids.bulkActive}>{t('catalog.active')}</label>
            <select id={ids.bulkActive} value={bulkActive} onChange={(e) => setBulkActive(e.target.value)}>
              <option value="">{t('catalog.unchanged')}</option>
              <option value="on">{t('catalog.activate')}</option>
              <option value="off">{t('catalog.deactivate')}</option>
            </select>
          </div>
          <div className="field">
            <label htmlFor={ids.bulkMax}>{t('catalog.maxQty')}</label>
            <input id={ids.bulkMax} value={bulkMax} onChange={(e) => setBulkMax(e.target.value)} placeholder={t('catalog.maxHint')} size={10} />
          </div>
          <div className="field">
            <span aria-hidden="true">&nbsp;</span>
            <button type="submit" className="primary" disabled={!bulkActive && !bulkMax}>
              {t('catalog.applySelected')}
            </button>
          </div>
        </form>
      )}
      <Notice message={notice} />
      <ErrorBox error={listing.error} />
      <div className="table-wrap">
        <table aria-label={t('catalog.listing')} data-testid="catalog-table">
          <thead>
            <tr>
              <th scope="col">
                <input
                  type="checkbox"
                  aria-label={t('catalog.selectAll')}
                  checked={rows.length > 0 && selected.size === rows.length}
                  onChange={(e) => setSelected(e.target.checked ? new Set(rows.map((r) => r.sku)) : new Set())}
                />
              </th>
              <th scope="col">SKU</th>
              <th scope="col">{t('order.product')}</th>
              <th scope="col" className="num">{t('catalog.price')}</th>
              <th scope="col">{t('catalog.active')}</th>
              <th scope="col" className="num">{t('catalog.maxQty')}</th>
              <th scope="col"><span className="sr-only">{t('common.actions')}</span></th>
            </tr>
          </thead>
          <tbody>
            {rows.length === 0 && (
              <tr>
                <td colSpan={7}>{listing.data ? t('common.empty') : t('app.loading')}</td>
              </tr>
            )}
            {rows.map((p) => (
              <tr key={p.sku} data-sku={p.sku}>
                <td>
                  <input
                    type="checkbox"
                    aria-label={t('catalog.select', { sku: p.sku })}
                    checked={selected.has(p.sku)}
                    onChange={(e) => setSelected((s) => { const n = new Set(s); if (e.target.checked) n.add(p.sku); else n.delete(p.sku); return n; })}
                  />
                </td>
                <td><code>{p.sku}</code></td>
                <td>{titleOf(p, storePlace.locale)}</td>
                <td className="num nowrap">{formatMoney(p.price, storePlace)}{p.is_sold_by_weight ? ' /kg' : ''}</td>
                <td>{p.active ? t('common.yes') : t('common.no')}</td>
                <td className="num">{p.maximum_sales_quantity ?? t('common.none')}</td>
                <td className="actions">
                  <button type="button" className="small" onClick={() => setEditing(p)} aria-label={t('catalog.editSku', { sku: p.sku })}>
                    {t('webhooks.edit')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <h2>{t('catalog.jobs')}</h2>
      <div className="table-wrap">
        <table aria-label={t('catalog.jobs')} data-testid="jobs-table">
          <thead>
            <tr>
              <th scope="col">{t('orders.created')}</th>
              <th scope="col">{t('catalog.jobType')}</th>
              <th scope="col">{t('orders.store')}</th>
              <th scope="col">{t('common.status')}</th>
              <th scope="col" className="num">{t('catalog.rows')}</th>
              <th scope="col" className="num">{t('catalog.errors')}</th>
              <th scope="col"><span className="sr-only">{t('common.actions')}</span></th>
            </tr>
          </thead>
          <tbody>
            {(jobs.data?.jobs ?? []).length === 0 && (
              <tr>
                <td colSpan={7}>{jobs.data ? t('common.empty') : t('app.loading')}</td>
              </tr>
            )}
            {jobs.data?.jobs.map((j) => (
              <tr key={j.job_id} data-job-id={j.job_id} data-status={j.job_status}>
                <td className="nowrap">{formatDateTime(j.created_at, place)}</td>
                <td><code>{j.job_type}</code></td>
                <td>{vendorName(j.vendor_id)}</td>
                <td>{j.job_status}</td>
                <td className="num">{j.processed_rows}/{j.total_rows}</td>
                <td className="num">{j.error_rows}</td>
                <td className="actions">
                  <button type="button" className="small" onClick={() => setOpenJob(j.job_id)}>
                    {t('deliveries.details')}
                  </button>{' '}
                  <a className="button small" href={`/portal/api/chains/${chain.id}/catalog/jobs/${j.job_id}/results.csv`} download>
                    {t('catalog.downloadResults')}
                  </a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {editing && (
        <EditListing
          listing={editing}
          onClose={() => setEditing(null)}
          onSave={(patch) => {
            setEditing(null);
            void submitPatch([{ sku: editing.sku, ...patch }]);
          }}
        />
      )}
      {openJob && <JobDialog jobId={openJob} onClose={() => setOpenJob(null)} />}
    </>
  );
}

function EditListing({ listing, onClose, onSave }: { listing: Listing; onClose: () => void; onSave: (p: Patch) => void }) {
  const { t } = useI18n();
  const [price, setPrice] = useState(String(listing.price));
  const [active, setActive] = useState(listing.active);
  const [max, setMax] = useState(listing.maximum_sales_quantity === null ? '' : String(listing.maximum_sales_quantity));
  const ids = { price: useId(), active: useId(), max: useId() };
  const save = (e: FormEvent) => {
    e.preventDefault();
    onSave({ price: Number(price), active, maximum_sales_quantity: max === '' ? null : Number(max) });
  };
  return (
    <Modal open title={t('catalog.editSku', { sku: listing.sku })} onClose={onClose}>
      <form onSubmit={save}>
        <div className="field">
          <label htmlFor={ids.price}>{t('catalog.price')}</label>
          <input id={ids.price} type="number" min="0.001" step="0.001" value={price} onChange={(e) => setPrice(e.target.value)} required />
        </div>
        <div className="field">
          <label className="check" htmlFor={ids.active}>
            <input id={ids.active} type="checkbox" checked={active} onChange={(e) => setActive(e.target.checked)} /> {t('catalog.active')}
          </label>
        </div>
        <div className="field">
          <label htmlFor={ids.max}>{t('catalog.maxQty')}</label>
          <input id={ids.max} type="number" min="1" step="1" value={max} onChange={(e) => setMax(e.target.value)} />
          <small>{t('catalog.maxEmpty')}</small>
        </div>
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>{t('common.cancel')}</button>
          <button type="submit" className="primary">{t('common.save')}</button>
        </div>
      </form>
    </Modal>
  );
}

function JobDialog({ jobId, onClose }: { jobId: string; onClose: () => void }) {
  const { t } = useI18n();
  const { chain } = useChain();
  const job = useLoad(() => api<JobDetail>('GET', `/chains/${chain.id}/catalog/jobs/${jobId}?page_size=200`), [jobId]);
  return (
    <Modal open title={t('catalog.jobTitle', { id: jobId.slice(0, 8) })} onClose={onClose}>
      <ErrorBox error={job.error} />
      {job.data && (
        <>
          <p>
            {job.data.job_status} · {Object.entries(job.data.counts).map(([k, v]) => `${k}: ${v}`).join(', ')}
          </p>
          {job.data.error && <p className="notice error">{job.data.error}</p>}
          <table className="compact" aria-label={t('catalog.rowResults')} data-testid="job-results">
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">SKU</th>
                <th scope="col">{t('deliveries.outcome')}</th>
                <th scope="col">{t('deliveries.error')}</th>
              </tr>
            </thead>
            <tbody>
              {job.data.results.map((r) => (
                <tr key={r.row} data-result={r.result}>
                  <td>{r.row}</td>
                  <td><code>{r.sku ?? ''}</code></td>
                  <td>{r.result}</td>
                  <td className="details">{r.message ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      <div className="dialog-actions">
        <button type="button" onClick={onClose} autoFocus>{t('common.close')}</button>
      </div>
    </Modal>
  );
}
