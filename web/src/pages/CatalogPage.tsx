import { useCallback, useEffect, useState } from 'react';
import { api, qs, type Vendor } from '../api';
import { useChain } from '../chain';
import { DataTable, type Column } from '../components/DataTable';
import { ButtonField, FilterBar, InlineForm, SelectField, TextField, storeOptions } from '../components/fields';
import { Pager } from '../components/Pager';
import { pageNumberPager, pageParam } from '../components/paging';
import { ErrorBox, Notice, PageHeader, errorText, useLoad } from '../components/ui';
import { formatMoney } from '../format';
import { useI18n } from '../i18n';
import { useQueryParams, useUrlFilters } from '../router';
import { BulkEditForm } from './catalog/BulkEditForm';
import { CatalogJobs, JobDialog, JOBS_PAGE } from './catalog/CatalogJobs';
import { EditListingDialog } from './catalog/EditListingDialog';
import { ProductDialog } from './catalog/ProductDialog';
import { UploadDialog } from './catalog/UploadDialog';
import { titleOf, type CatalogPageData, type Category, type JobSummary, type Listing, type ListingPatch } from './catalog/catalog-types';
import { usePolling } from '../hooks/usePolling';

/** Listings per page of a store's catalog. */
export const CATALOG_PAGE = 50;

type Dialog = { kind: 'edit'; listing: Listing } | { kind: 'product' } | { kind: 'upload' } | { kind: 'job'; jobId: string } | null;

/**
 * Catalog (staff): chain-wide search; a store's listings filtered by text, category and status, paged
 * with the total (all kept in the URL); edit one, bulk edit the selected ones; create a product,
 * upload a CSV, export the store's catalog; the job history with per-row results and downloads.
 */
