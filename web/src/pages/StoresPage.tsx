import { useId, useState, type ReactNode } from 'react';
import { api, type Vendor } from '../api';
import { useChain } from '../chain';
import { DataTable, type Column as TableColumn } from '../components/DataTable';
import { Pager } from '../components/Pager';
import { useQueryParams, useUrlFilters } from '../router';
import { ErrorBox, PageHeader, useLoad } from '../components/ui';
import { StoreStatusCell, StoreStatusDialog, type StoreStatus } from './stores/StoreStatusDialog';
import { useI18n, type Translate } from '../i18n';
import type { MessageKey } from '../messages';

interface Column {
  key: string;
  label: MessageKey;
  render: (v: Vendor, t: Translate) => ReactNode;
  className?: string;
}

/**
 * The stores table, one entry per column. Store status (open / closed until…), opening hours and
 * check-in arrive with the orders module: they are added here as columns (and a detail panel).
 */
export const STORE_COLUMNS: Column[] = [
  {
    key: 'name',
    label: 'stores.name',
    render: (v, t) => (
      <>
        {v.name} {v.is_test && <span className="badge test">{t('stores.testBadge')}</span>}
      </>
    ),
  },
  { key: 'code', label: 'stores.code', render: (v) => <code>{v.code}</code>, className: 'nowrap' },
  { key: 'external_id', label: 'stores.externalId', render: (v, t) => (v.external_id ? <code>{v.external_id}</code> : t('common.none')), className: 'nowrap' },
  { key: 'integration', label: 'stores.integration', render: (v, t) => t(`integration.${v.integration_type}`) },
  { key: 'test', label: 'stores.test', render: (v, t) => (v.is_test ? t('common.yes') : t('common.no')) },
  { key: 'zone', label: 'stores.zone', render: (v) => v.time_zone },
  { key: 'currency', label: 'stores.currency', render: (v) => `${v.currency} · ${v.locale}`, className: 'nowrap' },
];

/** Stores per page of the list. */
export const STORES_PAGE = 50;

export function StoresPage() {
  const { t } = useI18n();
  const { chain, vendors } = useChain();
  const [changes, setChanges] = useState(0);
  const [managing, setManaging] = useState<Vendor | null>(null);
  const statuses = useLoad(() => api<{ statuses: Record<string, StoreStatus> }>('GET', `/chains/${chain.id}/store-status`), [chain.id, changes]);
  const statusOf = (v: Vendor) => statuses.data?.statuses[v.id];
  // A chain can have hundreds of stores: a search and pages of STORES_PAGE, both kept in the URL.
  const [params, update] = useQueryParams();
  const q = params.get('q') ?? '';
  // The box shows the search of the view on screen (reload, a shared link, back/forward) until one types.
  const [{ term }, setFields] = useUrlFilters({ term: q });
  const searchId = useId();
  const needle = q.toLowerCase();
  const matching = vendors?.filter((v) => !needle || [v.name, v.code, v.external_id ?? ''].some((x) => x.toLowerCase().includes(needle))) ?? null;
  const pages = Math.max(1, Math.ceil((matching?.length ?? 0) / STORES_PAGE));
  const page = Math.min(pages, Math.max(1, Number.parseInt(params.get('page') ?? '1', 10) || 1));
  const shown = matching?.slice((page - 1) * STORES_PAGE, page * STORES_PAGE) ?? null;
  const columns: Array<TableColumn<Vendor>> = [
    ...STORE_COLUMNS.map((c, i): TableColumn<Vendor> => ({ key: c.key, header: t(c.label), className: c.className, rowHeader: i === 0, render: (v) => c.render(v, t) })),
    {
      key: 'status',
      header: t('common.status'),
      render: (v) => (
        <span data-testid="store-status">
          <StoreStatusCell s={statusOf(v)} vendor={v} />
        </span>
      ),
    },
    {
      key: 'actions',
      header: t('common.actions'),
      srOnlyHeader: true,
      className: 'actions',
      render: (v) => (
        <button type="button" className="small" disabled={!statusOf(v)} onClick={() => setManaging(v)} aria-label={t('store.manage', { name: v.name })}>
          {t('store.manageShort')}
        </button>
      ),
    },
  ];
  return (
    <>
      <PageHeader title={t('stores.title')} intro={t('stores.intro')} />
      <ErrorBox error={statuses.error} />
      {vendors && vendors.length > STORES_PAGE && (
        <form className="panel inline-form" role="search" onSubmit={(e) => { e.preventDefault(); update({ q: term.trim(), page: null }); }} aria-label={t('common.filters')}>
          <div className="field">
            <label htmlFor={searchId}>{t('stores.search')}</label>
            <input id={searchId} value={term} onChange={(e) => setFields({ term: e.target.value })} maxLength={64} />
          </div>
          <div className="field">
            <span aria-hidden="true">&nbsp;</span>
            <button type="submit" className="primary">{t('common.apply')}</button>
          </div>
        </form>
      )}
      <DataTable
        columns={columns}
        rows={shown}
        rowKey={(v) => v.id}
        rowProps={(v) => ({ 'data-vendor': v.code })}
        label={t('stores.title')}
        testId="stores-table"
        pager={
          matching && matching.length > STORES_PAGE ? (
            <Pager
              from={(page - 1) * STORES_PAGE + 1}
              to={(page - 1) * STORES_PAGE + (shown?.length ?? 0)}
              total={matching.length}
              onFirst={page > 1 ? () => update({ page: null }) : undefined}
              onPrev={page > 1 ? () => update({ page: page - 1 }) : undefined}
              onNext={page * STORES_PAGE < matching.length ? () => update({ page: page + 1 }) : undefined}
            />
          ) : matching && matching.length > 0 ? (
            <p className="muted pager-range" data-testid="stores-count">{t('stores.count', { n: matching.length })}</p>
          ) : undefined
        }
      />
      {managing && statusOf(managing) && (
        <StoreStatusDialog
          vendor={managing}
          status={statusOf(managing)!}
          onClose={() => setManaging(null)}
          onSaved={() => {
            setChanges((n) => n + 1);
            setManaging(null);
          }}
        />
      )}
    </>
  );
}