export function CatalogPage() {
  const { t } = useI18n();
  const { chain, vendors, place } = useChain();
  const [params, update] = useQueryParams();
  const store: Vendor | undefined = vendors?.find((v) => v.id === params.get('store')) ?? vendors?.[0];
  const storePlace = store ? { locale: store.locale, timeZone: store.time_zone, currency: store.currency } : place;
  const q = params.get('q') ?? '';
  const category = params.get('category') ?? '';
  const status = params.get('status') ?? '';
  const page = pageParam(params.get('page'));
  const jobsPage = pageParam(params.get('jobs_page'));
  const chainApplied = params.get('search') ?? '';
  const [{ term, chainTerm }, setFields] = useUrlFilters({ term: q, chainTerm: chainApplied });
  const [selected, setSelected] = useState<Map<string, Listing>>(new Map());
  const [dialog, setDialog] = useState<Dialog>(null);
  const [notice, setNotice] = useState<{ text: string; kind: 'ok' | 'error' } | null>(null);
  const [changes, setChanges] = useState(0);

  // A new store, filter or page is a new list: the selection belongs to the rows that were shown.
  useEffect(() => setSelected(new Map()), [store?.id, q, category, status, page]);

  const listing = useLoad(
    () =>
      store
        ? api<CatalogPageData>(
            'GET',
            `/chains/${chain.id}/vendors/${store.id}/catalog${qs({ query_term: q.trim(), category_id: category, is_active: status === 'active' ? 'true' : status === 'inactive' ? 'false' : '', page, page_size: CATALOG_PAGE })}`,
          )
        : Promise.resolve(null),
    [chain.id, store?.id, q, category, status, page, changes],
  );
  const categories = useLoad(() => api<{ categories: Category[] }>('GET', `/chains/${chain.id}/catalog/categories`), [chain.id, changes]);
  const search = useLoad(
    () => (chainApplied ? api<{ hits: Array<Listing & { vendor_id: string }> }>('GET', `/chains/${chain.id}/catalog/search${qs({ q: chainApplied })}`) : Promise.resolve(null)),
    [chain.id, chainApplied],
  );
  const jobs = useLoad(() => api<{ jobs: JobSummary[]; pagination: { total_count: number } }>('GET', `/chains/${chain.id}/catalog/jobs${qs({ page: jobsPage, page_size: JOBS_PAGE })}`), [chain.id, jobsPage, changes]);
  // Jobs finish in the background: the history and the listing follow them without a reload.
  const { reload: reloadJobs } = jobs;
  const { reload: reloadListing } = listing;
  usePolling(
    useCallback(async () => {
      await reloadJobs();
      await reloadListing();
    }, [reloadJobs, reloadListing]),
  );

  const queued = (text: string) => {
    setNotice({ text, kind: 'ok' });
    setChanges((n) => n + 1);
  };
  const submitPatch = async (products: ListingPatch[]) => {
    if (!store) return;
    try {
      const r = await api<{ job_id: string }>('PUT', `/chains/${chain.id}/vendors/${store.id}/catalog`, { products });
      setSelected(new Map());
      queued(t('catalog.queued', { n: products.length, job: r.job_id.slice(0, 8) }));
    } catch (err) {
      setNotice({ text: errorText(t, err), kind: 'error' });
    }
  };
  const exportCatalog = async () => {
    if (!store) return;
    try {
      const r = await api<{ job_id: string }>('POST', `/chains/${chain.id}/vendors/${store.id}/catalog/export`);
      queued(t('export.queued', { store: store.name, job: r.job_id.slice(0, 8) }));
    } catch (err) {
      setNotice({ text: errorText(t, err), kind: 'error' });
    }
  };

  const rows = listing.data?.products ?? null;
  const allSelected = !!rows && rows.length > 0 && rows.every((r) => selected.has(r.sku));
  const toggle = (l: Listing, on: boolean) =>
    setSelected((s) => {
      const n = new Map(s);
      if (on) n.set(l.sku, l);
      else n.delete(l.sku);
      return n;
    });
  const vendorName = (id: string | null) => vendors?.find((v) => v.id === id)?.name ?? t('common.none');
  const columns: Array<Column<Listing>> = [
    {
      key: 'select',
      header: <input type="checkbox" aria-label={t('catalog.selectAll')} checked={allSelected} onChange={(e) => setSelected(e.target.checked ? new Map((rows ?? []).map((r) => [r.sku, r])) : new Map())} />,
      cardLabel: t('catalog.selectShort'),
      render: (p) => <input type="checkbox" aria-label={t('catalog.select', { sku: p.sku })} checked={selected.has(p.sku)} onChange={(e) => toggle(p, e.target.checked)} />,
    },
    { key: 'sku', header: 'SKU', render: (p) => <code>{p.sku}</code> },
    { key: 'title', header: t('order.product'), render: (p) => titleOf(p, storePlace.locale) },
    { key: 'price', header: t('catalog.price'), className: 'num nowrap', render: (p) => `${formatMoney(p.price, storePlace)}${p.is_sold_by_weight ? ' /kg' : ''}` },
    { key: 'active', header: t('catalog.active'), render: (p) => (p.active ? t('common.yes') : t('common.no')) },
    { key: 'max', header: t('catalog.maxQty'), className: 'num', render: (p) => (p.maximum_sales_quantity === null ? t('common.none') : String(p.maximum_sales_quantity)) },
    {
      key: 'actions',
      header: t('common.actions'),
      srOnlyHeader: true,
      className: 'actions',
      render: (p) => (
        <button type="button" className="small" onClick={() => setDialog({ kind: 'edit', listing: p })} aria-label={t('catalog.editSku', { sku: p.sku })}>
          {t('webhooks.edit')}
        </button>
      ),
    },
  ];

  return (
    <>
      <PageHeader
        title={t('catalog.title')}
        intro={t('catalog.intro')}
        actions={
          <>
            <button type="button" className="primary" onClick={() => setDialog({ kind: 'product' })} disabled={!vendors?.length}>
              {t('product.new')}
            </button>
            <button type="button" onClick={() => setDialog({ kind: 'upload' })} disabled={!vendors?.length}>
              {t('upload.open')}
            </button>
            <button type="button" onClick={() => void exportCatalog()} disabled={!store}>
              {t('export.open')}
            </button>
          </>
        }
      />
      <InlineForm search onSubmit={() => update({ search: chainTerm.trim() })}>
        <TextField grow label={t('catalog.chainSearch')} type="search" value={chainTerm} onChange={(v) => setFields({ chainTerm: v })} maxLength={100} />
        <ButtonField>{t('catalog.search')}</ButtonField>
      </InlineForm>
      {search.data && (
        <DataTable
          columns={[
            { key: 'store', header: t('orders.store'), render: (h) => vendorName(h.vendor_id) },
            { key: 'sku', header: 'SKU', render: (h) => <code>{h.sku}</code> },
            { key: 'title', header: t('order.product'), rowHeader: true, render: (h) => titleOf(h, storePlace.locale) },
            { key: 'price', header: t('catalog.price'), className: 'num nowrap', render: (h) => formatMoney(h.price, storePlace) },
            { key: 'active', header: t('catalog.active'), render: (h) => (h.active ? t('common.yes') : t('common.no')) },
          ]}
          rows={search.data.hits}
          rowKey={(h) => `${h.vendor_id}-${h.sku}`}
          label={t('catalog.chainResults')}
          testId="chain-search"
        />
      )}

      <h2>{t('catalog.listing')}</h2>
      <FilterBar onApply={() => update({ q: term.trim(), page: null })}>
        <SelectField label={t('orders.store')} value={store?.id ?? ''} onChange={(v) => update({ store: v, page: null, category: null })} options={storeOptions(vendors)} />
        <TextField label={t('catalog.filter')} type="search" value={term} onChange={(v) => setFields({ term: v })} maxLength={100} />
        <SelectField label={t('catalog.category')} value={category} onChange={(v) => update({ category: v, page: null })} all={t('catalog.allCategories')} options={(categories.data?.categories ?? []).map((c) => ({ value: c.id, label: c.path }))} />
        <SelectField
          label={t('catalog.status')}
          value={status}
          onChange={(v) => update({ status: v, page: null })}
          all={t('common.all')}
          options={[
            { value: 'active', label: t('catalog.onlyActive') },
            { value: 'inactive', label: t('catalog.onlyInactive') },
          ]}
        />
      </FilterBar>
      {selected.size > 0 && <BulkEditForm selected={[...selected.values()]} place={storePlace} onSubmit={(r) => void submitPatch(r)} />}
      <Notice message={notice?.text ?? null} kind={notice?.kind} />
      <ErrorBox error={listing.error} onRetry={() => void listing.reload()} />
      <DataTable
        columns={columns}
        rows={rows}
        rowKey={(p) => p.sku}
        rowProps={(p) => ({ 'data-sku': p.sku })}
        label={t('catalog.listing')}
        testId="catalog-table"
        narrow="scroll"
        pager={listing.data && listing.data.total_count > 0 ? <Pager {...pageNumberPager(page, CATALOG_PAGE, listing.data.products.length, listing.data.total_count, (p) => update({ page: p }), 'catalog-pager')} /> : undefined}
      />

      <CatalogJobs data={jobs.data} error={jobs.error} vendors={vendors} page={jobsPage} onPage={(p) => update({ jobs_page: p })} onOpen={(jobId) => setDialog({ kind: 'job', jobId })} />

      {dialog?.kind === 'edit' && (
        <EditListingDialog
          listing={dialog.listing}
          onClose={() => setDialog(null)}
          onSave={(patch) => {
            setDialog(null);
            void submitPatch([patch]);
          }}
        />
      )}
      {dialog?.kind === 'product' && vendors && (
        <ProductDialog
          vendors={vendors}
          categories={categories.data?.categories ?? []}
          locale={storePlace.locale}
          onClose={() => setDialog(null)}
          onQueued={(jobId) => {
            setDialog(null);
            queued(t('product.queued', { job: jobId.slice(0, 8) }));
          }}
        />
      )}
      {dialog?.kind === 'upload' && vendors && (
        <UploadDialog
          vendors={vendors}
          defaultVendorId={store?.id ?? ''}
          onClose={() => setDialog(null)}
          onQueued={(jobId, fileName) => {
            setDialog(null);
            queued(t('upload.queued', { file: fileName, job: jobId.slice(0, 8) }));
          }}
        />
      )}
      {dialog?.kind === 'job' && <JobDialog jobId={dialog.jobId} onClose={() => setDialog(null)} />}
    </>
  );
}
